/**
 * @module An `EInvoice`'s business terms by their EN 16931-1 identifiers ("BT-112"),
 * for the project file's `extract: [{ einvoice: "BT-xx" }]` method and for messages
 * that name a term. Terms with a field of their own in the model are read from it;
 * the others from `terms`, where the readers keep what they found. `BG-25` (the
 * invoice lines) is a table, not a term value, and is read with `lines`.
 */
import type { EInvoice } from './model.ts';

/** The terms the model holds in named fields, with the name EN 16931-1 gives them. */
const NAMED: Record<string, { name: string; get: (inv: EInvoice) => string | null }> = {
  'BT-1': { name: 'invoice number', get: (i) => i.number },
  'BT-2': { name: 'invoice issue date', get: (i) => i.issue_date },
  'BT-3': { name: 'invoice type code', get: (i) => i.type_code },
  'BT-5': { name: 'invoice currency code', get: (i) => i.currency },
  'BT-9': { name: 'payment due date', get: (i) => i.due_date },
  'BT-10': { name: 'buyer reference', get: (i) => i.buyer_reference },
  'BT-13': { name: 'purchase order reference', get: (i) => i.order_reference },
  'BT-20': { name: 'payment terms', get: (i) => i.payment_terms },
  'BT-24': { name: 'specification identifier', get: (i) => i.profile },
  'BT-27': { name: 'seller name', get: (i) => i.seller.name },
  'BT-30': { name: 'seller legal registration identifier', get: (i) => i.seller.registration_id },
  'BT-31': { name: 'seller VAT identifier', get: (i) => i.seller.vat_id },
  'BT-35': { name: 'seller address line 1', get: (i) => i.seller.address.line1 },
  'BT-36': { name: 'seller address line 2', get: (i) => i.seller.address.line2 },
  'BT-37': { name: 'seller city', get: (i) => i.seller.address.city },
  'BT-38': { name: 'seller post code', get: (i) => i.seller.address.postcode },
  'BT-40': { name: 'seller country code', get: (i) => i.seller.address.country },
  'BT-43': { name: 'seller contact email address', get: (i) => i.seller.email },
  'BT-44': { name: 'buyer name', get: (i) => i.buyer.name },
  'BT-47': { name: 'buyer legal registration identifier', get: (i) => i.buyer.registration_id },
  'BT-48': { name: 'buyer VAT identifier', get: (i) => i.buyer.vat_id },
  'BT-50': { name: 'buyer address line 1', get: (i) => i.buyer.address.line1 },
  'BT-51': { name: 'buyer address line 2', get: (i) => i.buyer.address.line2 },
  'BT-52': { name: 'buyer city', get: (i) => i.buyer.address.city },
  'BT-53': { name: 'buyer post code', get: (i) => i.buyer.address.postcode },
  'BT-55': { name: 'buyer country code', get: (i) => i.buyer.address.country },
  'BT-58': { name: 'buyer contact email address', get: (i) => i.buyer.email },
  'BT-81': { name: 'payment means type code', get: (i) => i.payment_means },
  'BT-84': { name: 'payment account identifier (IBAN)', get: (i) => i.iban },
  'BT-106': { name: 'sum of invoice line net amounts', get: (i) => i.totals.line_total },
  'BT-107': { name: 'sum of allowances on document level', get: (i) => i.totals.allowances },
  'BT-108': { name: 'sum of charges on document level', get: (i) => i.totals.charges },
  'BT-109': { name: 'invoice total amount without VAT', get: (i) => i.totals.tax_exclusive },
  'BT-110': { name: 'invoice total VAT amount', get: (i) => i.totals.tax },
  'BT-112': { name: 'invoice total amount with VAT', get: (i) => i.totals.tax_inclusive },
  'BT-113': { name: 'paid amount', get: (i) => i.totals.prepaid },
  'BT-115': { name: 'amount due for payment', get: (i) => i.totals.due },
};

/** Names of terms kept in `terms` by the readers, for messages. */
const OTHER_NAMES: Record<string, string> = {
  'BT-6': 'VAT accounting currency code', 'BT-7': 'value added tax point date', 'BT-11': 'project reference', 'BT-12': 'contract reference',
  'BT-14': 'sales order reference', 'BT-16': 'despatch advice reference', 'BT-19': 'buyer accounting reference', 'BT-22': 'invoice note',
  'BT-23': 'business process type', 'BT-25': 'preceding invoice reference', 'BT-28': 'seller trading name', 'BT-29': 'seller identifier',
  'BT-32': 'seller tax registration identifier', 'BT-34': 'seller electronic address', 'BT-46': 'buyer identifier', 'BT-49': 'buyer electronic address',
  'BT-70': 'deliver to party name', 'BT-72': 'actual delivery date', 'BT-83': 'remittance information', 'BT-85': 'payment account name',
  'BT-86': 'payment service provider identifier', 'BT-90': 'bank assigned creditor identifier', 'BT-114': 'rounding amount',
};

/** "BT-1" … "BT-165" and "BG-1" … "BG-33": the identifiers a project file may name. */
export const TERM_ID = /^(BT|BG)-[1-9]\d{0,2}$/;

export function termName(id: string): string {
  return NAMED[id]?.name ?? OTHER_NAMES[id] ?? id;
}

/** "BT-112 (invoice total amount with VAT)". */
export function termLabel(id: string): string {
  const name = termName(id);
  return name === id ? id : `${id} (${name})`;
}

/** The term's value in the invoice, as written in the XML; null when absent. */
export function termValue(inv: EInvoice, id: string): string | null {
  const named = NAMED[id];
  return named ? named.get(inv) : (inv.terms[id] ?? null);
}
