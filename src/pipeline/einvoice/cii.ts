/**
 * @module CII into `EInvoice`: ZUGFeRD 1.0 (`CrossIndustryDocument`, and its release
 * candidate `CBFBUY:5 Invoice` with the same element names), ZUGFeRD 2.x / Factur-X /
 * XRechnung CII (`CrossIndustryInvoice`, UN/CEFACT D16B), any profile from MINIMUM to
 * EXTENDED: a profile only leaves elements out, so one reader serves all. The two
 * generations differ in the names of the transaction's parts (`PATHS`); party, amount
 * and tax elements are the same. Business-term numbers follow EN 16931-1 and the
 * CII syntax binding of EN 16931-3-3.
 */
import type { EInvoice, EInvoiceLine, EInvoiceParty, EInvoiceVatBreakdown } from '../../core/einvoice/model.ts';
import type { XmlNode } from './xml.ts';
import { all, amountIn, attr, ciiDate, firstText, kids, one, text, textOf } from './xml-path.ts';

const PATHS = {
  zugferd1: {
    context: 'SpecifiedExchangedDocumentContext', header: 'HeaderExchangedDocument', transaction: 'SpecifiedSupplyChainTradeTransaction',
    agreement: 'ApplicableSupplyChainTradeAgreement', delivery: 'ApplicableSupplyChainTradeDelivery', settlement: 'ApplicableSupplyChainTradeSettlement',
    sums: 'SpecifiedTradeSettlementMonetarySummation', order: 'BuyerOrderReferencedDocument/ID', rate: 'ApplicablePercent',
    lineAgreement: 'SpecifiedSupplyChainTradeAgreement', lineDelivery: 'SpecifiedSupplyChainTradeDelivery', lineSettlement: 'SpecifiedSupplyChainTradeSettlement',
    lineSums: 'SpecifiedTradeSettlementMonetarySummation',
  },
  cii: {
    context: 'ExchangedDocumentContext', header: 'ExchangedDocument', transaction: 'SupplyChainTradeTransaction',
    agreement: 'ApplicableHeaderTradeAgreement', delivery: 'ApplicableHeaderTradeDelivery', settlement: 'ApplicableHeaderTradeSettlement',
    sums: 'SpecifiedTradeSettlementHeaderMonetarySummation', order: 'BuyerOrderReferencedDocument/IssuerAssignedID', rate: 'RateApplicablePercent',
    lineAgreement: 'SpecifiedLineTradeAgreement', lineDelivery: 'SpecifiedLineTradeDelivery', lineSettlement: 'SpecifiedLineTradeSettlement',
    lineSums: 'SpecifiedTradeSettlementLineMonetarySummation',
  },
} as const;

type Paths = (typeof PATHS)[keyof typeof PATHS];

/** A CII date element: `DateTimeString` (or, for the tax point date, `DateString`) inside it, or (release candidate) the text itself. */
function dateAt(node: XmlNode | undefined, path: string): string | null {
  const el = one(node, path);
  return ciiDate(one(el, 'DateTimeString') ?? one(el, 'DateString') ?? el);
}

function party(p: XmlNode | undefined): EInvoiceParty {
  const vat = all(p, 'SpecifiedTaxRegistration/ID').find((n) => attr(n, 'schemeID') === 'VA' && textOf(n) !== null);
  const address = one(p, 'PostalTradeAddress');
  return {
    name: text(p, 'Name'),
    vat_id: textOf(vat),
    registration_id: text(p, 'SpecifiedLegalOrganization/ID'),
    address: {
      line1: text(address, 'LineOne'),
      line2: text(address, 'LineTwo'),
      city: text(address, 'CityName'),
      postcode: text(address, 'PostcodeCode'),
      country: text(address, 'CountryID'),
    },
    email: text(p, 'DefinedTradeContact/EmailURIUniversalCommunication/URIID') ?? text(p, 'URIUniversalCommunication/URIID'),
  };
}

function line(item: XmlNode, p: Paths, currency: string | null): EInvoiceLine {
  const product = one(item, 'SpecifiedTradeProduct');
  const name = text(product, 'Name');
  const description = text(product, 'Description');
  const quantity = one(item, `${p.lineDelivery}/BilledQuantity`);
  const tax = one(item, `${p.lineSettlement}/ApplicableTradeTax`);
  return {
    id: text(item, 'AssociatedDocumentLineDocument/LineID'),
    // A ZUGFeRD 1.0 text-only line (a note among the items) carries its text in the line's note.
    description: name && description && description !== name ? `${name}\n${description}` : (name ?? description ?? text(item, 'AssociatedDocumentLineDocument/IncludedNote/Content')),
    quantity: textOf(quantity),
    unit: attr(quantity, 'unitCode'),
    unit_price: amountIn(item, `${p.lineAgreement}/NetPriceProductTradePrice/ChargeAmount`, currency),
    net_amount: amountIn(item, `${p.lineSettlement}/${p.lineSums}/LineTotalAmount`, currency),
    vat_category: text(tax, 'CategoryCode'),
    vat_rate: text(tax, p.rate),
  };
}

function vatRow(t: XmlNode, p: Paths): EInvoiceVatBreakdown {
  return { taxable_amount: text(t, 'BasisAmount'), tax_amount: text(t, 'CalculatedAmount'), category: text(t, 'CategoryCode'), rate: text(t, p.rate) };
}

