/**
 * @module UBL 2.1 `Invoice` and `CreditNote` into `EInvoice` (XRechnung UBL, Peppol BIS
 * Billing 3). The two documents differ only in a few names (`InvoiceLine` /
 * `CreditNoteLine`, `InvoicedQuantity` / `CreditedQuantity`, the type code's element,
 * where the due date sits); the rest follows the UBL syntax binding of EN 16931-3-2.
 */
import type { EInvoice, EInvoiceLine, EInvoiceParty, EInvoiceVatBreakdown } from '../../core/einvoice/model.ts';
import type { XmlNode } from './xml.ts';
import { all, amountIn, attr, firstText, kids, one, text, textOf } from './xml-path.ts';

function party(p: XmlNode | undefined): EInvoiceParty {
  const vat = all(p, 'PartyTaxScheme').find((s) => text(s, 'TaxScheme/ID') === 'VAT');
  const address = one(p, 'PostalAddress');
  return {
    // BT-27 is the legal registration name; the trading name (BT-28) stands in when it is missing.
    name: text(p, 'PartyLegalEntity/RegistrationName') ?? text(p, 'PartyName/Name'),
    vat_id: text(vat, 'CompanyID'),
    registration_id: text(p, 'PartyLegalEntity/CompanyID'),
    address: {
      line1: text(address, 'StreetName'),
      line2: text(address, 'AdditionalStreetName'),
      city: text(address, 'CityName'),
      postcode: text(address, 'PostalZone'),
      country: text(address, 'Country/IdentificationCode'),
    },
    email: text(p, 'Contact/ElectronicMail'),
  };
}

function line(item: XmlNode, credit: boolean, currency: string | null): EInvoiceLine {
  const name = text(item, 'Item/Name');
  const description = text(item, 'Item/Description');
  const quantity = one(item, credit ? 'CreditedQuantity' : 'InvoicedQuantity');
  const tax = one(item, 'Item/ClassifiedTaxCategory');
  return {
    id: text(item, 'ID'),
    description: name && description && description !== name ? `${name}\n${description}` : (name ?? description),
    quantity: textOf(quantity),
    unit: attr(quantity, 'unitCode'),
    unit_price: amountIn(item, 'Price/PriceAmount', currency),
    net_amount: amountIn(item, 'LineExtensionAmount', currency),
    vat_category: text(tax, 'ID'),
    vat_rate: text(tax, 'Percent'),
  };
}

function vatRows(doc: XmlNode, currency: string | null): EInvoiceVatBreakdown[] {
  const totals = kids(doc, 'TaxTotal');
  const own = totals.find((t) => attr(one(t, 'TaxAmount'), 'currencyID') === currency) ?? totals[0];
  return kids(own, 'TaxSubtotal').map((s) => ({
    taxable_amount: text(s, 'TaxableAmount'),
    tax_amount: text(s, 'TaxAmount'),
    category: text(s, 'TaxCategory/ID'),
    rate: text(s, 'TaxCategory/Percent'),
  }));
}

function otherTerms(doc: XmlNode): Record<string, string> {
  const seller = one(doc, 'AccountingSupplierParty/Party');
  const buyer = one(doc, 'AccountingCustomerParty/Party');
  const found: [string, string | null][] = [
    ['BT-6', text(doc, 'TaxCurrencyCode')],
    ['BT-7', text(doc, 'TaxPointDate')],
    ['BT-11', text(doc, 'ProjectReference/ID')],
    ['BT-12', text(doc, 'ContractDocumentReference/ID')],
    ['BT-14', text(doc, 'OrderReference/SalesOrderID')],
    ['BT-16', text(doc, 'DespatchDocumentReference/ID')],
    ['BT-19', text(doc, 'AccountingCost')],
    ['BT-22', firstText(doc, 'Note')],
    ['BT-23', text(doc, 'ProfileID')],
    ['BT-25', text(doc, 'BillingReference/InvoiceDocumentReference/ID')],
    ['BT-28', text(seller, 'PartyName/Name')],
    ['BT-29', text(seller, 'PartyIdentification/ID')],
    ['BT-34', text(seller, 'EndpointID')],
    ['BT-46', text(buyer, 'PartyIdentification/ID')],
    ['BT-49', text(buyer, 'EndpointID')],
    ['BT-70', text(doc, 'Delivery/DeliveryParty/PartyName/Name')],
    ['BT-72', text(doc, 'Delivery/ActualDeliveryDate')],
    ['BT-83', text(doc, 'PaymentMeans/PaymentID')],
    ['BT-85', text(doc, 'PaymentMeans/PayeeFinancialAccount/Name')],
    ['BT-86', text(doc, 'PaymentMeans/PayeeFinancialAccount/FinancialInstitutionBranch/ID')],
    ['BT-114', text(doc, 'LegalMonetaryTotal/PayableRoundingAmount')],
  ];
  return Object.fromEntries(found.filter((e): e is [string, string] => e[1] !== null));
}

export function readUbl(doc: XmlNode, credit: boolean): EInvoice {
  const currency = text(doc, 'DocumentCurrencyCode');
  const sums = one(doc, 'LegalMonetaryTotal');
  return {
    syntax: 'ubl',
    profile: text(doc, 'CustomizationID'),
    number: text(doc, 'ID'),
    type_code: text(doc, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode'),
    issue_date: text(doc, 'IssueDate'),
    due_date: text(doc, 'DueDate') ?? firstText(doc, 'PaymentMeans/PaymentDueDate'),
    currency,
    buyer_reference: text(doc, 'BuyerReference'),
    order_reference: text(doc, 'OrderReference/ID'),
    seller: party(one(doc, 'AccountingSupplierParty/Party')),
    buyer: party(one(doc, 'AccountingCustomerParty/Party')),
    iban: firstText(doc, 'PaymentMeans/PayeeFinancialAccount/ID'),
    payment_means: text(doc, 'PaymentMeans/PaymentMeansCode'),
    payment_terms: firstText(doc, 'PaymentTerms/Note'),
    lines: kids(doc, credit ? 'CreditNoteLine' : 'InvoiceLine').map((l) => line(l, credit, currency)),
    vat_breakdown: vatRows(doc, currency),
    totals: {
      line_total: text(sums, 'LineExtensionAmount'),
      allowances: text(sums, 'AllowanceTotalAmount'),
      charges: text(sums, 'ChargeTotalAmount'),
      tax_exclusive: text(sums, 'TaxExclusiveAmount'),
      tax: amountIn(doc, 'TaxTotal/TaxAmount', currency),
      tax_inclusive: text(sums, 'TaxInclusiveAmount'),
      prepaid: text(sums, 'PrepaidAmount'),
      due: text(sums, 'PayableAmount'),
    },
    terms: otherTerms(doc),
  };
}
