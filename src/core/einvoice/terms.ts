/**
 * @module Which captured field carries which EN 16931 business term when an invoice is
 * turned into an e-invoice (from-fields.ts). Allowances and charges at document level (BT-107, BT-108) are not captured, so BT-106
 * equals BT-109. A project names its fields freely; the names below are the demo
 * project's (core/demo-project.ts), the public invoice corpora's (invoice2data:
 * `issuer`, `amount`, `amount_untaxed`, …), those the e-invoice reading maps by name
 * (pipeline/einvoice/fields.ts) and the obvious English ones, tried in order, after a field's own `extract: [{ einvoice: BT-xx }]` (pipeline/einvoice/fields.ts).
 * An export setting can name another field for a term (`fields:`) or give a
 * fixed value for it (`values:`, e.g. the buyer, who is usually the project's owner on
 * incoming invoices); see docs/einvoice-export.md.
 */

/** Term id → field names tried in order. `BG-25` is the table of invoice lines. */
export const TERM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'BT-1': ['invoice_number', 'number', 'invoice_no', 'document_number'],
  'BT-2': ['invoice_date', 'issue_date', 'date'],
  'BT-3': ['type_code', 'invoice_type_code'],
  'BT-5': ['currency', 'currency_code'],
  'BT-9': ['due_date', 'payment_due_date', 'date_due'],
  'BT-10': ['buyer_reference', 'leitweg_id'],
  'BT-13': ['order_reference', 'purchase_order', 'po_number'],
  'BT-20': ['payment_terms'],
  'BT-24': ['specification_identifier'],
  'BT-27': ['supplier', 'seller', 'issuer', 'vendor', 'seller_name', 'supplier_name', 'company'],
  'BT-30': ['seller_registration_id'],
  'BT-31': ['seller_vat_id', 'supplier_vat_id', 'vat_id', 'seller_vat', 'vat_number'],
  'BT-34': ['seller_email'],
  'BT-35': ['seller_street', 'seller_address', 'supplier_address'],
  'BT-37': ['seller_city'],
  'BT-38': ['seller_postcode'],
  'BT-40': ['seller_country'],
  'BT-44': ['buyer', 'customer', 'buyer_name', 'customer_name'],
  'BT-47': ['buyer_registration_id'],
  'BT-48': ['buyer_vat_id', 'customer_vat_id'],
  'BT-49': ['buyer_email'],
  'BT-50': ['buyer_street', 'buyer_address', 'customer_address'],
  'BT-52': ['buyer_city'],
  'BT-53': ['buyer_postcode'],
  'BT-55': ['buyer_country'],
  'BT-81': ['payment_means_code'],
  'BT-84': ['iban'],
  'BT-109': ['subtotal', 'amount_untaxed', 'total_net', 'net_total', 'total_without_vat'],
  'BT-110': ['tax', 'amount_tax', 'vat_total', 'total_tax', 'vat', 'tax_total'],
  'BT-112': ['total', 'amount', 'grand_total', 'total_with_vat'],
  'BT-113': ['prepaid', 'paid_amount', 'prepaid_amount'],
  'BT-115': ['amount_due', 'due_amount', 'total_due', 'balance_due', 'amount_payable'],
  'BT-118': ['vat_category'],
  'BT-119': ['vat_rate'],
  'BG-25': ['line_items', 'lines', 'items'],
};

/** Column names of the line table, tried in order, per line term. */
export const LINE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'BT-126': ['id', 'line_id', 'position', 'pos'],
  'BT-153': ['description', 'name', 'item', 'product'],
  'BT-129': ['quantity', 'qty'],
  'BT-130': ['unit', 'unit_code'],
  'BT-146': ['unit_price', 'price', 'rate'],
  'BT-131': ['amount', 'net_amount', 'line_total', 'total'],
  'BT-152': ['vat_rate', 'tax_rate', 'vat_percent'],
};
