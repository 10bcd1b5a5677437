/**
 * @module `EInvoice` → UN/CEFACT Cross Industry Invoice D16B, the syntax of Factur-X 1.0,
 * ZUGFeRD 2.x and XRechnung CII (EN 16931-3-3 gives the binding of each business term
 * used here). The profile (BT-24) defaults to the EN 16931 one, `urn:cen.eu:en16931:2017`,
 * which Factur-X calls EN 16931 (COMFORT in ZUGFeRD). Element order follows the schema's
 * sequences (schemas/cii-d16b/): the tests validate every output with xmllint against it.
 * Pure: a string out, nothing read or written.
 */
import type { EInvoice, EInvoiceLine, EInvoiceParty, EInvoiceVatBreakdown } from './model.ts';
import { buildXml, date102, decimal, group, text, withAttrs, type XmlNode } from './xml-out.ts';

export const CII_NAMESPACES = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
} as const;

export const EN16931_PROFILE = 'urn:cen.eu:en16931:2017';

function dateTime(iso: string | null): XmlNode | undefined {
  const d = date102(iso);
  return d === undefined ? undefined : { 'udt:DateTimeString': { '#text': d, '@_format': '102' } };
}

function party(p: EInvoiceParty): XmlNode | undefined {
  const a = p.address;
  return group({
    'ram:Name': text(p.name),
    'ram:SpecifiedLegalOrganization': group({ 'ram:ID': text(p.registration_id) }),
    'ram:PostalTradeAddress': group({
      'ram:PostcodeCode': text(a.postcode),
      'ram:LineOne': text(a.line1),
      'ram:LineTwo': text(a.line2),
      'ram:CityName': text(a.city),
      'ram:CountryID': text(a.country),
    }),
    // BT-34 / BT-49 electronic address; EM = e-mail in the EAS code list.
    'ram:URIUniversalCommunication': group({ 'ram:URIID': withAttrs(p.email, { schemeID: 'EM' }) }),
    // VA = VAT registration number (UNTDID 1153), the one scheme EN 16931 uses for BT-31 / BT-48.
    'ram:SpecifiedTaxRegistration': group({ 'ram:ID': withAttrs(p.vat_id, { schemeID: 'VA' }) }),
  });
}

function lineTax(l: EInvoiceLine): XmlNode | undefined {
  if (text(l.vat_category) === undefined && decimal(l.vat_rate) === undefined) return undefined;
  return group({ 'ram:TypeCode': 'VAT', 'ram:CategoryCode': text(l.vat_category), 'ram:RateApplicablePercent': decimal(l.vat_rate) });
}

function line(l: EInvoiceLine, index: number): XmlNode {
  return group({
    'ram:AssociatedDocumentLineDocument': { 'ram:LineID': text(l.id) ?? String(index + 1) },
    'ram:SpecifiedTradeProduct': group({ 'ram:Name': text(l.description) }),
    'ram:SpecifiedLineTradeAgreement': group({
      'ram:NetPriceProductTradePrice': group({ 'ram:ChargeAmount': decimal(l.unit_price) }),
    }),
    'ram:SpecifiedLineTradeDelivery': group({ 'ram:BilledQuantity': withAttrs(decimal(l.quantity), { unitCode: l.unit }) }),
    // Required by the schema even for a line that only carries text (ZUGFeRD 1.0 wrote notes as lines).
    'ram:SpecifiedLineTradeSettlement': group({
      'ram:ApplicableTradeTax': lineTax(l),
      'ram:SpecifiedTradeSettlementLineMonetarySummation': group({ 'ram:LineTotalAmount': decimal(l.net_amount) }),
    }) ?? {},
  }) as XmlNode;
}

function vat(v: EInvoiceVatBreakdown): XmlNode {
  return group({
    'ram:CalculatedAmount': decimal(v.tax_amount),
    'ram:TypeCode': 'VAT',
    'ram:BasisAmount': decimal(v.taxable_amount),
    'ram:CategoryCode': text(v.category),
    'ram:RateApplicablePercent': decimal(v.rate),
  }) as XmlNode;
}

function settlement(inv: EInvoice): XmlNode {
  const t = inv.totals;
  const means = text(inv.payment_means);
  return group({
    'ram:InvoiceCurrencyCode': text(inv.currency),
    'ram:SpecifiedTradeSettlementPaymentMeans': group({
      'ram:TypeCode': means,
      'ram:PayeePartyCreditorFinancialAccount': group({ 'ram:IBANID': text(inv.iban) }),
    }),
    'ram:ApplicableTradeTax': inv.vat_breakdown.map(vat),
    'ram:SpecifiedTradePaymentTerms': group({ 'ram:Description': text(inv.payment_terms), 'ram:DueDateDateTime': dateTime(inv.due_date) }),
    'ram:SpecifiedTradeSettlementHeaderMonetarySummation': group({
      'ram:LineTotalAmount': decimal(t.line_total),
      'ram:ChargeTotalAmount': decimal(t.charges),
      'ram:AllowanceTotalAmount': decimal(t.allowances),
      'ram:TaxBasisTotalAmount': decimal(t.tax_exclusive),
      // BT-110 carries the currency (EN 16931-3-3), telling it apart from BT-111 in the tax currency.
      'ram:TaxTotalAmount': withAttrs(decimal(t.tax), { currencyID: inv.currency }),
      'ram:GrandTotalAmount': decimal(t.tax_inclusive),
      'ram:TotalPrepaidAmount': decimal(t.prepaid),
      'ram:DuePayableAmount': decimal(t.due),
    }),
  }) ?? {};
}

/** The invoice as a CII D16B document (UTF-8 text). */
export function writeCii(inv: EInvoice): string {
  const ns = Object.fromEntries(Object.entries(CII_NAMESPACES).map(([p, uri]) => [`@_xmlns:${p}`, uri]));
  return buildXml({
    'rsm:CrossIndustryInvoice': {
      ...ns,
      'rsm:ExchangedDocumentContext': {
        'ram:GuidelineSpecifiedDocumentContextParameter': { 'ram:ID': text(inv.profile) ?? EN16931_PROFILE },
      },
      'rsm:ExchangedDocument': group({
        'ram:ID': text(inv.number),
        'ram:TypeCode': text(inv.type_code) ?? '380',
        'ram:IssueDateTime': dateTime(inv.issue_date),
      }) ?? {},
      'rsm:SupplyChainTradeTransaction': {
        'ram:IncludedSupplyChainTradeLineItem': inv.lines.length > 0 ? inv.lines.map(line) : undefined,
        'ram:ApplicableHeaderTradeAgreement': group({
          'ram:BuyerReference': text(inv.buyer_reference),
          'ram:SellerTradeParty': party(inv.seller),
          'ram:BuyerTradeParty': party(inv.buyer),
          'ram:BuyerOrderReferencedDocument': group({ 'ram:IssuerAssignedID': text(inv.order_reference) }),
        }) ?? {},
        'ram:ApplicableHeaderTradeDelivery': {},
        'ram:ApplicableHeaderTradeSettlement': settlement(inv),
      },
    },
  });
}
