/**
 * @module The `export:` section of a project file (docs/export-json.md): which files an export
 * hands over and what they are called. Parsed once, at project upload, reporting every
 * problem with its path; the outputs stage then trusts the normalised settings. The
 * rules for the file names themselves are in `src/shared/file-names.ts`.
 */
import { isRecord } from '../shared/records.ts';
import { parseEInvoiceOptions, type EInvoiceOptions } from './einvoice/export-options.ts';

export const EXPORT_FORMATS = ['json', 'csv', 'xml', 'template', 'searchable_pdf', 'original', 'cii', 'ubl', 'facturx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** `task`: one file for the whole task; `document`: one file per document. */
export type ExportScope = 'task' | 'document';

interface BaseSetting {
  name: string;
  scope: ExportScope;
}
export interface JsonExport extends BaseSetting { format: 'json' }
export interface XmlExport extends BaseSetting { format: 'xml' }
export interface SearchablePdfExport extends BaseSetting { format: 'searchable_pdf' }
export interface OriginalExport extends BaseSetting { format: 'original' }
export interface CsvExport extends BaseSetting {
  format: 'csv';
  /** One row per document, or one per row of a table field (line items). */
  rows: 'document' | 'line_item';
  delimiter: string;
  /** The table field line items come from; null = each document's first table field. */
  table: string | null;
  /** Field (or table column) names in order; null = every name met, in order of appearance. */
  columns: string[] | null;
  header: boolean;
  /**
   * `escape` (default): a text cell starting with `= + - @`, tab or CR gets a leading
   * `'`, so a spreadsheet shows it instead of running it as a formula (OWASP, CSV
   * Injection); `allow` writes it as it is, for a consumer that is not a spreadsheet.
   */
  formulas: 'escape' | 'allow';
}
export interface TemplateExport extends BaseSetting {
  format: 'template';
  template: string;
  content_type: string;
  /** `html` escapes `{{x}}` values (Mustache's default); `none` writes them as they are. */
  escape: 'html' | 'none';
}
/** An EN 16931 e-invoice per invoice document: CII or UBL XML, or a Factur-X PDF (docs/einvoice-export.md). */
export interface EInvoiceExport extends BaseSetting, EInvoiceOptions {
  format: 'cii' | 'ubl' | 'facturx';
}
export type ExportSetting = JsonExport | XmlExport | CsvExport | TemplateExport | SearchablePdfExport | OriginalExport | EInvoiceExport;

export function isEInvoiceExport(s: ExportSetting): s is EInvoiceExport {
  return s.format === 'cii' || s.format === 'ubl' || s.format === 'facturx';
}

export interface ExportProblem {
  path: string;
  message: string;
}

/** Placeholders a name template may use; `tag.X` and `field.X` are open families. */
const TASK_PLACEHOLDERS = ['task_name', 'task_id', 'file_name', 'file_stem'];
const DOCUMENT_PLACEHOLDERS = ['document_index', 'document_number', 'document_type'];
const PLACEHOLDER = /\{([^{}]*)\}/g;
const EXTENSIONS: Record<ExportFormat, string> = { json: 'json', csv: 'csv', xml: 'xml', template: 'txt', searchable_pdf: 'pdf', original: '', cii: 'cii.xml', ubl: 'ubl.xml', facturx: 'pdf' };
/** Formats that are one file per document whatever the name says. */
const PER_DOCUMENT: readonly ExportFormat[] = ['searchable_pdf', 'cii', 'ubl', 'facturx'];

/** What a project without `export:` gets: the JSON data file and the original. */
export const DEFAULT_EXPORT: readonly ExportSetting[] = [
  { format: 'json', name: '{task_name}.json', scope: 'task' },
  { format: 'original', name: '{file_name}', scope: 'task' },
];

/** The placeholders of a name template, e.g. `['task_name', 'field.total']`. */
export function namePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => (m[1] as string).trim());
}

function usesDocument(template: string): boolean {
  return namePlaceholders(template).some((p) => DOCUMENT_PLACEHOLDERS.includes(p) || p.startsWith('field.'));
}

function defaultName(format: ExportFormat, scope: ExportScope): string {
  if (format === 'original') return '{file_name}';
  return scope === 'document' ? `{task_name}_{document_index}.${EXTENSIONS[format]}` : `{task_name}.${EXTENSIONS[format]}`;
}

function checkName(template: string, scope: ExportScope, at: string, problems: ExportProblem[]): void {
  for (const p of namePlaceholders(template)) {
    const family = /^(tag|field)\.[A-Za-z0-9_.-]+$/.test(p);
    if (!family && !TASK_PLACEHOLDERS.includes(p) && !DOCUMENT_PLACEHOLDERS.includes(p)) {
      problems.push({ path: `${at}.name`, message: `unknown placeholder {${p}}` });
    } else if (scope === 'task' && (DOCUMENT_PLACEHOLDERS.includes(p) || p.startsWith('field.'))) {
      problems.push({ path: `${at}.name`, message: `{${p}} needs scope: document` });
    }
  }
}

