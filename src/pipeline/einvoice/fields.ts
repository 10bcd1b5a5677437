/**
 * @module An `EInvoice` onto a document type's fields: the values a person would
 * otherwise type, with confidence 1.0 and `source: 'einvoice'`. A field takes the
 * business term its project names (`extract: [{ einvoice: "BT-xx" }]`), else the
 * one its name stands for in `BUILT_IN` (the demo project's invoice fields and
 * their usual synonyms), else it keeps what the visual extraction found. A mapped
 * term the XML lacks leaves its field empty: the XML is the invoice, and the
 * field's `required` rule says whether that matters.
 */
import type { FieldResult, FieldValue, TableRow } from '../../core/capture.ts';
import { termValue } from '../../core/einvoice/business-terms.ts';
import type { EInvoice, EInvoiceLine } from '../../core/einvoice/model.ts';
import type { DocumentType, FieldDef } from '../../core/project.ts';

/** Field name → business term, for fields that name none. */
export const BUILT_IN: Record<string, string> = {
  invoice_number: 'BT-1', number: 'BT-1', document_number: 'BT-1',
  invoice_date: 'BT-2', issue_date: 'BT-2', date: 'BT-2',
  due_date: 'BT-9', date_due: 'BT-9', payment_due_date: 'BT-9',
  currency: 'BT-5',
  supplier: 'BT-27', seller: 'BT-27', issuer: 'BT-27', vendor: 'BT-27',
  supplier_vat_id: 'BT-31', seller_vat_id: 'BT-31', vat_id: 'BT-31', vat_number: 'BT-31',
  buyer: 'BT-44', customer: 'BT-44',
  iban: 'BT-84',
  line_total: 'BT-106', lines_total: 'BT-106',
  subtotal: 'BT-109', amount_untaxed: 'BT-109', net_total: 'BT-109', total_without_vat: 'BT-109',
  tax: 'BT-110', vat: 'BT-110', amount_tax: 'BT-110', tax_total: 'BT-110', vat_total: 'BT-110',
  total: 'BT-112', amount: 'BT-112', grand_total: 'BT-112', total_with_vat: 'BT-112',
  amount_due: 'BT-115', due_amount: 'BT-115', balance_due: 'BT-115', amount_payable: 'BT-115',
};

/** Table column name → invoice line member (BG-25): BT-126 id, BT-153/154 description, BT-129/130 quantity and unit, BT-146 price, BT-131 net, BT-151/152 VAT. */
const LINE_COLUMNS: Record<string, keyof EInvoiceLine> = {
  id: 'id', line: 'id', line_id: 'id', position: 'id', pos: 'id',
  description: 'description', item: 'description', name: 'description', product: 'description',
  quantity: 'quantity', qty: 'quantity',
  unit: 'unit', unit_code: 'unit',
  unit_price: 'unit_price', price: 'unit_price', net_price: 'unit_price',
  amount: 'net_amount', net_amount: 'net_amount', line_total: 'net_amount', total: 'net_amount',
  vat_category: 'vat_category', tax_category: 'vat_category',
  vat_rate: 'vat_rate', tax_rate: 'vat_rate', vat_percent: 'vat_rate',
};

/** The term a field takes from an e-invoice: its own `einvoice` method, else its name's built-in one, else none. */
export function fieldTerm(def: FieldDef): string | null {
  const named = def.extract.find((m) => m.einvoice)?.einvoice;
  if (named) return named;
  return BUILT_IN[def.name] ?? (def.type === 'table' && def.name === 'line_items' ? 'BG-25' : null);
}

function typed(type: string, text: string, values: readonly string[] = []): string | number {
  if (type === 'amount' || type === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (type === 'enum') return values.find((v) => v.toLowerCase() === text.toLowerCase()) ?? text;
  return text;
}

function lineRows(def: FieldDef, inv: EInvoice): TableRow[] {
  const columns = def.table?.columns ?? [];
  return inv.lines.map((line) => {
    const row: TableRow = {};
    for (const c of columns) {
      const member = LINE_COLUMNS[c.name];
      const text = member ? line[member] : null;
      row[c.name] = text === null ? null : typed(c.type, text);
    }
    return row;
  });
}

function fromXml(def: FieldDef, value: FieldValue, text: string | null): FieldResult {
  return { name: def.name, type: def.type, value, text, confidence: 1, areas: [], valid: true, messages: [], needs_confirmation: false, source: 'einvoice' };
}

/**
 * The document's fields with every mapped one replaced by the e-invoice's value.
 * `visual` are the fields the page extraction found, kept for unmapped fields.
 */
export function fieldsFromEInvoice(type: DocumentType, inv: EInvoice, visual: readonly FieldResult[]): FieldResult[] {
  return type.fields.map((def) => {
    const term = fieldTerm(def);
    const seen = visual.find((f) => f.name === def.name);
    if (term === null) return seen ?? fromXml(def, null, null);
    if (term === 'BG-25') return fromXml(def, def.type === 'table' ? lineRows(def, inv) : null, null);
    const text = termValue(inv, term);
    return fromXml(def, text === null ? null : typed(def.type, text, def.values), text);
  });
}
