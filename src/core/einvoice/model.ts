/**
 * @module The EN 16931 invoice as docket holds it, between the readers (CII and UBL XML
 * found in a PDF or sent bare) and the writers (`cii`, `ubl`, `facturx` exports). One
 * plain-JSON shape on both sides means a round trip (write, read back) can be compared
 * field by field. Names follow the business terms (BT-n, BG-n) of EN 16931-1:2017 so a
 * reader of the standard finds each one; amounts are decimal strings as written in the
 * XML (e.g. "1234.50"), never floats, because the arithmetic rules compare them to the cent.
 */

/** BG-4 seller / BG-7 buyer. */
export interface EInvoiceParty {
  /** BT-27 / BT-44 */
  name: string | null;
  /** BT-31 / BT-48 VAT identifier, e.g. "DE123456789". */
  vat_id: string | null;
  /** BT-30 / BT-47 legal registration identifier. */
  registration_id: string | null;
  /** BG-5 / BG-8 postal address. */
  address: {
    line1: string | null;
    line2: string | null;
    city: string | null;
    postcode: string | null;
    /** ISO 3166-1 alpha-2, e.g. "DE". */
    country: string | null;
  };
  /** BT-43 / BT-58 */
  email: string | null;
}

/** BG-25 invoice line. */
export interface EInvoiceLine {
  /** BT-126 */
  id: string | null;
  /** BT-153 item name (BT-154 description joined when present). */
  description: string | null;
  /** BT-129 invoiced quantity. */
  quantity: string | null;
  /** BT-130 UN/ECE Rec 20 unit code, e.g. "C62". */
  unit: string | null;
  /** BT-146 item net price. */
  unit_price: string | null;
  /** BT-131 line net amount. */
  net_amount: string | null;
  /** BT-151 VAT category code and BT-152 rate (percent, decimal string). */
  vat_category: string | null;
  vat_rate: string | null;
}

/** BG-23 VAT breakdown row. */
export interface EInvoiceVatBreakdown {
  /** BT-116 */
  taxable_amount: string | null;
  /** BT-117 */
  tax_amount: string | null;
  /** BT-118 */
  category: string | null;
  /** BT-119 */
  rate: string | null;
}

/** The syntaxes and profiles a reader can meet; writers emit `cii` (D16B) or `ubl` (2.1). */
export type EInvoiceSyntax = 'cii' | 'ubl' | 'zugferd1';

export interface EInvoice {
  syntax: EInvoiceSyntax;
  /** BT-24 specification identifier (guideline URN), e.g. "urn:cen.eu:en16931:2017". */
  profile: string | null;
  /** BT-1 */
  number: string | null;
  /** BT-3 type code, e.g. "380" (commercial invoice), "381" (credit note). */
  type_code: string | null;
  /** BT-2, ISO date "YYYY-MM-DD". */
  issue_date: string | null;
  /** BT-9, ISO date. */
  due_date: string | null;
  /** BT-5 ISO 4217 code. */
  currency: string | null;
  /** BT-10 buyer reference (Leitweg-ID for XRechnung). */
  buyer_reference: string | null;
  /** BT-13 purchase order reference. */
  order_reference: string | null;
  seller: EInvoiceParty;
  buyer: EInvoiceParty;
  /** BT-84 payment account (IBAN). */
  iban: string | null;
  /** BT-81 payment means code. */
  payment_means: string | null;
  /** BT-20 payment terms text. */
  payment_terms: string | null;
  lines: EInvoiceLine[];
  vat_breakdown: EInvoiceVatBreakdown[];
  totals: {
    /** BT-106 sum of line net amounts. */
    line_total: string | null;
    /** BT-107 */
    allowances: string | null;
    /** BT-108 */
    charges: string | null;
    /** BT-109 total without VAT. */
    tax_exclusive: string | null;
    /** BT-110 total VAT. */
    tax: string | null;
    /** BT-112 total with VAT. */
    tax_inclusive: string | null;
    /** BT-113 paid amount. */
    prepaid: string | null;
    /** BT-115 amount due for payment. */
    due: string | null;
  };
  /** Other business terms a reader found, by id ("BT-11" → value), for `extract: [{ einvoice: "BT-xx" }]`. */
  terms: Record<string, string>;
}
