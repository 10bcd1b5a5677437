/**
 * @module The VAT rate (BT-119) of a one-row VAT breakdown built from two captured totals,
 * BT-109 (without VAT) and BT-110 (VAT). EN 16931 rule BR-CO-17 wants the row's VAT
 * amount to equal its taxable amount × rate / 100, rounded to 2 decimals. Of the rates
 * that satisfy it, the one with the fewest decimals is the printed one: 19 % of 100.00
 * is 19.00, and 19.004 % would be a reading of the same figures no tax law uses. When
 * none with up to 2 decimals fits (the totals mix several rates), the quotient to 2
 * decimals is given, and the arithmetic check of the receiver will flag the invoice.
 */

/** Rate in percent as a decimal string ("19", "5.5", "0"), from amounts in cents. */
export function vatRate(netCents: number, taxCents: number): string {
  if (taxCents === 0 || netCents === 0) return '0';
  const exact = (taxCents / netCents) * 100;
  for (const decimals of [0, 1, 2]) {
    const rate = Number(exact.toFixed(decimals));
    if (Math.round((netCents * rate) / 100) === taxCents) return String(rate);
  }
  return exact.toFixed(2);
}
