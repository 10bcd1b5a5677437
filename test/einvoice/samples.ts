/**
 * @module EInvoice values the writer suites start from: a complete EN 16931 invoice with
 * two VAT rates, and one whose texts hold what XML must escape or cannot carry (markup,
 * quotes, ampersands, a CR, control characters, non-Latin script, an emoji).
 */
import type { EInvoice, EInvoiceParty } from '../../src/core/einvoice/model.ts';

function party(name: string, country: string, extra: Partial<EInvoiceParty> = {}): EInvoiceParty {
  return {
    name,
    vat_id: null,
    registration_id: null,
    address: { line1: null, line2: null, city: null, postcode: null, country },
    email: null,
    ...extra,
  };
}

export function fullInvoice(): EInvoice {
  return {
    syntax: 'cii',
    profile: 'urn:cen.eu:en16931:2017',
    number: 'RE-2026-0042',
    type_code: '380',
    issue_date: '2026-11-30',
    due_date: '2026-12-30',
    currency: 'EUR',
    buyer_reference: '04011000-12345-34',
    order_reference: 'PO-7781',
    seller: party('Lieferant GmbH', 'DE', {
      vat_id: 'DE123456789',
      registration_id: 'HRB 12345',
      address: { line1: 'Lieferantenstraße 20', line2: 'Hinterhaus', city: 'München', postcode: '80333', country: 'DE' },
      email: 'billing@lieferant.example',
    }),
    buyer: party('Kunden AG Mitte', 'DE', {
      address: { line1: 'Kundenstraße 15', line2: null, city: 'Frankfurt', postcode: '69876', country: 'DE' },
      email: 'ap@kunden.example',
    }),
    iban: 'DE75512108001245126199',
    payment_means: '58',
    payment_terms: 'Zahlbar innerhalb 30 Tagen netto',
    lines: [
      { id: '1', description: 'Trennblätter A4', quantity: '20.0000', unit: 'H87', unit_price: '9.90', net_amount: '198.00', vat_category: 'S', vat_rate: '19.00' },
      { id: '2', description: 'Joghurt Banane', quantity: '50', unit: 'H87', unit_price: '5.50', net_amount: '275.00', vat_category: 'S', vat_rate: '7' },
    ],
    vat_breakdown: [
      { taxable_amount: '198.00', tax_amount: '37.62', category: 'S', rate: '19.00' },
      { taxable_amount: '275.00', tax_amount: '19.25', category: 'S', rate: '7.00' },
    ],
    totals: {
      line_total: '473.00', allowances: null, charges: null, tax_exclusive: '473.00', tax: '56.87',
      tax_inclusive: '529.87', prepaid: '0.00', due: '529.87',
    },
    terms: {},
  };
}

/** Texts that break naive string concatenation, and characters XML 1.0 cannot hold at all. */
export function hostileInvoice(): EInvoice {
  const inv = fullInvoice();
  inv.number = 'A&B <1> "2" \'3\'';
  inv.seller.name = 'Smith & Sons </ram:Name><ram:Injected>x</ram:Injected>';
  inv.buyer.name = 'Käufer\r\nZweite Zeile \u0001\u001F 株式会社 🧾';
  inv.payment_terms = ']]> <![CDATA[ &amp; &#x0;';
  (inv.lines[0] as { description: string | null }).description = '<b>bold</b> & "quoted"';
  return inv;
}