/** Terms without a field of their own in `EInvoice`, for `extract: [{ einvoice: "BT-xx" }]`. */
function otherTerms(root: XmlNode, p: Paths): Record<string, string> {
  const header = one(root, p.header);
  const tx = one(root, p.transaction);
  const agreement = one(tx, p.agreement);
  const settlement = one(tx, p.settlement);
  const seller = one(agreement, 'SellerTradeParty');
  const buyer = one(agreement, 'BuyerTradeParty');
  const found: [string, string | null][] = [
    ['BT-7', dateAt(settlement, 'ApplicableTradeTax/TaxPointDate')],
    ['BT-6', text(settlement, 'TaxCurrencyCode')],
    ['BT-11', text(agreement, 'SpecifiedProcuringProject/ID')],
    ['BT-12', text(agreement, 'ContractReferencedDocument/IssuerAssignedID') ?? text(agreement, 'ContractReferencedDocument/ID')],
    ['BT-14', text(agreement, 'SellerOrderReferencedDocument/IssuerAssignedID')],
    ['BT-16', text(tx, `${p.delivery}/DespatchAdviceReferencedDocument/IssuerAssignedID`) ?? text(tx, `${p.delivery}/DeliveryNoteReferencedDocument/ID`)],
    ['BT-19', text(settlement, 'ReceivableSpecifiedTradeAccountingAccount/ID')],
    ['BT-22', firstText(header, 'IncludedNote/Content')],
    ['BT-23', text(root, `${p.context}/BusinessProcessSpecifiedDocumentContextParameter/ID`)],
    ['BT-25', text(settlement, 'InvoiceReferencedDocument/IssuerAssignedID')],
    ['BT-28', text(seller, 'SpecifiedLegalOrganization/TradingBusinessName')],
    ['BT-29', text(seller, 'ID') ?? text(seller, 'GlobalID')],
    ['BT-32', textOf(all(seller, 'SpecifiedTaxRegistration/ID').find((n) => attr(n, 'schemeID') === 'FC'))],
    ['BT-34', text(seller, 'URIUniversalCommunication/URIID')],
    ['BT-46', text(buyer, 'ID') ?? text(buyer, 'GlobalID')],
    ['BT-49', text(buyer, 'URIUniversalCommunication/URIID')],
    ['BT-70', text(tx, `${p.delivery}/ShipToTradeParty/Name`)],
    ['BT-72', dateAt(tx, `${p.delivery}/ActualDeliverySupplyChainEvent/OccurrenceDateTime`)],
    ['BT-83', text(settlement, 'PaymentReference')],
    ['BT-85', text(settlement, 'SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount/AccountName')],
    ['BT-86', text(settlement, 'SpecifiedTradeSettlementPaymentMeans/PayeeSpecifiedCreditorFinancialInstitution/BICID')],
    ['BT-90', text(settlement, 'CreditorReferenceID')],
    ['BT-114', text(settlement, `${p.sums}/RoundingAmount`)],
  ];
  return Object.fromEntries(found.filter((e): e is [string, string] => e[1] !== null));
}

export function readCii(root: XmlNode, syntax: 'cii' | 'zugferd1'): EInvoice {
  const p: Paths = PATHS[syntax];
  const header = one(root, p.header);
  const tx = one(root, p.transaction);
  const agreement = one(tx, p.agreement);
  const settlement = one(tx, p.settlement);
  const currency = text(settlement, 'InvoiceCurrencyCode');
  const sums = one(settlement, p.sums);
  const means = one(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  return {
    syntax,
    profile: text(root, `${p.context}/GuidelineSpecifiedDocumentContextParameter/ID`),
    number: text(header, 'ID'),
    type_code: text(header, 'TypeCode'),
    issue_date: dateAt(header, 'IssueDateTime'),
    due_date: dateAt(settlement, 'SpecifiedTradePaymentTerms/DueDateDateTime'),
    currency,
    buyer_reference: text(agreement, 'BuyerReference'),
    order_reference: text(agreement, p.order),
    seller: party(one(agreement, 'SellerTradeParty')),
    buyer: party(one(agreement, 'BuyerTradeParty')),
    iban: text(means, 'PayeePartyCreditorFinancialAccount/IBANID'),
    payment_means: text(means, 'TypeCode'),
    payment_terms: firstText(settlement, 'SpecifiedTradePaymentTerms/Description'),
    lines: kids(tx, 'IncludedSupplyChainTradeLineItem').map((item) => line(item, p, currency)),
    vat_breakdown: kids(settlement, 'ApplicableTradeTax').map((t) => vatRow(t, p)),
    totals: {
      line_total: amountIn(sums, 'LineTotalAmount', currency),
      allowances: amountIn(sums, 'AllowanceTotalAmount', currency),
      charges: amountIn(sums, 'ChargeTotalAmount', currency),
      tax_exclusive: amountIn(sums, 'TaxBasisTotalAmount', currency),
      tax: amountIn(sums, 'TaxTotalAmount', currency),
      tax_inclusive: amountIn(sums, 'GrandTotalAmount', currency),
      prepaid: amountIn(sums, 'TotalPrepaidAmount', currency),
      due: amountIn(sums, 'DuePayableAmount', currency),
    },
    terms: otherTerms(root, p),
  };
}
