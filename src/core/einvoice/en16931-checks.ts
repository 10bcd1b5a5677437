/**
 * @module The checks a person would otherwise make on an e-invoice read from XML:
 * the EN 16931-1 arithmetic business rules and the mandatory business terms. Each
 * failure names its rule and the terms involved, so it can become a validation
 * action on the fields that carry them. Amounts are summed exactly (decimal strings
 * scaled to integers, no floats) and must agree to less than one cent: totals are
 * rounded to cents while line amounts may carry four decimals (ZUGFeRD 1.0).
 */
import { termLabel, termValue } from './business-terms.ts';
import type { EInvoice } from './model.ts';

export interface EInvoiceFinding {
  /** EN 16931 rule identifier, e.g. "BR-CO-15", or "BR-mandatory". */
  rule: string;
  /** The business terms involved, e.g. ["BT-109", "BT-110", "BT-112"]. */
  terms: string[];
  message: string;
}

const SCALE = 6;
const MINIMUM = /:minimum$/i;

/** A decimal string as an integer count of 10⁻⁶; null when it is not a plain decimal. */
function micros(s: string | null): bigint | null {
  if (s === null) return null;
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const frac = (m[3] ?? '').slice(0, SCALE).padEnd(SCALE, '0');
  const v = BigInt(`${m[2] || '0'}${frac}`);
  return m[1] === '-' ? -v : v;
}

function show(v: bigint): string {
  const neg = v < 0n;
  const cents = ((neg ? -v : v) + 5000n) / 10000n;
  return `${neg ? '-' : ''}${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

const CENT = 10_000n;

/** Whether `total` equals the signed sum of `parts` to less than a cent; null when `total` or a part is missing. */
function agrees(total: bigint | null, parts: (bigint | null)[]): { ok: boolean; sum: bigint } | null {
  if (total === null || parts.some((p) => p === null)) return null;
  const sum = (parts as bigint[]).reduce((a, b) => a + b, 0n);
  const diff = sum - total;
  return { ok: diff < CENT && diff > -CENT, sum };
}

export function arithmeticFindings(inv: EInvoice): EInvoiceFinding[] {
  const out: EInvoiceFinding[] = [];
  const t = (id: string) => micros(termValue(inv, id));
  const opt = (id: string) => t(id) ?? 0n;
  const check = (rule: string, terms: string[], total: bigint | null, parts: (bigint | null)[], text: (sum: string) => string) => {
    const r = agrees(total, parts);
    if (r && !r.ok) out.push({ rule, terms, message: text(show(r.sum)) });
  };
  const priced = inv.lines.filter((l) => l.net_amount !== null);
  if (priced.length > 0) {
    check('BR-CO-10', ['BT-106'], t('BT-106'), priced.map((l) => micros(l.net_amount)), (sum) => `the line net amounts add up to ${sum}, not to ${termLabel('BT-106')} ${termValue(inv, 'BT-106')}`);
  }
  if (t('BT-106') !== null) {
    check('BR-CO-13', ['BT-106', 'BT-107', 'BT-108', 'BT-109'], t('BT-109'), [t('BT-106'), -opt('BT-107'), opt('BT-108')], (sum) => `BT-106 − BT-107 + BT-108 is ${sum}, not ${termLabel('BT-109')} ${termValue(inv, 'BT-109')}`);
  }
  check('BR-CO-15', ['BT-109', 'BT-110', 'BT-112'], t('BT-112'), [t('BT-109'), opt('BT-110')], (sum) => `total without VAT + VAT is ${sum}, not ${termLabel('BT-112')} ${termValue(inv, 'BT-112')}`);
  // MINIMUM has no paid amount (BT-113) to explain a due amount below the total, so the rule cannot be checked there.
  if (!(MINIMUM.test(inv.profile ?? '') && t('BT-113') === null)) {
    check('BR-CO-16', ['BT-112', 'BT-113', 'BT-115'], t('BT-115'), [t('BT-112'), -opt('BT-113'), opt('BT-114')], (sum) => `total − paid amount is ${sum}, not ${termLabel('BT-115')} ${termValue(inv, 'BT-115')}`);
  }
  if (inv.vat_breakdown.length > 0 && t('BT-110') !== null) {
    check('BR-CO-14', ['BT-110'], t('BT-110'), inv.vat_breakdown.map((v) => micros(v.tax_amount)), (sum) => `the VAT breakdown adds up to ${sum}, not to ${termLabel('BT-110')} ${termValue(inv, 'BT-110')}`);
  }
  return out;
}

/** Profiles that carry no invoice lines and no VAT breakdown (Factur-X / ZUGFeRD 2 MINIMUM and BASIC WL). */
const HEADER_ONLY = /:(minimum|basicwl)$/i;

/**
 * EN 16931-1's mandatory terms that every profile carries (BR-01 … BR-16), and the
 * lines (BG-25), VAT breakdown (BG-23) and BT-106 where the profile has lines.
 * ZUGFeRD 1.0 predates the standard: its BASIC profile made the amount due
 * (`DuePayableAmount`) and the countries optional, so they are not asked of it.
 */
export function mandatoryFindings(inv: EInvoice): EInvoiceFinding[] {
  const required = ['BT-1', 'BT-2', 'BT-3', 'BT-5', 'BT-27', 'BT-44', 'BT-109', 'BT-112'];
  if (inv.syntax !== 'zugferd1') required.push('BT-115');
  const withLines = !HEADER_ONLY.test(inv.profile ?? '');
  if (withLines) required.push('BT-106');
  if (withLines && inv.syntax !== 'zugferd1') required.push('BT-40', 'BT-55');
  const missing = required.filter((id) => termValue(inv, id) === null);
  if (withLines && inv.lines.length === 0) missing.push('BG-25');
  if (withLines && inv.vat_breakdown.length === 0) missing.push('BG-23');
  return missing.map((id) => ({ rule: 'BR-mandatory', terms: [id], message: `${id === 'BG-25' ? 'BG-25 (invoice lines)' : id === 'BG-23' ? 'BG-23 (VAT breakdown)' : termLabel(id)} is missing from the embedded invoice` }));
}

export function checkEInvoice(inv: EInvoice): EInvoiceFinding[] {
  return [...mandatoryFindings(inv), ...arithmeticFindings(inv)];
}