function parseDelimiter(value: unknown, at: string, problems: ExportProblem[]): string {
  if (value === undefined) return ',';
  const d = value === 'tab' ? '\t' : value;
  if (typeof d !== 'string' || [...d].length !== 1 || d === '"' || d === '\r' || d === '\n') {
    problems.push({ path: `${at}.delimiter`, message: 'must be one character other than a quote or line break (or "tab")' });
    return ',';
  }
  return d;
}

function stringList(value: unknown, at: string, problems: ExportProblem[]): string[] | null {
  if (value === undefined) return null;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')) return value as string[];
  problems.push({ path: at, message: 'must be a list of names' });
  return null;
}

function parseOne(raw: unknown, at: string, problems: ExportProblem[]): ExportSetting | null {
  if (!isRecord(raw)) {
    problems.push({ path: at, message: 'must be an object with a format' });
    return null;
  }
  const format = raw.format;
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    problems.push({ path: `${at}.format`, message: `must be one of ${EXPORT_FORMATS.join(', ')}` });
    return null;
  }
  const f = format as ExportFormat;
  if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name.trim() === '')) {
    problems.push({ path: `${at}.name`, message: 'must be a non-empty name template' });
  }
  const givenName = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : null;
  let scope: ExportScope = PER_DOCUMENT.includes(f) || (givenName !== null && usesDocument(givenName)) ? 'document' : 'task';
  if (raw.scope !== undefined) {
    if (raw.scope === 'task' || raw.scope === 'document') scope = raw.scope;
    else problems.push({ path: `${at}.scope`, message: 'must be task or document' });
  }
  if (f === 'original' && scope === 'document') problems.push({ path: `${at}.scope`, message: 'the original is one file per task' });
  if (f !== 'searchable_pdf' && PER_DOCUMENT.includes(f) && scope === 'task') problems.push({ path: `${at}.scope`, message: 'an e-invoice is one file per document' });
  const name = givenName ?? defaultName(f, scope);
  checkName(name, scope, at, problems);
  if (f === 'csv') {
    let rows: CsvExport['rows'] = 'document';
    if (raw.rows !== undefined) {
      if (raw.rows === 'document' || raw.rows === 'line_item') rows = raw.rows;
      else problems.push({ path: `${at}.rows`, message: 'must be document or line_item' });
    }
    if (raw.table !== undefined && (typeof raw.table !== 'string' || raw.table === '')) {
      problems.push({ path: `${at}.table`, message: 'must be the name of a table field' });
    }
    if (raw.header !== undefined && typeof raw.header !== 'boolean') problems.push({ path: `${at}.header`, message: 'must be true or false' });
    if (raw.formulas !== undefined && raw.formulas !== 'escape' && raw.formulas !== 'allow') problems.push({ path: `${at}.formulas`, message: 'must be escape or allow' });
    return {
      format: f, name, scope, rows,
      delimiter: parseDelimiter(raw.delimiter, at, problems),
      table: typeof raw.table === 'string' && raw.table !== '' ? raw.table : null,
      columns: stringList(raw.columns, `${at}.columns`, problems),
      header: raw.header !== false,
      formulas: raw.formulas === 'allow' ? 'allow' : 'escape',
    };
  }
  if (f === 'template') {
    if (typeof raw.template !== 'string' || raw.template === '') problems.push({ path: `${at}.template`, message: 'required: the template text' });
    if (raw.content_type !== undefined && (typeof raw.content_type !== 'string' || !/^[\w.+-]+\/[\w.+-]+/.test(raw.content_type))) {
      problems.push({ path: `${at}.content_type`, message: 'must be a media type such as text/plain' });
    }
    if (raw.escape !== undefined && raw.escape !== 'html' && raw.escape !== 'none') problems.push({ path: `${at}.escape`, message: 'must be html or none' });
    return {
      format: f, name, scope,
      template: typeof raw.template === 'string' ? raw.template : '',
      content_type: typeof raw.content_type === 'string' ? raw.content_type : 'text/plain; charset=utf-8',
      escape: raw.escape === 'html' ? 'html' : 'none',
    };
  }
  if (f === 'cii' || f === 'ubl' || f === 'facturx') return { format: f, name, scope, ...parseEInvoiceOptions(raw, at, problems) };
  return { format: f, name, scope } as ExportSetting;
}

/** Parses `export:`; absent means `DEFAULT_EXPORT`. Every problem is reported with its path. */
export function parseExportSettings(raw: unknown, path = 'export'): { settings: ExportSetting[]; problems: ExportProblem[] } {
  if (raw === undefined || raw === null) return { settings: [...DEFAULT_EXPORT], problems: [] };
  if (!Array.isArray(raw)) return { settings: [], problems: [{ path, message: 'must be a list of outputs' }] };
  const problems: ExportProblem[] = [];
  const settings: ExportSetting[] = [];
  raw.forEach((item, i) => {
    const setting = parseOne(item, `${path}[${i}]`, problems);
    if (setting) settings.push(setting);
  });
  return { settings: problems.length > 0 ? [] : settings, problems };
}
