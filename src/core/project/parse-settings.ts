/**
 * @module Checks and normalises the project-wide capture settings: separation,
 * classification thresholds, date order, lookup lists and export settings, then
 * the document types (parse-types.ts), into one `CaptureSettings`.
 */
import { Checker, join } from './check.ts';
import { parseScorer } from '../scorer/settings.ts';
import { parseDocumentTypes } from './parse-types.ts';
import { isEInvoiceExport, parseExportSettings, type ExportSetting } from '../export-settings.ts';
import { einvoiceSourceProblems } from '../einvoice/export-check.ts';
import {
  DATE_ORDERS,
  DEFAULT_OCR_SETTINGS,
  LINE_READINGS,
  PATCH_CODES,
  SEPARATION_MODES,
  type CaptureSettings,
  type ClassifierModel,
  type PatchCode,
} from './model.ts';

const MAX_LOOKUP_ENTRIES = 100_000;

export function parseLookups(c: Checker, value: unknown, extra: Record<string, string[]> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = { ...extra };
  const o = c.record(value, 'lookups');
  if (!o) return out;
  for (const [name, list] of Object.entries(o)) {
    const values = c.strings(list, join('lookups', name));
    if (values.length > MAX_LOOKUP_ENTRIES) c.add(join('lookups', name), `at most ${MAX_LOOKUP_ENTRIES} entries`);
    out[name] = values;
  }
  return out;
}

/** The export section, checked by the outputs' own parser so that both agree on every option. */
function parseExport(c: Checker, value: unknown): ExportSetting[] {
  const { settings, problems } = parseExportSettings(value);
  for (const p of problems) c.add(p.path, p.message);
  return settings;
}

/** A model carried in the file (a project exported with its trained classifier). */
function parseModel(c: Checker, value: unknown): ClassifierModel | null {
  const o = c.record(value, 'model');
  if (!o) return null;
  const ok =
    Array.isArray(o.vocabulary) &&
    Array.isArray(o.idf) &&
    o.idf.length === o.vocabulary.length &&
    Array.isArray(o.centroids) &&
    typeof o.temperature === 'number';
  if (!ok) {
    c.add('model', 'must be a classifier model as docket writes it (vocabulary, idf, centroids, temperature)');
    return null;
  }
  return o as unknown as ClassifierModel;
}

/** `separation.patch_codes`: a list of patch names (`[2, T]`; case-insensitive), all six when absent. */
function parsePatchCodes(c: Checker, value: unknown): PatchCode[] {
  if (value === undefined || value === null) return [...PATCH_CODES];
  const names = c.strings(value, 'separation.patch_codes');
  if (names.length === 0 && (Array.isArray(value) || typeof value === 'string')) c.add('separation.patch_codes', 'must name at least one patch code');
  const out = names.map((n, i) => c.oneOf(n.toUpperCase(), `separation.patch_codes[${i}]`, PATCH_CODES, 'T'));
  return [...new Set(out)];
}

/**
 * `ocr.languages` (docs/project-file.md#ocr-languages): Tesseract's language codes (`eng`, `deu`,
 * `fra`, `nld`, `chi_sim`, …), the main one first; at most 4, as each adds a model to
 * every line's recognition. Absent: English. A code without an installed pack is
 * left out where OCR runs (ocr/native.ts), with a warning.
 */
function parseLanguages(c: Checker, value: unknown): { languages?: string[] } {
  if (value === undefined || value === null) return {};
  const list = c.strings(value, 'ocr.languages');
  if (list.length === 0) c.add('ocr.languages', 'must name at least one language');
  if (list.length > 4) c.add('ocr.languages', 'at most 4 languages');
  const good = list.filter((code, i) => /^[a-z]{3}(?:_[a-z]{3,4})?$/.test(code) || (c.add(`ocr.languages[${i}]`, 'must be a Tesseract language code such as eng, deu, fra, nld or chi_sim'), false));
  return good.length > 0 ? { languages: [...new Set(good)] } : {};
}

export function parseCaptureSettings(c: Checker, input: Record<string, unknown>, bundleLookups: Record<string, string[]> = {}): CaptureSettings {
  const sep = c.record(input.separation, 'separation') ?? {};
  c.keys(sep, 'separation', ['mode', 'barcode_pattern', 'patch_codes', 'drop_separator', 'pattern', 'confidence_threshold']);
  const mode = c.oneOf(sep.mode, 'separation.mode', SEPARATION_MODES, 'none');
  const pattern = c.regex(sep.pattern, 'separation.pattern');
  if (mode === 'first_page_pattern' && pattern === null && sep.pattern === undefined) {
    c.add('separation.pattern', 'required for the first_page_pattern mode');
  }
  const cls = c.record(input.classification, 'classification') ?? {};
  c.keys(cls, 'classification', ['threshold', 'confirm_threshold']);
  const threshold = c.number(cls.threshold, 'classification.threshold', 0.5, 0, 1) ?? 0.5;
  const confirm = c.number(cls.confirm_threshold, 'classification.confirm_threshold', Math.max(threshold, 0.7), 0, 1) ?? threshold;
  if (confirm < threshold) c.add('classification.confirm_threshold', 'must not be below classification.threshold');
  const lookups = parseLookups(c, input.lookups, bundleLookups);
  const ocr = c.record(input.ocr, 'ocr') ?? {};
  c.keys(ocr, 'ocr', ['line_reading', 'languages']);
  const document_types = parseDocumentTypes(c, input.document_types, new Set(Object.keys(lookups)));
  const exports = parseExport(c, input.export);
  // An e-invoice export must find every mandatory term in the types it covers (core/einvoice/export-check.ts).
  exports.forEach((s, i) => {
    if (isEInvoiceExport(s)) for (const p of einvoiceSourceProblems(s, `export[${i}]`, document_types)) c.add(p.path, p.message);
  });
  return {
    separation: {
      mode,
      barcode_pattern: c.regex(sep.barcode_pattern, 'separation.barcode_pattern', ''),
      patch_codes: parsePatchCodes(c, sep.patch_codes),
      drop_separator: c.boolean(sep.drop_separator, 'separation.drop_separator', true),
      pattern,
      confidence_threshold: c.number(sep.confidence_threshold, 'separation.confidence_threshold', 0.8, 0, 1) ?? 0.8,
    },
    classification: { threshold, confirm_threshold: confirm },
    document_types,
    export: exports,
    date_order: c.oneOf(input.date_order, 'date_order', DATE_ORDERS, 'dmy'),
    ocr: { line_reading: c.oneOf(ocr.line_reading, 'ocr.line_reading', LINE_READINGS, DEFAULT_OCR_SETTINGS.line_reading), ...parseLanguages(c, ocr.languages) },
    lookups,
    model: parseModel(c, input.model),
    scorer: parseScorer(c, input.scorer),
  };
}
