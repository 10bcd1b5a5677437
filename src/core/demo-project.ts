/**
 * @module The demo project `Demo: invoices and receipts` (DESIGN §1, issue 4 §7):
 * Invoice, Receipt (exactly the SROIE keys company, date, address, total) and
 * Letter/Other. `docket demo` and `npm start` install it through the same path as
 * an upload. Its classifier is trained from sample texts generated here (seeded,
 * so the model is the same on every install), never from the test corpus.
 */
import { trainClassifier, type Sample } from './project/classifier.ts';

export const DEMO_PROJECT_NAME = 'Demo: invoices and receipts';


/**
 * Review thresholds per kind of field, fitted on the development half of the public
 * labelled set (even positions; docs/eval.md): the highest confidence of a wrong value
 * there plus a 0.1 margin, rounded up to 0.05, and never below 0.5. Names (0.84 was
 * still wrong: OCR misreads with confident words), addresses (0.53), totals (0.41);
 * dates, numbers and currencies had no confident error.
 */
const CONFIDENT = { name: 0.95, address: 0.65, total: 0.55, value: 0.5 } as const;

/** A document number after its label: optional "No", "Nr", "n°", then letters and digits with at least one digit. */
const INVOICE_NUMBER = String.raw`^[:#.\s]*(?:no\.?|number|nr\.?|n[°º]|nummer)?[:#.\s]*(#?[A-Z0-9\-/_]{0,30}\d[A-Z0-9\-/_]{2,30})\b`;

function textField(name: string, extract: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'text', extract, ...extra };
}

/** The project file object (what an uploader would send as YAML or JSON). */
export function demoProject(): Record<string, unknown> {
  const company = [{ heuristic: 'company' }];
  return {
    name: DEMO_PROJECT_NAME,
    timeout: '7d',
    client_action_timeout: '30m',
    date_order: 'dmy',
    separation: { mode: 'none' },
    validation: { mode: 'when_needed', confidence_threshold: 0.9 },
    classification: { threshold: 0.4, confirm_threshold: 0.55 },
    document_types: [
      {
        name: 'Invoice',
        classify: { keywords: ['invoice', { text: 'tax invoice', weight: 0.5 }, 'rechnung', 'factuur', 'facture', 'invoice number', 'due date', 'bill to', { text: 'vat', weight: 0.5 }] },
        fields: [
          { name: 'invoice_number', type: 'text', required: true, confidence_threshold: CONFIDENT.value, extract: [
            { label: ['invoice number', 'invoice no', 'invoice #', 'invoice', 'factuurnummer', 'rechnungsnummer', 'rechnungsnr', 'rechnung nr', 'numéro de facture', 'facture', 'fattura', 'factura', 'invoice id'], pattern: INVOICE_NUMBER, flags: 'i', position: 'any' },
            // Other document numbers stand in for an invoice number on receipts and bills, when no invoice label is printed.
            { label: ['bill no', 'receipt no', 'document no', 'reference', 'ref no', 'booking id'], pattern: INVOICE_NUMBER, flags: 'i', position: 'any', weight: 0.6 },
          ] },
          { name: 'invoice_date', type: 'date', required: true, confidence_threshold: CONFIDENT.value, extract: [
            { label: ['invoice date', 'date of issue', 'date', 'factuurdatum', 'rechnungsdatum', 'datum', 'date de facture'], position: 'any' },
            { pick: 'first', weight: 0.5, pattern: null },
          ] },
          { name: 'due_date', type: 'date', extract: [{ label: ['due date', 'payment due', 'vervaldatum', 'fällig', 'date d\'échéance', 'pay by'], position: 'any' }] },
          textField('supplier', company, { required: true, confidence_threshold: CONFIDENT.name }),
          { name: 'currency', type: 'enum', confidence_threshold: CONFIDENT.value, values: ['EUR', 'USD', 'GBP', 'INR', 'MYR', 'CHF', 'JPY', 'SGD'], extract: [{ pattern: String.raw`(USD|EUR|GBP|INR|MYR|CHF|JPY|SGD|[$€£₹]|\bRs\b|\bRM\b)`, flags: '', pick: 'first' }] },
          { name: 'subtotal', type: 'amount', extract: [{ label: ['subtotal', 'sub total', 'net amount', 'total excl', 'total excluding', 'netto', 'totaal excl', 'amount before tax'], position: 'right' }] },
          { name: 'tax', type: 'amount', extract: [{ label: ['vat', 'tax', 'gst', 'btw', 'mwst', 'tva', 'sales tax', 'total tax'], position: 'right' }] },
          { name: 'total', type: 'amount', required: true, rules: { min: 0 }, confidence_threshold: CONFIDENT.total, extract: [{ heuristic: 'total' }] },
          { name: 'line_items', type: 'table', columns: [
            { name: 'description', type: 'text', header: ['description', 'item', 'product', 'omschrijving', 'beschreibung', 'designation'] },
            { name: 'quantity', type: 'number', header: ['qty', 'quantity', 'aantal', 'menge', 'qté'] },
            { name: 'unit_price', type: 'amount', header: ['unit price', 'price', 'rate', 'prijs', 'preis'] },
            { name: 'amount', type: 'amount', header: ['amount', 'total', 'line total', 'bedrag', 'betrag', 'montant'] },
          ], end: String.raw`^\s*(sub\s*total|total|totaal|summe|vat|tax)\b` },
        ],
        rules: [
          { check: 'subtotal + tax == total', tolerance: 0.02, message: 'subtotal + tax does not equal total' },
          { check: 'due_date >= invoice_date', message: 'the due date is before the invoice date' },
        ],
      },
      {
        name: 'Receipt',
        classify: { keywords: ['receipt', 'cash', 'change', 'cashier', 'thank you', 'gst', 'rounding', 'tendered', 'qty', { text: 'tax invoice', weight: 0.5 }] },
        fields: [
          textField('company', company, { required: true, confidence_threshold: CONFIDENT.name }),
          { name: 'date', type: 'date', required: true, confidence_threshold: CONFIDENT.value, extract: [
            { label: ['date', 'tarikh', 'bizdate', 'dated'], position: 'right' },
            { pick: 'first', weight: 0.8 },
          ] },
          textField('address', [{ heuristic: 'address' }], { required: true, confidence_threshold: CONFIDENT.address }),
          { name: 'total', type: 'amount', required: true, rules: { min: 0 }, confidence_threshold: CONFIDENT.total, extract: [{ heuristic: 'total' }] },
        ],
      },
      {
        name: 'Letter/Other',
        classify: { keywords: ['dear', 'sincerely', 'regards', 'yours faithfully', 'subject', 're'] },
        fields: [],
      },
    ],
    export: [{ format: 'json', name: '{task_name}_{document_index}.json' }],
    model: trainClassifier(demoSamples()),
  };
}

