/**
 * @module Checks and normalises `document_types` of a project file: fields, their
 * extraction methods, field rules, table columns and cross-field rules. Every
 * problem is recorded with its path (`document_types[1].fields[3].extract[0].pattern`)
 * and checking goes on, so an uploader sees all mistakes in one 422.
 */
import { Checker, join } from './check.ts';
import { ExpressionError, expressionFields, parseExpression } from './expression.ts';
import { TERM_ID } from '../einvoice/business-terms.ts';
import {
  FIELD_TYPES,
  HEURISTICS,
  type ClassifyRules,
  type CrossRule,
  type DocumentType,
  type ExtractMethod,
  type FieldDef,
  type FieldRules,
  type TableColumn,
  type TableSpec,
  type WeightedPattern,
  type Zone,
} from './model.ts';

const FIELD_KEYS = ['name', 'type', 'label', 'required', 'values', 'extract', 'rules', 'columns', 'end', 'confidence_threshold'];
const EXTRACT_KEYS = ['label', 'pattern', 'flags', 'zone', 'lookup', 'position', 'pick', 'weight', 'whole_line', 'max_lines', 'until', 'heuristic', 'einvoice'];
const RULE_KEYS = ['required', 'pattern', 'min', 'max', 'min_length', 'max_length', 'one_of', 'lookup', 'checksum', 'date_min', 'date_max', 'messages'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RELATIVE_DATE = /^(?:today|[+-]\d{1,5}[dwmy]|\d{4}-\d{2}-\d{2})$/;

function zone(c: Checker, value: unknown, path: string): Zone | null {
  const z = c.record(value, path);
  if (!z) return null;
  c.keys(z, path, ['page', 'x', 'y', 'w', 'h']);
  const x = c.number(z.x, join(path, 'x'), 0, 0, 1) ?? 0;
  const y = c.number(z.y, join(path, 'y'), 0, 0, 1) ?? 0;
  const w = c.number(z.w, join(path, 'w'), 1, 0, 1) ?? 1;
  const h = c.number(z.h, join(path, 'h'), 1, 0, 1) ?? 1;
  if (x + w > 1.0001 || y + h > 1.0001) c.add(path, 'the zone must lie inside the page (x + w ≤ 1, y + h ≤ 1)');
  const page = c.number(z.page, join(path, 'page'), null, -1000, 1000);
  return { page: page === null ? null : Math.trunc(page), x, y, w, h };
}

function extractMethod(c: Checker, value: unknown, path: string, lookups: Set<string>): ExtractMethod | null {
  const e = c.record(value, path);
  if (!e) {
    if (value === null || value === undefined) c.add(path, 'must be an object');
    return null;
  }
  c.keys(e, path, EXTRACT_KEYS);
  const flags = c.string(e.flags, join(path, 'flags'), 'i') ?? 'i';
  if (!/^[imsu]*$/.test(flags)) c.add(join(path, 'flags'), 'may only hold the flags i, m, s, u');
  const lookup = c.string(e.lookup, join(path, 'lookup'));
  if (lookup !== null && !lookups.has(lookup)) c.add(join(path, 'lookup'), `no lookup list named "${lookup}"`);
  return {
    label: c.strings(e.label, join(path, 'label')).filter((s) => s.trim() !== ''),
    pattern: c.regex(e.pattern, join(path, 'pattern'), flags),
    flags,
    zone: zone(c, e.zone, join(path, 'zone')),
    lookup,
    position: c.oneOf(e.position, join(path, 'position'), ['right', 'below', 'any'] as const, 'any'),
    pick: c.oneOf(e.pick, join(path, 'pick'), ['first', 'last', 'max', 'best'] as const, 'best'),
    weight: c.number(e.weight, join(path, 'weight'), 1, 0, 10) ?? 1,
    whole_line: c.boolean(e.whole_line, join(path, 'whole_line'), false),
    max_lines: Math.trunc(c.number(e.max_lines, join(path, 'max_lines'), 1, 1, 20) ?? 1),
    until: c.regex(e.until, join(path, 'until')),
    heuristic: c.oneOf(e.heuristic, join(path, 'heuristic'), HEURISTICS, null as never) ?? null,
    ...einvoiceTerm(c, e.einvoice, join(path, 'einvoice')),
  };
}

/** `einvoice: "BT-112"`: a business term of EN 16931-1 (core/einvoice/business-terms.ts). */
function einvoiceTerm(c: Checker, value: unknown, path: string): { einvoice?: string } {
  const term = c.string(value, path);
  if (term === null) return {};
  if (!TERM_ID.test(term)) c.add(path, 'must name an EN 16931 business term or group, such as "BT-112" or "BG-25"');
  return { einvoice: term };
}

function fieldRules(c: Checker, value: unknown, path: string, required: boolean, lookups: Set<string>): FieldRules {
  const r = c.record(value, path) ?? {};
  c.keys(r, path, RULE_KEYS);
  const date = (key: 'date_min' | 'date_max'): string | null => {
    const s = c.string(r[key], join(path, key));
    if (s !== null && !RELATIVE_DATE.test(s)) c.add(join(path, key), 'must be an ISO date (2024-01-31), "today" or an offset such as -90d or +1y');
    return s;
  };
  const lookup = c.string(r.lookup, join(path, 'lookup'));
  if (lookup !== null && !lookups.has(lookup)) c.add(join(path, 'lookup'), `no lookup list named "${lookup}"`);
  const messages: Record<string, string> = {};
  const m = c.record(r.messages, join(path, 'messages'));
  if (m) {
    for (const [k, v] of Object.entries(m)) {
      if (!RULE_KEYS.includes(k)) c.add(join(join(path, 'messages'), k), 'unknown rule');
      else if (typeof v !== 'string') c.add(join(join(path, 'messages'), k), 'must be a string');
      else messages[k] = v;
    }
  }
  return {
    required: c.boolean(r.required, join(path, 'required'), required),
    pattern: c.regex(r.pattern, join(path, 'pattern'), ''),
    min: c.number(r.min, join(path, 'min'), null),
    max: c.number(r.max, join(path, 'max'), null),
    min_length: c.number(r.min_length, join(path, 'min_length'), null, 0),
    max_length: c.number(r.max_length, join(path, 'max_length'), null, 0),
    one_of: r.one_of === undefined ? null : c.strings(r.one_of, join(path, 'one_of')),
    lookup,
    checksum: c.oneOf(r.checksum, join(path, 'checksum'), ['luhn', 'iban', 'mod11'] as const, null as never) ?? null,
    date_min: date('date_min'),
    date_max: date('date_max'),
    messages,
  };
}

function tableSpec(c: Checker, f: Record<string, unknown>, path: string): TableSpec {
  const columns = c.list(f.columns, join(path, 'columns')).map((v, i) => {
    const p = join(join(path, 'columns'), i);
    const col = c.record(v, p) ?? {};
    c.keys(col, p, ['name', 'type', 'header', 'required']);
    const name = c.string(col.name, join(p, 'name'), `column${i}`, true) ?? `column${i}`;
    if (!NAME.test(name)) c.add(join(p, 'name'), 'must be letters, digits and _ (starting with a letter)');
    const header = c.strings(col.header ?? name.replace(/_/g, ' '), join(p, 'header'));
    return {
      name,
      type: c.oneOf(col.type, join(p, 'type'), ['text', 'date', 'amount', 'number'] as const, 'text'),
      header,
      required: c.boolean(col.required, join(p, 'required'), false),
    };
  });
  if (columns.length === 0) c.add(join(path, 'columns'), 'a table field needs at least one column');
  return { columns, end: c.regex(f.end, join(path, 'end')) };
}

/** A table field read by the `key_values` heuristic: columns `key` and `value` unless it names its own. */
function pairsTable(c: Checker, f: Record<string, unknown>, path: string): TableSpec | null {
  const pairs = Array.isArray(f.extract) && f.extract.some((e) => typeof e === 'object' && e !== null && (e as Record<string, unknown>).heuristic === 'key_values');
  if (!pairs || f.columns !== undefined) return null;
  const column = (name: string): TableColumn => ({ name, type: 'text', header: [name], required: false });
  return { columns: [column('key'), column('value')], end: null };
}

function field(c: Checker, value: unknown, path: string, lookups: Set<string>): FieldDef | null {
  const f = c.record(value, path);
  if (!f) {
    c.add(path, 'must be an object');
    return null;
  }
  c.keys(f, path, FIELD_KEYS);
  const name = c.string(f.name, join(path, 'name'), '', true) ?? '';
  if (name !== '' && !NAME.test(name)) c.add(join(path, 'name'), 'must be letters, digits and _ (starting with a letter)');
  const type = c.oneOf(f.type, join(path, 'type'), FIELD_TYPES, 'text');
  const values = c.strings(f.values, join(path, 'values'));
  if (type === 'enum' && values.length === 0) c.add(join(path, 'values'), 'an enum field needs its values');
  const required = c.boolean(f.required, join(path, 'required'), false);
  if (type !== 'table' && Array.isArray(f.extract) && f.extract.some((e) => typeof e === 'object' && e !== null && (e as Record<string, unknown>).heuristic === 'key_values')) {
    c.add(join(path, 'type'), 'the key_values heuristic fills a table field (type: table)');
  }
  return {
    name,
    type,
    label: c.string(f.label, join(path, 'label'), name.replace(/_/g, ' ')) ?? name,
    values,
    extract: c
      .list(f.extract, join(path, 'extract'))
      .map((e, i) => extractMethod(c, e, join(join(path, 'extract'), i), lookups))
      .filter((e): e is ExtractMethod => e !== null),
    rules: fieldRules(c, f.rules, join(path, 'rules'), required, lookups),
    table: type === 'table' ? (pairsTable(c, f, path) ?? tableSpec(c, f, path)) : null,
    confidence_threshold: c.number(f.confidence_threshold, join(path, 'confidence_threshold'), null, 0, 1),
  };
}

function weighted(c: Checker, value: unknown, path: string, key: 'text' | 'pattern'): WeightedPattern[] {
  return c.list(value, path).flatMap((v, i): WeightedPattern[] => {
    const p = join(path, i);
    if (typeof v === 'string') {
      if (key === 'pattern') {
        const src = c.regex(v, p);
        return src === null ? [] : [{ pattern: src, weight: 1 }];
      }
      return v.trim() === '' ? [] : [{ pattern: v, weight: 1 }];
    }
    const o = c.record(v, p);
    if (!o) return [];
    c.keys(o, p, [key, 'weight']);
    const src = key === 'pattern' ? c.regex(o.pattern, join(p, 'pattern')) : c.string(o.text, join(p, 'text'), null, true);
    const weight = c.number(o.weight, join(p, 'weight'), 1, -10, 10) ?? 1;
    return src === null ? [] : [{ pattern: src, weight }];
  });
}

function classify(c: Checker, value: unknown, path: string): ClassifyRules {
  const o = c.record(value, path) ?? {};
  c.keys(o, path, ['keywords', 'patterns', 'samples']);
  return {
    keywords: weighted(c, o.keywords, join(path, 'keywords'), 'text'),
    patterns: weighted(c, o.patterns, join(path, 'patterns'), 'pattern'),
    samples: c.string(o.samples, join(path, 'samples')),
  };
}

function crossRule(c: Checker, value: unknown, path: string, fields: Map<string, FieldDef>): CrossRule | null {
  const o = c.record(value, path);
  if (!o) return null;
  c.keys(o, path, ['check', 'tolerance', 'message']);
  const check = c.string(o.check, join(path, 'check'), null, true);
  const tolerance = c.number(o.tolerance, join(path, 'tolerance'), 0.01, 0) ?? 0.01;
  const message = c.string(o.message, join(path, 'message'));
  if (check === null) return null;
  try {
    const names = [...expressionFields(parseExpression(check))];
    for (const n of names) {
      const f = fields.get(n);
      if (!f) c.add(join(path, 'check'), `unknown field "${n}"`);
      else if (f.type === 'text' || f.type === 'enum') c.add(join(path, 'check'), `field "${n}" is not a number, amount or date`);
    }
    return { check, tolerance, message, fields: names };
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    c.add(join(path, 'check'), `invalid expression: ${err.message}`);
    return null;
  }
}

export function parseDocumentTypes(c: Checker, value: unknown, lookups: Set<string>): DocumentType[] {
  const seen = new Set<string>();
  return c.list(value, 'document_types').flatMap((v, i): DocumentType[] => {
    const path = join('document_types', i);
    const o = c.record(v, path);
    if (!o) return [];
    c.keys(o, path, ['name', 'classify', 'fields', 'rules']);
    const name = c.string(o.name, join(path, 'name'), `type${i}`, true) ?? `type${i}`;
    if (seen.has(name)) c.add(join(path, 'name'), `duplicate document type "${name}"`);
    seen.add(name);
    const names = new Map<string, FieldDef>();
    const fields = c.list(o.fields, join(path, 'fields')).flatMap((fv, j): FieldDef[] => {
      const f = field(c, fv, join(join(path, 'fields'), j), lookups);
      if (!f) return [];
      if (names.has(f.name)) c.add(join(join(join(path, 'fields'), j), 'name'), `duplicate field "${f.name}"`);
      names.set(f.name, f);
      return [f];
    });
    const rules = c
      .list(o.rules, join(path, 'rules'))
      .map((r, j) => crossRule(c, r, join(join(path, 'rules'), j), names))
      .filter((r): r is CrossRule => r !== null);
    return [{ name, classify: classify(c, o.classify, join(path, 'classify')), fields, rules }];
  });
}
