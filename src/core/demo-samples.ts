/**
 * @module The generated sample texts the demo project's classifier is trained on
 * (seeded, so every install gets the same model; never the test corpus). Each type
 * has several layouts and languages and draws its wording from lists, because a
 * model trained on one template learns that template's accidents: with a single
 * invoice layout whose amounts all had three digits, the number shape "###" became
 * the strongest invoice term and scanned forms scored as invoices (0.87).
 */
import type { Sample } from './project/classifier.ts';

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

type Rand = () => number;

function pick<T>(r: Rand, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

/** Keeps each line with probability `p`: no two samples of a type print the same lines. */
function some(r: Rand, lines: readonly string[], p = 0.7): string[] {
  return lines.filter(() => r() < p);
}

function money(r: Rand, max: number): string {
  return (1 + r() * max).toFixed(2);
}

const SHOPS = ['Kedai Runcit Maju', 'Green Leaf Cafe', 'Acme Hardware', 'Sunrise Bakery', 'City Mart', 'Golden Noodle Restaurant', 'Bright Stationery', 'Family Pharmacy', 'Corner Bookshop', 'Fresh Fruit Market'];
const FIRMS = ['Northwind Traders Ltd', 'Contoso GmbH', 'Fabrikam B.V.', 'Initech Inc', 'Globex Corporation', 'Umbrella AG', 'Tailspin Services LLC', 'Wide World Importers SARL'];
const ITEMS = ['Coffee', 'Bread', 'Notebook', 'Cable ties', 'Rice 5kg', 'Mineral water', 'Printer paper', 'Batteries AA', 'Fried noodle', 'Tea', 'Shampoo', 'Chicken rice', 'Pen blue', 'Soap'];
const SERVICES = ['Consulting services', 'Hosting plan', 'Software licence', 'Support contract', 'Data transfer', 'Storage', 'Maintenance', 'Room night', 'Fibre subscription', 'Delivery'];
/** Prose printed on invoices and receipts too: a type is not told by "the" and "your" (real invoices carry terms and notes). */
const INVOICE_NOTES = ['Thank you for your business.', 'This is a computer generated invoice and needs no signature.', 'Please pay the amount due to the account below.', 'All prices include VAT where applicable.', 'Payment is due within the period shown on this invoice.', 'Questions about this bill? Contact our billing team.'];
const RECEIPT_NOTES = ['Goods sold are not returnable or exchangeable.', 'Please keep this receipt for your records.', 'Prices are inclusive of GST.', 'Thank you for shopping with us.'];
const LETTER = ['We are writing to inform you about the changes to your account.', 'Please find enclosed the documents you requested.', 'Thank you for your letter of last week.', 'We would like to invite you to the annual meeting.', 'Your application has been received and is being reviewed.', 'Please contact our office if you have any questions.', 'I am pleased to confirm our agreement as discussed.', 'We regret to inform you that the event has been postponed.', 'Following our conversation, I enclose a copy of the report.'];

/** Title and labels of an invoice, per language. */
const INVOICE_WORDS = [
  { title: ['INVOICE', 'Tax Invoice', 'Invoice'], no: 'Invoice number', date: 'Invoice date', due: 'Due date', to: 'Bill to', desc: 'Description Qty Unit price Amount', sub: 'Subtotal', vat: 'VAT 20%', total: 'Total due', terms: 'Payment terms 30 days' },
  { title: ['RECHNUNG', 'Rechnung'], no: 'Rechnungsnummer', date: 'Rechnungsdatum', due: 'Fällig am', to: 'Kunde', desc: 'Beschreibung Menge Preis Betrag', sub: 'Zwischensumme', vat: 'MwSt 19%', total: 'Gesamtbetrag', terms: 'Zahlbar innerhalb 14 Tagen' },
  { title: ['FACTUUR', 'Factuur'], no: 'Factuurnummer', date: 'Factuurdatum', due: 'Vervaldatum', to: 'Klant', desc: 'Omschrijving Aantal Prijs Bedrag', sub: 'Subtotaal', vat: 'BTW 21%', total: 'Totaal', terms: 'Betaling binnen 30 dagen' },
  { title: ['FACTURE', 'Facture'], no: 'Numéro de facture', date: 'Date de facture', due: "Date d'échéance", to: 'Client', desc: 'Désignation Quantité Prix Montant', sub: 'Total HT', vat: 'TVA 20%', total: 'Total TTC', terms: 'Paiement à 30 jours' },
] as const;

function invoice(r: Rand, i: number): string {
  const w = pick(r, INVOICE_WORDS);
  const lines = Array.from({ length: 1 + Math.floor(r() * 5) }, () => `${pick(r, SERVICES)} ${1 + Math.floor(r() * 4)} ${money(r, 900)} ${money(r, 900)}`);
  const head = [pick(r, FIRMS), ...some(r, ['12 Main Street', 'VAT number GB123456789', 'Phone +44 20 7946 0000', 'www.example.com'])];
  const meta = [`${w.no} INV-${1000 + i}`, `${w.date} 03/04/2024`, ...some(r, [`${w.due} 03/05/2024`, 'Customer number C-2291', 'Order number PO-7781', 'Billing period April 2024', 'Billing address 4 Harbour Road', 'Tax ID DE811907980'])];
  const foot = some(r, [w.terms, 'IBAN GB33BUKB20201555555555', 'Account holder ' + pick(r, FIRMS), 'Amount due ' + money(r, 2400), 'Net amount ' + money(r, 2000), 'Total tax amount ' + money(r, 400), pick(r, INVOICE_NOTES), pick(r, INVOICE_NOTES)], 0.5);
  return [pick(r, w.title), ...head, ...meta, w.to, pick(r, FIRMS), w.desc, ...lines, `${w.sub} ${money(r, 2000)}`, `${w.vat} ${money(r, 400)}`, `${w.total} EUR ${money(r, 2400)}`, ...foot].join('\n');
}

function receipt(r: Rand, i: number): string {
  const items = Array.from({ length: 2 + Math.floor(r() * 6) }, () => `${pick(r, ITEMS)} ${1 + Math.floor(r() * 3)} ${money(r, 60)}`);
  const head = [pick(r, SHOPS), ...some(r, ['No 5, Jalan Bunga 3, 43000 Kajang', 'GST ID 000123456789', 'Tel 03-8733 1234', pick(r, ['TAX INVOICE', 'RECEIPT', 'CASH SALE', 'SIMPLIFIED TAX INVOICE'])])];
  const meta = some(r, [`Cashier ${pick(r, ['02', 'Amy', 'Lim'])}`, `Table ${1 + (i % 9)}`, `Receipt no R${20000 + i}`, `Date ${10 + (i % 18)}/03/2018 Time 12:${10 + (i % 49)}`, 'Item Qty Price'], 0.75);
  const pay = some(r, [`Rounding 0.0${i % 5}`, `Total incl GST ${money(r, 200)}`, `Cash ${money(r, 300)}`, `Change ${money(r, 20)}`, `Visa card ${money(r, 200)}`, 'GST summary 6%'], 0.6);
  return [...head, ...meta, ...items, `Total ${money(r, 200)}`, ...pay, pick(r, ['Thank you please come again', 'Thank you', pick(r, RECEIPT_NOTES)])].join('\n');
}

function letter(r: Rand, i: number): string {
  const body = Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick(r, LETTER));
  const head = some(r, [pick(r, FIRMS), '12 Main Street', `${1 + (i % 28)} April 2024`, `Our reference ${pick(r, ['JS', 'AB', 'KL'])}/${100 + i}`]);
  const subject = r() < 0.5 ? [`Subject: ${pick(r, ['your account', 'annual meeting', 'your application', 'our agreement'])}`] : [];
  return [...head, ...subject, pick(r, ['Dear Sir or Madam,', 'Dear Mr Smith,', 'Dear customer,', 'Dear colleagues,']), ...body, pick(r, ['Yours sincerely,', 'Kind regards,', 'Yours faithfully,', 'Best regards,']), pick(r, ['J. Smith', 'A. Jansen', 'M. Dupont'])].join('\n');
}

/** Sample texts per type, generated: `count` invoices, receipts and letters. */
export function demoSamples(count = 16): Sample[] {
  const r = rng(20240325);
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ type: 'Invoice', text: invoice(r, i) });
    out.push({ type: 'Receipt', text: receipt(r, i) });
    out.push({ type: 'Letter/Other', text: letter(r, i) });
  }
  return out;
}