/** A small seeded generator (mulberry32) so that samples and the model are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHOPS = ['Kedai Runcit Maju', 'Green Leaf Cafe', 'Acme Hardware', 'Sunrise Bakery', 'City Mart', 'Golden Noodle Restaurant', 'Bright Stationery'];
const FIRMS = ['Northwind Traders Ltd', 'Contoso GmbH', 'Fabrikam B.V.', 'Initech Inc', 'Globex Corporation', 'Umbrella AG', 'Tailspin Services LLC'];
const ITEMS = ['Coffee', 'Bread', 'Notebook', 'Cable ties', 'Rice 5kg', 'Mineral water', 'Printer paper', 'Batteries AA', 'Fried noodle', 'Tea'];
const SERVICES = ['Consulting services', 'Hosting plan', 'Software licence', 'Support contract', 'Data transfer', 'Storage', 'Maintenance'];
const LETTER = ['We are writing to inform you about the changes to your account.', 'Please find enclosed the documents you requested.', 'Thank you for your letter of last week.', 'We would like to invite you to the annual meeting.', 'Your application has been received and is being reviewed.', 'Please contact our office if you have any questions.'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function money(r: () => number, max: number): string {
  return (1 + r() * max).toFixed(2);
}

/** Sample texts per type, generated: 12 invoices, 12 receipts, 12 letters. */
export function demoSamples(count = 12): Sample[] {
  const r = rng(20240325);
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const lines = Array.from({ length: 2 + Math.floor(r() * 4) }, () => `${pick(r, SERVICES)} 1 ${money(r, 400)} ${money(r, 400)}`);
    out.push({ type: 'Invoice', text: [pick(r, FIRMS), '12 Main Street', r() < 0.5 ? 'INVOICE' : 'Tax Invoice', `Invoice number INV-${1000 + i}`, 'Invoice date 03/04/2024', 'Due date 03/05/2024', 'Bill to', pick(r, FIRMS), 'Description Qty Unit price Amount', ...lines, `Subtotal ${money(r, 900)}`, `VAT 20% ${money(r, 90)}`, `Total due EUR ${money(r, 999)}`, 'Payment terms 30 days IBAN GB33BUKB20201555555555'].join('\n') });
    const items = Array.from({ length: 2 + Math.floor(r() * 5) }, () => `${pick(r, ITEMS)} ${1 + Math.floor(r() * 3)} ${money(r, 30)}`);
    out.push({ type: 'Receipt', text: [pick(r, SHOPS), 'No 5, Jalan Bunga 3, 43000 Kajang', 'GST ID 000123456789', 'Cashier 02 Table 7', `Date ${10 + i}/03/2018 Time 12:${10 + i}`, ...items, `Total ${money(r, 90)}`, `Cash ${money(r, 100)}`, `Change ${money(r, 10)}`, 'Thank you please come again'].join('\n') });
    out.push({ type: 'Letter/Other', text: [pick(r, FIRMS), '12 Main Street', `${1 + i} April 2024`, 'Dear Sir or Madam,', pick(r, LETTER), pick(r, LETTER), pick(r, LETTER), 'Yours sincerely,', 'J. Smith'].join('\n') });
  }
  return out;
}
