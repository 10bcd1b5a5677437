/**
 * @module The `vat_id` and `iban` heuristics: the issuer's VAT identifier and the account
 * it asks to be paid to, read from the page, for invoices that carry no e-invoice XML.
 *
 * Why: both are checkable strings, so a page reading of them can be sure where a name
 * cannot. An IBAN must pass its mod-97 check (ISO 13616), or stand under an IBAN label and
 * be offered at half the score, for review; a VAT identifier must have an
 * EU country prefix and the digit count its country uses (Council Directive 2006/112/EC
 * formats, VIES); a German or Italian one failing its check digit (ISO 7064 MOD 11,10;
 * Luhn) is offered at half the score, for review.
 *
 * Whose: an invoice also prints the buyer's VAT identifier ("Ihre USt-IdNr.", "Customer
 * VAT") and, for a direct debit, the buyer's IBAN ("wird von Ihrem Konto … abgebucht").
 * A value on a line that names the buyer, or under a buyer's heading within the six lines
 * before it, scores ×0.3. A value printed twice (header and footer) pools its evidence.
 */
import { unionBox } from '../../core/page.ts';
import { iban, luhn } from './checksums.ts';
import type { Candidate } from './methods.ts';
import { meanConfidence, spanWords, type TextLine } from './text.ts';

/** n digits, in groups a single space may separate ("DE 136 695 976"). */
const grouped = (n: number): string => String.raw`(?:\d ?){${n - 1}}\d`;
const VAT = new RegExp(String.raw`\b(AT\s?U${grouped(8)}|BE\s?[01]${grouped(9)}|BG${grouped(9)}\d?|CY${grouped(8)}[A-Z]|CZ${grouped(8)}\d{0,2}|DE\s?${grouped(9)}|DK\s?${grouped(8)}|EE${grouped(9)}|EL${grouped(9)}|ES[A-Z0-9]${grouped(7)}[A-Z0-9]|FI${grouped(8)}|FR\s?[A-HJ-NP-Z0-9]{2}\s?${grouped(9)}|HR${grouped(11)}|HU${grouped(8)}|IE\d[A-Z0-9+*]\d{5}[A-Z]{1,2}|IT\s?${grouped(11)}|LT(?:${grouped(12)}|${grouped(9)})|LU${grouped(8)}|LV${grouped(11)}|MT${grouped(8)}|NL\s?${grouped(9)}\s?B\d{2}|PL\s?${grouped(10)}|PT\s?${grouped(9)}|RO\d{2,10}|SE${grouped(12)}|SI${grouped(8)}|SK${grouped(10)}|GB\s?(?:${grouped(12)}|${grouped(9)}))(?![\dA-Z])`, 'gi');
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/gi;
const VAT_LABEL = /\b(?:VAT|USt|UID|BTW|TVA|IVA|MwSt|Steuer|tax)\b/i;
const IBAN_LABEL = /\bIBAN\b/i;
/** The buyer's own: "Ihre USt-IdNr", "customer VAT", an account the amount is debited from. */
const BUYERS = /\b(?:ihre?|your|customer|kunden?\w*|client|buyer|käufer|acheteur|leistungsempfänger|rechnungsempfänger|bill\s+to|abgebucht|debited|lastschrift|mandat\w*|prélev\w*|incasso)\b/i;
const BUYER_HEADING = /^\s*(?:käufer|kunde|rechnungsempfänger|leistungsempfänger|buyer|bill\s+to|sold\s+to|customer|client|acheteur|factuuradres|invoice\s+to)\b/i;

/** ISO 7064 MOD 11,10, the check digit of a German VAT number (the 9th of its digits). */
function mod1110(digits: string): boolean {
  let p = 10;
  for (const ch of digits.slice(0, -1)) {
    const s = (Number(ch) + p) % 10;
    p = (2 * (s === 0 ? 10 : s)) % 11;
  }
  return (11 - p) % 10 === Number(digits.at(-1));
}

/** The check a country's VAT number has and we know; true where none is known. */
function vatChecks(id: string): boolean {
  const digits = id.slice(2);
  if (id.startsWith('DE')) return mod1110(digits);
  if (id.startsWith('IT')) return luhn(digits);
  return true;
}

/** Whether line `i` sits under a buyer's heading: one within the six lines before it, on its page, at its left edge (±40 pt). */
function underBuyer(lines: TextLine[], i: number): boolean {
  const line = lines[i] as TextLine;
  for (let k = i - 1; k >= Math.max(0, i - 6); k--) {
    const l = lines[k] as TextLine;
    if (l.page !== line.page) return false;
    if (BUYER_HEADING.test(l.text) && Math.abs(l.box.x - line.box.x) < 40) return true;
  }
  return false;
}

/**
 * A value failing its check digit is still offered, at half the score, for a person to look at (a misread digit, or
 * a made-up number as in test invoices): a VAT id always (its format is specific), an IBAN only under its label.
 */
function found(lines: TextLine[], pattern: RegExp, valid: (id: string) => boolean, label: RegExp, base: number, anyFailing: boolean): Candidate[] {
  const out: Candidate[] = [];
  lines.forEach((line, i) => {
    for (const m of line.text.matchAll(pattern)) {
      const id = m[0].replace(/\s/g, '').toUpperCase();
      const ok = valid(id);
      const labelled = label.test(line.text) || (i > 0 && label.test((lines[i - 1] as TextLine).text) && (lines[i - 1] as TextLine).page === line.page);
      if (!ok && !anyFailing && !labelled) continue;
      const words = spanWords(line, m.index, m.index + m[0].length);
      const buyers = BUYERS.test(line.text) || underBuyer(lines, i);
      const score = (base + (labelled ? 0.15 : 0)) * (buyers ? 0.3 : 1) * (ok ? 1 : 0.5);
      out.push({ value: id, text: m[0], score, ocr: meanConfidence(words), areas: words.length > 0 ? [{ page: line.page, box: unionBox(words.map((w) => w.box)) }] : [], order: i });
    }
  });
  return out;
}

/** The issuer's VAT identifier, compact ("DE123456789"). */
export function vatIdCandidates(lines: TextLine[]): Candidate[] {
  return found(lines, VAT, vatChecks, VAT_LABEL, 0.75, true);
}

/** The IBAN to pay to, compact; one failing mod-97 only under an IBAN label, for review. */
export function ibanCandidates(lines: TextLine[]): Candidate[] {
  return found(lines, IBAN, iban, IBAN_LABEL, 0.8, false);
}
