/**
 * @module Does the visible invoice say what the attached XML says? A hybrid invoice
 * whose pages show one total, number or IBAN and whose XML another has been altered
 * on one side (an edited XML redirecting payment is the classic fraud), and an ERP
 * booking the XML would pay what nobody saw. The test is whether each value of the
 * XML is printed somewhere on the pages, not whether the visual extraction picked
 * it: extraction may choose the wrong one of several amounts, while a total that
 * appears nowhere is a real disagreement. What the visual extraction read is named
 * in the message, for the person who checks.
 */
import type { FieldResult } from '../../core/capture.ts';
import type { EInvoiceFinding } from '../../core/einvoice/en16931-checks.ts';
import type { EInvoice } from '../../core/einvoice/model.ts';
import { iban as ibanValid } from '../capture/checksums.ts';
import { findAmounts } from '../capture/normalize.ts';

const compact = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** IBAN length by country, from the SWIFT IBAN registry (ISO 13616). */
const IBAN_LENGTH: Record<string, number> = Object.fromEntries(
  'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20'
    .split(' ')
    .map((e) => [e.slice(0, 2), Number(e.slice(2))]),
);

/** Every IBAN printed on the lines (spaces allowed inside), checked by its ISO 13616 checksum. */
export function printedIbans(lines: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const line of lines) {
    for (const m of line.toUpperCase().matchAll(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,32}/g)) {
      const chars = m[0].replace(/ /g, '');
      const known = IBAN_LENGTH[chars.slice(0, 2)];
      if (known !== undefined) {
        if (chars.length >= known && ibanValid(chars.slice(0, known))) out.add(chars.slice(0, known));
        continue;
      }
      // Another country: the match may run into the next word ("… 5678 90 BIC"), so the longest prefix that passes the checksum.
      for (let n = Math.min(34, chars.length); n >= 15; n--) {
        if (ibanValid(chars.slice(0, n))) {
          out.add(chars.slice(0, n));
          break;
        }
      }
    }
  }
  return out;
}

function read(visual: FieldResult | undefined): string {
  return visual && visual.value !== null && !Array.isArray(visual.value) ? ` (the pages read ${JSON.stringify(visual.text ?? visual.value)})` : '';
}

/**
 * The XML's invoice number (BT-1), total with VAT (BT-112) and IBAN (BT-84) that the
 * pages do not show. `visual` are the fields the page extraction found for BT-1,
 * BT-112 and BT-84, by term. Pages without text are not compared (no finding).
 */
export function visualFindings(inv: EInvoice, lines: readonly string[], visual: Partial<Record<'BT-1' | 'BT-112' | 'BT-84', FieldResult>>): EInvoiceFinding[] {
  const text = compact(lines.join(' '));
  if (text === '') return [];
  const out: EInvoiceFinding[] = [];
  if (inv.number !== null && !text.includes(compact(inv.number))) {
    out.push({ rule: 'visual', terms: ['BT-1'], message: `the invoice number ${inv.number} of the embedded XML is not printed on the pages${read(visual['BT-1'])}` });
  }
  const total = inv.totals.tax_inclusive === null ? NaN : Math.abs(Number(inv.totals.tax_inclusive));
  if (Number.isFinite(total)) {
    const shown = lines.some((l) => findAmounts(l).some((a) => Math.abs(Math.abs(a.value.value) - total) < 0.005));
    if (!shown) out.push({ rule: 'visual', terms: ['BT-112'], message: `the total ${inv.totals.tax_inclusive} of the embedded XML is not printed on the pages${read(visual['BT-112'])}` });
  }
  // Printed as written first: a sample IBAN with wrong check digits is still the same text.
  const printed = printedIbans(lines);
  const own = inv.iban?.replace(/\s+/g, '').toUpperCase();
  if (own && printed.size > 0 && !printed.has(own) && !text.includes(compact(own))) {
    out.push({ rule: 'visual', terms: ['BT-84'], message: `the IBAN ${inv.iban} of the embedded XML is not the one printed on the pages (${[...printed].join(', ')})` });
  }
  return out;
}
