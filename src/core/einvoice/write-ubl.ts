/**
 * @module `EInvoice` → OASIS UBL 2.1 `Invoice` (or `CreditNote`), the syntax of Peppol BIS Billing 3.0 and
 * XRechnung UBL (EN 16931-3-2 gives the binding of each business term used here). BT-24
 * defaults to the Peppol BIS 3.0 customization and BT-23 to its billing process, so a
 * Peppol access point takes the file as it is. Element order follows the schema's
 * sequences (schemas/ubl-2.1/); every amount carries `currencyID`, which UBL requires.
 * The schema also requires at least one `InvoiceLine` (as EN 16931 requires BG-25): an
 * invoice read without lines (a MINIMUM or BASIC WL profile) gets none here and fails
 * validation; `fromFields` (from-fields.ts) gives a captured invoice its lines first.
 * Pure: a string out, nothing read or written.
 */
import type { EInvoice, EInvoiceLine, EInvoiceParty, EInvoiceVatBreakdown } from './model.ts';
import { buildXml, decimal, group, isoDate, text, withAttrs, type XmlNode } from './xml-out.ts';

export const UBL_NAMESPACES = {
  '': 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** Peppol BIS Billing 3.0: BT-24 and BT-23 as its specification fixes them. */
export const PEPPOL_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROCESS = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/**
 * BT-24 as read is kept when it names a specification UBL also carries (bare EN 16931,
 * XRechnung, Peppol); a Factur-X / ZUGFeRD profile id is CII-only and becomes Peppol's.
 */
function customization(profile: string | null): string {
  const p = text(profile);
  if (p === undefined) return PEPPOL_CUSTOMIZATION;
  return p === 'urn:cen.eu:en16931:2017' || /xrechnung|peppol/.test(p) ? p : PEPPOL_CUSTOMIZATION;
}

function party(p: EInvoiceParty): XmlNode {
  const a = p.address;
  return {
    'cac:Party': group({
      // BT-34 / BT-49 electronic address; EM = e-mail in the EAS code list.
      'cbc:EndpointID': withAttrs(p.email, { schemeID: 'EM' }),
      'cac:PostalAddress': group({
        'cbc:StreetName': text(a.line1),
        'cbc:AdditionalStreetName': text(a.line2),
        'cbc:CityName': text(a.city),
        'cbc:PostalZone': text(a.postcode),
        'cac:Country': group({ 'cbc:IdentificationCode': text(a.country) }),
      }),
      'cac:PartyTaxScheme': text(p.vat_id) === undefined ? undefined : { 'cbc:CompanyID': text(p.vat_id), 'cac:TaxScheme': { 'cbc:ID': 'VAT' } },
      // BT-27 / BT-44 is the legal registration name in the UBL binding; BT-30 / BT-47 beside it.
      'cac:PartyLegalEntity': group({ 'cbc:RegistrationName': text(p.name), 'cbc:CompanyID': text(p.registration_id) }),
      'cac:Contact': group({ 'cbc:ElectronicMail': text(p.email) }),
    }) ?? {},
  };
}

function taxCategory(category: string | null, rate: string | null): XmlNode {
  return group({ 'cbc:ID': text(category), 'cbc:Percent': decimal(rate), 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }) as XmlNode;
}

function amount(value: string | null, currency: string | null): XmlNode | undefined {
  return withAttrs(decimal(value), { currencyID: currency });
}

function line(l: EInvoiceLine, index: number, currency: string | null, credit: boolean): XmlNode {
  return group({
    'cbc:ID': text(l.id) ?? String(index + 1),
    [credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity']: withAttrs(decimal(l.quantity), { unitCode: l.unit }),
    'cbc:LineExtensionAmount': amount(l.net_amount, currency),
    'cac:Item': group({
      'cbc:Name': text(l.description),
      'cac:ClassifiedTaxCategory': text(l.vat_category) === undefined && decimal(l.vat_rate) === undefined ? undefined : taxCategory(l.vat_category, l.vat_rate),
    }),
    'cac:Price': group({ 'cbc:PriceAmount': amount(l.unit_price, currency) }),
  }) as XmlNode;
}

function subtotal(v: EInvoiceVatBreakdown, currency: string | null): XmlNode {
  return group({
    'cbc:TaxableAmount': amount(v.taxable_amount, currency),
    'cbc:TaxAmount': amount(v.tax_amount, currency),
    'cac:TaxCategory': taxCategory(v.category, v.rate),
  }) as XmlNode;
}

/** UNTDID 1001 codes of credit notes, which Peppol BIS 3 and XRechnung send as a UBL `CreditNote` (EN 16931-3-2). */
export const CREDIT_NOTE_CODES: readonly string[] = ['81', '83', '381', '396', '532'];

/**
 * The invoice as a UBL 2.1 document (UTF-8 text): an `Invoice`, or a `CreditNote` for a
 * credit note type code, which has no DueDate of its own (the due date goes to
 * PaymentMeans/PaymentDueDate) and names its lines CreditNoteLine / CreditedQuantity.
 */
export function writeUbl(inv: EInvoice): string {
  const cur = inv.currency;
  const t = inv.totals;
  const code = text(inv.type_code) ?? '380';
  const credit = CREDIT_NOTE_CODES.includes(code);
  const root = credit ? 'CreditNote' : 'Invoice';
  const ns = Object.fromEntries(Object.entries(UBL_NAMESPACES).map(([p, uri]) => [p === '' ? '@_xmlns' : `@_xmlns:${p}`, p === '' ? `urn:oasis:names:specification:ubl:schema:xsd:${root}-2` : uri]));
  const dueInMeans = credit ? isoDate(inv.due_date) : undefined;
  // UBL requires PaymentMeansCode wherever an account (or, in a credit note, a due date) is given; 1 is UNCL 4461's "instrument not defined".
  const means = text(inv.payment_means) ?? (text(inv.iban) === undefined && dueInMeans === undefined ? undefined : '1');
  return buildXml({
    [root]: {
      ...ns,
      'cbc:CustomizationID': customization(inv.profile),
      'cbc:ProfileID': PEPPOL_PROCESS,
      'cbc:ID': text(inv.number),
      'cbc:IssueDate': isoDate(inv.issue_date),
      'cbc:DueDate': credit ? undefined : isoDate(inv.due_date),
      [credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode']: code,
      'cbc:DocumentCurrencyCode': text(cur),
      'cbc:BuyerReference': text(inv.buyer_reference),
      'cac:OrderReference': group({ 'cbc:ID': text(inv.order_reference) }),
      'cac:AccountingSupplierParty': party(inv.seller),
      'cac:AccountingCustomerParty': party(inv.buyer),
      'cac:PaymentMeans': means === undefined ? undefined : group({
        'cbc:PaymentMeansCode': means,
        'cbc:PaymentDueDate': dueInMeans,
        'cac:PayeeFinancialAccount': group({ 'cbc:ID': text(inv.iban) }),
      }),
      'cac:PaymentTerms': group({ 'cbc:Note': text(inv.payment_terms) }),
      'cac:TaxTotal': group({
        'cbc:TaxAmount': amount(t.tax, cur),
        'cac:TaxSubtotal': inv.vat_breakdown.map((v) => subtotal(v, cur)),
      }),
      'cac:LegalMonetaryTotal': group({
        'cbc:LineExtensionAmount': amount(t.line_total, cur),
        'cbc:TaxExclusiveAmount': amount(t.tax_exclusive, cur),
        'cbc:TaxInclusiveAmount': amount(t.tax_inclusive, cur),
        'cbc:AllowanceTotalAmount': amount(t.allowances, cur),
        'cbc:ChargeTotalAmount': amount(t.charges, cur),
        'cbc:PrepaidAmount': amount(t.prepaid, cur),
        'cbc:PayableAmount': amount(t.due, cur),
      }),
      [credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine']: inv.lines.length > 0 ? inv.lines.map((l, i) => line(l, i, cur, credit)) : undefined,
    },
  });
}
