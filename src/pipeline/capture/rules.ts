/**
 * @module Validation rules (docs/project-file.md#rules): field rules (required, pattern, min/max,
 * length, one-of, lookup, checksums, date ranges) and cross-field expressions run
 * by the safe evaluator with a tolerance. The same function checks extracted
 * values and a person's corrections, so both meet one standard. A rule that reads
 * an empty field is skipped; `required` is what reports missing values. A broken
 * rule that reads a table marks that table, not the other fields it reads, unless the
 * table's rows each add up and a total it reads was read unsure: then that total.
 * One message per cause: when another check already reports an inconsistency among
 * the fields an equality rule read (an e-invoice's EN 16931 arithmetic, einvoice/stage.ts),
 * the rule adds no second message for it.
 */
import type { DocumentResult, FieldResult, TableRow } from '../../core/capture.ts';
import type { CaptureSettings, DocumentType, FieldDef } from '../../core/project.ts';
import { evaluate, parseExpression } from '../../core/project/expression.ts';
import { explainFailure } from '../../core/project/explain.ts';
import { MAX_MATCH_INPUT, projectPattern } from '../../core/project/pattern.ts';
import { CHECKSUMS } from './checksums.ts';
import { simplify } from './fuzzy.ts';
import { rowsAddUp } from './table-figures.ts';

/** Resolves `today`, `-30d`, `+1y` or an ISO date against `today` (ISO). */
export function resolveDate(spec: string, today: string): string {
  if (spec === 'today') return today;
  const m = /^([+-])(\d+)([dwmy])$/.exec(spec);
  if (!m) return spec;
  const d = new Date(`${today}T00:00:00Z`);
  const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  if (m[3] === 'd') d.setUTCDate(d.getUTCDate() + n);
  else if (m[3] === 'w') d.setUTCDate(d.getUTCDate() + 7 * n);
  else if (m[3] === 'm') d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.toISOString().slice(0, 10);
}

function isEmpty(v: FieldResult['value']): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The messages of the field's rules that its value breaks. */
export function checkField(def: FieldDef, field: FieldResult, settings: CaptureSettings, today: string): string[] {
  const r = def.rules;
  const msg = (rule: string, text: string): string => r.messages[rule] ?? text;
  const v = field.value;
  if (isEmpty(v)) return r.required ? [msg('required', `${def.label} is required`)] : [];
  if (Array.isArray(v)) return [];
  const out: string[] = [];
  const text = String(v);
  // Not run (a value longer than a pattern reads, or the page's time budget spent): the value goes to a person rather than pass unchecked.
  const form = r.pattern === null ? true : text.length > MAX_MATCH_INPUT ? null : projectPattern(r.pattern, '').test(text);
  if (form === null) out.push(`${def.label} could not be checked against its pattern`);
  else if (!form) out.push(msg('pattern', `${def.label} does not have the expected form`));
  if (typeof v === 'number') {
    if (r.min !== null && v < r.min) out.push(msg('min', `${def.label} must be at least ${r.min}`));
    if (r.max !== null && v > r.max) out.push(msg('max', `${def.label} must be at most ${r.max}`));
  }
  if (r.min_length !== null && text.length < r.min_length) out.push(msg('min_length', `${def.label} must have at least ${r.min_length} characters`));
  if (r.max_length !== null && text.length > r.max_length) out.push(msg('max_length', `${def.label} must have at most ${r.max_length} characters`));
  if (r.one_of !== null && !r.one_of.some((o) => simplify(o) === simplify(text))) out.push(msg('one_of', `${def.label} must be one of ${r.one_of.join(', ')}`));
  if (r.lookup !== null && !(settings.lookups[r.lookup] ?? []).some((o) => simplify(o) === simplify(text))) out.push(msg('lookup', `${def.label} is not in the list ${r.lookup}`));
  if (r.checksum !== null && !CHECKSUMS[r.checksum](text)) out.push(msg('checksum', `${def.label} fails the ${r.checksum} check`));
  if (def.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (r.date_min !== null && text < resolveDate(r.date_min, today)) out.push(msg('date_min', `${def.label} is before ${resolveDate(r.date_min, today)}`));
    if (r.date_max !== null && text > resolveDate(r.date_max, today)) out.push(msg('date_max', `${def.label} is after ${resolveDate(r.date_max, today)}`));
  }
  return out;
}

