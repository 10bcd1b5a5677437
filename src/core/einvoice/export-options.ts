/**
 * @module The options an e-invoice export (`cii`, `ubl`, `facturx`) takes beyond name and
 * scope, checked at project upload like every other export option (export-settings.ts):
 * which document types are invoices, which field carries a business term the default
 * names of terms.ts do not find, and fixed values for terms the documents do not carry
 * (docs/einvoice-export.md). Term ids are checked for their form (`BT-n`, `BG-n`).
 */
import { isRecord } from '../../shared/records.ts';
import { TERM_ID } from './business-terms.ts';

export interface EInvoiceOptions {
  /** Document types exported as e-invoices; null = every document. */
  document_types: string[] | null;
  /** Term id → the field that carries it. */
  fields: Record<string, string>;
  /** Term id → a fixed value, used where the document has none. */
  values: Record<string, string>;
}

function termMap(raw: unknown, at: string, what: string, problems: { path: string; message: string }[]): Record<string, string> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    problems.push({ path: at, message: `must map business terms (BT-n) to ${what}` });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [term, v] of Object.entries(raw)) {
    if (!TERM_ID.test(term)) problems.push({ path: `${at}.${term}`, message: 'must be a business term id such as BT-44' });
    else if (typeof v !== 'string' || v.trim() === '') problems.push({ path: `${at}.${term}`, message: `must be ${what}` });
    else out[term] = v;
  }
  return out;
}

export function parseEInvoiceOptions(raw: Record<string, unknown>, at: string, problems: { path: string; message: string }[]): EInvoiceOptions {
  let document_types: string[] | null = null;
  if (raw.document_types !== undefined) {
    if (Array.isArray(raw.document_types) && raw.document_types.length > 0 && raw.document_types.every((t) => typeof t === 'string' && t !== '')) {
      document_types = raw.document_types as string[];
    } else {
      problems.push({ path: `${at}.document_types`, message: 'must be a list of document type names' });
    }
  }
  return {
    document_types,
    fields: termMap(raw.fields, `${at}.fields`, 'a field name', problems),
    values: termMap(raw.values, `${at}.values`, 'a non-empty text', problems),
  };
}
