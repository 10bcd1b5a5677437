/**
 * @module The invoice lines (BG-25) and VAT breakdown (BG-23) of an e-invoice built from
 * captured fields (from-fields.ts). Two cases:
 * - every line of the captured table has its VAT rate (a `vat_rate` column): one
 *   breakdown row per rate, its taxable amount the sum of its lines (BR-CO-10) and its
 *   VAT the rounded product (BR-CO-17); a difference of a cent per row from the
 *   captured VAT total — per-line rounding on the paper invoice — goes to the largest
 *   row, so the rows add up to BT-110 as BR-CO-14 asks;
 * - otherwise one row for the whole invoice, at the one rate that gives BT-110
 *   (`vatRate` below), or none when the totals mix rates: the caller reports it.
 * Category S for a positive rate, Z for 0, unless the document says (BT-118).
 */
import type { EInvoiceLine, EInvoiceVatBreakdown } from './model.ts';

export type DraftLine = Omit<EInvoiceLine, 'vat_category'>;

/**
 * The VAT rate (BT-119) of a one-row VAT breakdown built from two captured totals,
 * BT-109 (without VAT) and BT-110 (VAT). EN 16931 rule BR-CO-17 wants the row's VAT
 * amount to equal its taxable amount × rate / 100, rounded to 2 decimals. VAT rates in
 * force in the EU, Switzerland and the UK have at most one decimal (19, 5.5, 8.1,
 * 13.5), so the rate is the one with the fewest decimals, at most one, that gives the
 * VAT amount to the cent — 1 cent of slack for totals summed from per-line rounding.
 * When none does, the totals mix several rates (or one was misread), and a single rate
 * would be a fiction: null, and the caller reports it. Amounts in cents; the rate in
 * percent as a decimal string ("19", "5.5", "0").
 */
export function vatRate(netCents: number, taxCents: number): string | null {
  if (taxCents === 0) return '0';
  if (netCents === 0) return null;
  const exact = (taxCents / netCents) * 100;
  for (const decimals of [0, 1]) {
    const rate = Number(exact.toFixed(decimals));
    if (Math.abs(Math.round((netCents * rate) / 100) - taxCents) <= 1) return String(rate);
  }
  return null;
}

const money = (c: number): string => (c / 100).toFixed(2);
const toCents = (s: string): number => Math.round(Number(s) * 100);

function byLineRates(lines: DraftLine[], tax: number, category: string | null): { lines: EInvoiceLine[]; breakdown: EInvoiceVatBreakdown[] } | null {
  const groups = new Map<string, number>();
  for (const l of lines) groups.set(String(Number(l.vat_rate)), (groups.get(String(Number(l.vat_rate))) ?? 0) + toCents(l.net_amount ?? '0'));
  const rows = [...groups].map(([rate, taxable]) => ({ rate, taxable, tax: Math.round((taxable * Number(rate)) / 100) }));
  const diff = tax - rows.reduce((s, r) => s + r.tax, 0);
  if (Math.abs(diff) > rows.length) return null;
  const largest = rows.reduce((a, b) => (Math.abs(b.taxable) > Math.abs(a.taxable) ? b : a));
  largest.tax += diff;
  const cat = (rate: string) => category ?? (Number(rate) === 0 ? 'Z' : 'S');
  return {
    lines: lines.map((l) => ({ ...l, vat_rate: String(Number(l.vat_rate)), vat_category: cat(String(Number(l.vat_rate))) })),
    breakdown: rows.map((r) => ({ taxable_amount: money(r.taxable), tax_amount: money(r.tax), category: cat(r.rate), rate: r.rate })),
  };
}

/** Lines and breakdown for the captured `draft` lines (null: none usable), or null when no VAT rate fits the totals. */
export function vatLines(draft: DraftLine[] | null, summary: DraftLine, net: number, tax: number, category: string | null, givenRate: string | null): { lines: EInvoiceLine[]; breakdown: EInvoiceVatBreakdown[] } | null {
  if (draft && givenRate === null && draft.every((l) => l.vat_rate !== null && Number.isFinite(Number(l.vat_rate)))) {
    const split = byLineRates(draft, tax, category);
    if (split) return split;
  }
  const rate = givenRate ?? vatRate(net, tax);
  if (rate === null) return null;
  const cat = category ?? (tax === 0 ? 'Z' : 'S');
  return {
    lines: (draft ?? [summary]).map((l) => ({ ...l, vat_category: cat, vat_rate: rate })),
    breakdown: [{ taxable_amount: money(net), tax_amount: money(tax), category: cat, rate }],
  };
}
