/**
 * @module The upload-time check of an e-invoice export (`cii`, `ubl`, `facturx`) against the
 * document types it covers: every mandatory EN 16931 term must have a source — a field
 * of the type (by the names of terms.ts, a field's own `extract: [{ einvoice: BT-xx }]`,
 * or the setting's `fields:`), a fixed value (`values:`), or a derivation from-fields.ts
 * makes (a country from a VAT id field, one total from the other two). Otherwise every
 * invoice of that type would go to validation for a term nobody can type in, and then
 * fail; the project is refused instead, with the path and what to add.
 */
import type { EInvoiceExport } from '../export-settings.ts';
import type { DocumentType } from '../project/model.ts';
import { termLabel } from './business-terms.ts';
import { TERM_FIELDS } from './terms.ts';

/** Terms every invoice needs, and what else can stand in for each. */
const NEEDED: readonly (readonly string[])[] = [
  ['BT-1'], ['BT-2'], ['BT-5'], ['BT-27'], ['BT-44'], ['BT-40', 'BT-31'], ['BT-55', 'BT-48'],
];
/** Two of the three totals give the third (BR-CO-15). */
const TOTALS = ['BT-109', 'BT-110', 'BT-112'];

function hasSource(s: EInvoiceExport, type: DocumentType, term: string): boolean {
  if (s.values[term] !== undefined) return true;
  const named = s.fields[term];
  return type.fields.some((f) => f.name === named || f.extract.some((m) => m.einvoice === term) || (TERM_FIELDS[term] ?? []).includes(f.name));
}

/** Problems with paths (`export[i].values`), one per type and missing term. */
export function einvoiceSourceProblems(s: EInvoiceExport, at: string, types: readonly DocumentType[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const covered = s.document_types === null ? types : types.filter((t) => s.document_types?.includes(t.name));
  for (const name of s.document_types ?? []) {
    if (!types.some((t) => t.name === name)) problems.push({ path: `${at}.document_types`, message: `no document type ${name}` });
  }
  for (const type of covered) {
    const missing = NEEDED.filter((alts) => !alts.some((term) => hasSource(s, type, term))).map((alts) => alts[0] as string);
    if (TOTALS.filter((term) => hasSource(s, type, term)).length < 2) missing.push(...TOTALS.filter((term) => !hasSource(s, type, term)));
    for (const term of missing) {
      problems.push({ path: `${at}.values`, message: `document type ${type.name} has no field for ${termLabel(term)}: add one, or give it in fields: or values:` });
    }
  }
  return problems;
}
