/**
 * @module The VAT rate (BT-119) of a one-row VAT breakdown built from two captured totals,
 * BT-109 (without VAT) and BT-110 (VAT). EN 16931 rule BR-CO-17 wants the row's VAT
 * amount to equal its taxable amount × rate / 100, rounded to 2 decimals. VAT rates in
 * force in the EU, Switzerland and the UK have at most one decimal (19, 5.5, 8.1,
 * 13.5), so the rate is the one with the fewest decimals, at most one, that gives the
 * VAT amount to the cent — 1 cent of slack for totals summed from per-line rounding.
 * When none does, the totals mix several rates (or one was misread), and a single rate
 * would be a fiction: null, and the caller reports it.
 */

/** Rate in percent as a decimal string ("19", "5.5", "0"), from amounts in cents; null when no single rate fits. */
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