function numeric(field: FieldResult | undefined, column: string | null): number | number[] | null {
  if (!field || isEmpty(field.value)) return null;
  const v = field.value;
  if (Array.isArray(v)) {
    if (column === null) return v.length;
    return v.map((row) => row[column]).filter((x): x is number => typeof x === 'number');
  }
  if (typeof v === 'number') return v;
  // Dates compare as day numbers, so `due_date >= invoice_date` works.
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(`${v}T00:00:00Z`) / 86_400_000;
  return null;
}

/** A field's value as a rule's explanation shows it: amounts with two decimals, dates as written; a column as its sum. */
function shown(field: FieldResult | undefined, column: string | null): string | null {
  const n = numeric(field, column);
  if (n === null || !field) return null;
  if (Array.isArray(n)) return n.reduce((s, x) => s + x, 0).toFixed(2);
  if (typeof field.value === 'string') return field.value;
  return field.type === 'amount' ? n.toFixed(2) : String(n);
}

/** A value read below its review threshold that no person has confirmed (not a table). */
function isUnsure(f: FieldResult | undefined, def: FieldDef | undefined, threshold?: (def: FieldDef) => number): boolean {
  if (!f || !def || f.type === 'table' || f.confirmed === true || isEmpty(f.value)) return false;
  const t = threshold?.(def) ?? def.confidence_threshold;
  return t !== null && f.confidence < t;
}

/** Whether another check reports the inconsistency among these fields (the fields a failed equality rule read). */
export type ReportedElsewhere = (fields: readonly string[]) => boolean;

/**
 * Runs every rule of the type on the document, setting each field's `valid` and
 * `messages` and the document's cross-field `messages`. Fields named in a broken
 * cross-field rule are marked invalid too, so a person sees where to look. A broken
 * equality whose fields `reported` says another check covers adds nothing.
 */
export function applyRules(doc: DocumentResult, type: DocumentType, settings: CaptureSettings, today: string, reported?: ReportedElsewhere, threshold?: (def: FieldDef) => number): void {
  const byName = new Map(doc.fields.map((f) => [f.name, f]));
  const defs = new Map(type.fields.map((d) => [d.name, d]));
  for (const def of type.fields) {
    const f = byName.get(def.name);
    if (!f) continue;
    f.messages = checkField(def, f, settings, today);
    f.valid = f.messages.length === 0;
  }
  doc.messages = [];
  const resolve = (name: string, column: string | null) => numeric(byName.get(name), column);
  for (const rule of type.rules) {
    const expr = parseExpression(rule.check);
    const read = new Set<string>();
    const result = evaluate(expr, (name, column) => {
      read.add(name);
      return resolve(name, column);
    }, rule.tolerance);
    if (result === false && expr.k === 'bin' && expr.op === '==' && reported?.([...read])) continue;
    if (result === false) {
      // The numbers behind the failure, so a person sees which value is off.
      const why = explainFailure(expr, resolve, (name, column) => shown(byName.get(name), column));
      const own = rule.message ?? `${rule.check} does not hold`;
      const message = why === null ? own : rule.message ? `${own}: ${why}` : why;
      // A rule that reads a table (its lines sum to the net total) marks the table only: its rows are what to check, not each total.
      // Unless every row adds up (quantity × unit price = amount) and a total it reads was read unsure: that total is what to check.
      const tables = rule.fields.filter((n) => byName.get(n)?.type === 'table');
      const unsure = tables.length > 0 && tables.every((n) => rowsAddUp(defs.get(n)?.table?.columns ?? [], byName.get(n)?.value as TableRow[])) ? rule.fields.filter((n) => isUnsure(byName.get(n), defs.get(n), threshold)) : [];
      const doubted = unsure.map((n) => `${defs.get(n)?.label ?? n} (read with ${Math.round(100 * (byName.get(n)?.confidence ?? 0))} % confidence)`);
      // One message for the document and the fields it lands on, so it is reported once.
      const text = unsure.length > 0 ? `${message}; each line's quantity × unit price gives its amount, so check ${doubted.join(' and ')}` : message;
      doc.messages.push(text);
      for (const n of unsure.length > 0 ? unsure : tables.length > 0 ? tables : rule.fields) {
        const f = byName.get(n);
        if (f && !f.messages.includes(text)) {
          f.messages.push(text);
          f.valid = false;
        }
      }
    }
  }
}
