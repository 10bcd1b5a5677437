/**
 * @module Custom text outputs rendered with Mustache: logic-less, so a project file
 * cannot run code. Mustache resolves a name with `in`, which walks prototypes, so
 * `{{constructor}}` on plain data would reach `Object`; the view is therefore
 * rebuilt with null prototypes on every object and array (arrays keep their
 * iteration: Mustache only needs `Array.isArray` and `length`). Partials are never
 * supplied, so `{{> name}}` renders nothing rather than reading a file.
 */
import Mustache from 'mustache';
import type { TemplateExport } from '../../core/export-settings.ts';
import type { ExportData } from './data.ts';

/**
 * A deep copy of JSON-like data in which no object or array has a prototype. Each
 * gets a `Symbol.toPrimitive` (unreachable by Mustache names, which are strings) so
 * that `{{table}}` writes the value as JSON instead of throwing on a prototype-less
 * object.
 */
export function nullPrototypeCopy(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  let copy: object;
  if (Array.isArray(value)) {
    copy = value.map(nullPrototypeCopy);
    Object.setPrototypeOf(copy, null);
  } else {
    const record = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) record[k] = nullPrototypeCopy(v);
    copy = record;
  }
  Object.defineProperty(copy, Symbol.toPrimitive, { value: () => JSON.stringify(value), enumerable: false });
  return copy;
}

/**
 * The view: the export data, each document with `fields_list` ([{name, value}]) to
 * loop over its fields, plus `document`, `fields` and `fields_list` of the one
 * document at the top when the output is per document.
 */
function view(data: ExportData, scope: TemplateExport['scope']): unknown {
  const docs = data.documents.map((d) => ({ ...d, fields_list: Object.entries(d.fields).map(([name, value]) => ({ name, value })) }));
  const first = docs[0];
  const base = { ...data, documents: docs };
  return nullPrototypeCopy(scope === 'document' && first ? { ...base, document: first, fields: first.fields, fields_list: first.fields_list } : base);
}

export function renderTemplate(data: ExportData, setting: TemplateExport): string {
  const escape = setting.escape === 'html' ? Mustache.escape : (text: string) => `${text}`;
  // A null-prototype partials map: `{{> constructor}}` must not find Object.
  return Mustache.render(setting.template, view(data, setting.scope), Object.create(null) as Record<string, string>, { escape });
}
