/**
 * @module Labelled documents generated for the learned scorer's shipped weights
 * (scripts/train-scorer.ts `--generated`): receipts and invoices in English, German,
 * French and Dutch whose right field values are known because they were drawn
 * first, laid out as born-digital pages (6 pt a character, rows 20 pt apart, columns
 * after wide gaps). Seeded, so the weights are reproducible; docket may ship what
 * it trains on them, unlike SROIE or FUNSD (evaluation only).
 *
 * They carry what the real e-invoices teach too little of: receipts whose largest
 * amount is the cash tendered, not the total; buyers printed under a "bill to"
 * label in a larger hand than the seller's; subtotals and tax lines above a total.
 */
import type { Line, Page, Word } from './page.ts';

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
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const amount = (r: Rand, max: number): number => Math.round((1 + r() * max) * 100) / 100;

export interface GeneratedDocument {
  type: 'Invoice' | 'Receipt';
  page: Page;
  /** Right values by field name: dates ISO, amounts as numbers. */
  fields: Record<string, string | number>;
}

const SHOPS = ['KEDAI RUNCIT MAJU', 'GREEN LEAF CAFE', 'ACME HARDWARE SDN BHD', 'SUNRISE BAKERY', 'CITY MART ENTERPRISE', 'GOLDEN NOODLE RESTAURANT', 'BRIGHT STATIONERY SDN BHD', 'FAMILY PHARMACY', 'CORNER BOOKSHOP TRADING', 'FRESH FRUIT MARKET'];
const FIRMS = ['Northwind Traders Ltd', 'Contoso GmbH', 'Fabrikam B.V.', 'Initech Inc.', 'Globex Corporation', 'Umbrella AG', 'Tailspin Services LLC', 'Wide World Importers SARL', 'Lieferant Müller KG', 'Boulangerie Martin SAS'];
const STREETS = ['12 Main Street', 'Hauptstraße 4', '5 rue de la Paix', 'Kerkstraat 21', 'No 5, Jalan Bunga 3', 'Lot 2, Jalan Ampang'];
const CITIES = ['London EC1A 1BB', '10115 Berlin', '75002 Paris', '1012 AB Amsterdam', '43000 Kajang, Selangor', '50450 Kuala Lumpur'];
const ITEMS = ['Coffee', 'Bread', 'Notebook', 'Cable ties', 'Rice 5kg', 'Mineral water', 'Printer paper', 'Batteries AA', 'Consulting', 'Hosting plan', 'Licence', 'Support'];

const WORDS = [
  { title: 'INVOICE', no: 'Invoice number', date: 'Invoice date', due: 'Due date', to: 'Bill to', sub: 'Subtotal', vat: 'VAT 20%', total: 'Total due', cur: 'GBP' },
  { title: 'RECHNUNG', no: 'Rechnungsnummer', date: 'Rechnungsdatum', due: 'Fällig am', to: 'Rechnungsempfänger', sub: 'Nettobetrag', vat: 'MwSt 19%', total: 'Gesamtbetrag', cur: 'EUR' },
  { title: 'FACTUUR', no: 'Factuurnummer', date: 'Factuurdatum', due: 'Vervaldatum', to: 'Klant', sub: 'Subtotaal', vat: 'BTW 21%', total: 'Totaal', cur: 'EUR' },
  { title: 'FACTURE', no: 'Numéro de facture', date: 'Date de facture', due: "Date d'échéance", to: 'Client', sub: 'Total HT', vat: 'TVA 20%', total: 'Total TTC', cur: 'EUR' },
] as const;

function isoDate(r: Rand): { iso: string; d: number; m: number; y: number } {
  const y = 2016 + Math.floor(r() * 9);
  const m = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  return { iso: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, d, m, y };
}

function printed(r: Rand, date: { d: number; m: number; y: number }): string {
  const dd = String(date.d).padStart(2, '0');
  const mm = String(date.m).padStart(2, '0');
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.m - 1];
  return pick(r, [`${dd}/${mm}/${date.y}`, `${dd}.${mm}.${date.y}`, `${dd}-${mm}-${date.y}`, `${dd} ${mon} ${date.y}`]);
}

const money = (n: number, comma: boolean): string => (comma ? n.toFixed(2).replace('.', ',') : n.toFixed(2));

/** A page of rows; a row is its cells, laid out left to right after wide gaps; `size` scales a row's glyphs. */
function layout(rows: { cells: string[]; size?: number; right?: boolean }[], confidence: number): Page {
  const words: Word[] = [];
  const lines: Line[] = [];
  let y = 40;
  for (const row of rows) {
    const size = row.size ?? 1;
    const h = 12 * size;
    const width = row.cells.join('      ').length * 6 * size;
    let x = row.right ? Math.max(40, 572 - width) : 40;
    row.cells.forEach((cell, c) => {
      if (c > 0) x = Math.max(x + 36, row.cells.length === 2 && c === 1 ? 420 : x + 36);
      const ids: number[] = [];
      for (const token of cell.split(' ').filter((t) => t !== '')) {
        ids.push(words.length);
        words.push({ text: token, box: { x, y, w: token.length * 6 * size, h }, confidence });
        x += (token.length + 1) * 6 * size;
      }
      if (ids.length > 0) lines.push({ text: ids.map((i) => words[i]?.text).join(' '), box: { x: words[ids[0] as number]!.box.x, y, w: x - words[ids[0] as number]!.box.x, h }, words: ids });
    });
    y += h + 8;
  }
  return { index: 0, width: 612, height: Math.max(792, y + 40), dpi: 72, rotation: 0, source: 'text', words, lines };
}

function receipt(r: Rand, i: number): GeneratedDocument {
  const date = isoDate(r);
  const items = Array.from({ length: 2 + Math.floor(r() * 6) }, () => ({ name: pick(r, ITEMS), price: amount(r, 40) }));
  const total = Math.round(items.reduce((s, it) => s + it.price, 0) * 100) / 100;
  const cash = Math.ceil(total / 10) * 10 + pick(r, [0, 10, 50]);
  const shop = pick(r, SHOPS);
  const rows = [
    { cells: [shop], size: pick(r, [1, 1.3]) },
    ...(r() < 0.5 ? [{ cells: [`(${100000 + i}-${pick(r, ['A', 'K', 'M'])})`] }] : []),
    { cells: [pick(r, STREETS)] },
    { cells: [pick(r, CITIES)] },
    ...(r() < 0.6 ? [{ cells: [`TEL : 03-${8000 + i} ${1000 + i}`] }] : []),
    { cells: [pick(r, ['TAX INVOICE', 'RECEIPT', 'CASH SALE', 'SIMPLIFIED TAX INVOICE'])] },
    ...(r() < 0.5 ? [{ cells: [`Receipt no R${20000 + i}`] }] : []),
    { cells: r() < 0.7 ? [`Date : ${printed(r, date)}`, `${10 + (i % 12)}:${10 + (i % 49)}`] : [printed(r, date)] },
    ...items.map((it) => ({ cells: [it.name, money(it.price, false)] })),
    ...(r() < 0.4 ? [{ cells: ['SUBTOTAL', money(total, false)] }] : []),
    { cells: [pick(r, ['TOTAL', 'TOTAL RM', 'GRAND TOTAL', 'Total incl GST', 'NETT TOTAL']), money(total, false)], size: pick(r, [1, 1.2]) },
    ...(r() < 0.7 ? [{ cells: ['CASH', money(cash, false)] }, { cells: ['CHANGE', money(Math.round((cash - total) * 100) / 100, false)] }] : [{ cells: ['VISA', money(total, false)] }]),
    { cells: [pick(r, ['THANK YOU PLEASE COME AGAIN', 'THANK YOU', 'GOODS SOLD ARE NOT RETURNABLE'])] },
  ];
  return { type: 'Receipt', page: layout(rows, 0.9 + r() * 0.1), fields: { company: shop, date: date.iso, total } };
}

function invoice(r: Rand, i: number): GeneratedDocument {
  const w = pick(r, WORDS);
  const comma = w.cur === 'EUR' && r() < 0.8;
  const [issuer, buyer] = [pick(r, FIRMS), pick(r, FIRMS.filter((f) => f !== FIRMS[i % FIRMS.length]))];
  const seller = issuer === buyer ? FIRMS[(FIRMS.indexOf(issuer) + 1) % FIRMS.length]! : issuer;
  const date = isoDate(r);
  const number = pick(r, [`INV-${1000 + i}`, `${2020 + (i % 5)}-${String(100 + i).padStart(5, '0')}`, `RE${400000 + i * 7}`, `FA-${2017 + (i % 6)}-${String(i).padStart(4, '0')}`]);
  const lines = Array.from({ length: 1 + Math.floor(r() * 5) }, () => ({ name: pick(r, ITEMS), qty: 1 + Math.floor(r() * 4), price: amount(r, 500) }));
  const sub = Math.round(lines.reduce((s, l) => s + l.qty * l.price, 0) * 100) / 100;
  const tax = Math.round(sub * 0.2 * 100) / 100;
  const total = Math.round((sub + tax) * 100) / 100;
  const head = [{ cells: [seller], size: pick(r, [1, 1.4]) }, { cells: [pick(r, STREETS)] }, { cells: [pick(r, CITIES)] }, ...(r() < 0.6 ? [{ cells: [`VAT ${pick(r, ['GB', 'DE', 'FR', 'NL'])}${123456789 + i}`] }] : [])];
  const to = [{ cells: [w.to] }, { cells: [buyer], size: pick(r, [1, 1.2]) }, { cells: [pick(r, STREETS)] }];
  const meta = [{ cells: [w.no, number] }, { cells: [w.date, printed(r, date)] }, ...(r() < 0.5 ? [{ cells: [w.due, printed(r, isoDate(r))] }] : [])];
  const body = lines.map((l) => ({ cells: [`${l.name} ${l.qty}`, money(l.qty * l.price, comma)] }));
  const sums = [{ cells: [w.sub, money(sub, comma)] }, { cells: [w.vat, money(tax, comma)] }, { cells: [w.total, `${money(total, comma)} ${w.cur}`] }];
  const foot = r() < 0.6 ? [{ cells: [`IBAN DE89 3704 0044 0532 0130 00 · ${seller}`] }] : [];
  const rows = r() < 0.5 ? [{ cells: [w.title], size: 1.5 }, ...head, ...to, ...meta] : [...head, { cells: [w.title], size: 1.5 }, ...meta, ...to];
  return { type: 'Invoice', page: layout([...rows, ...body, ...sums, ...foot], 1), fields: { supplier: seller, invoice_number: number, invoice_date: date.iso, subtotal: sub, total, currency: w.cur } };
}

/** `count` receipts and `count` invoices, seeded. */
export function generatedDocuments(count: number, seed = 20261207): GeneratedDocument[] {
  const r = rng(seed);
  const out: GeneratedDocument[] = [];
  for (let i = 0; i < count; i++) out.push(receipt(r, i), invoice(r, i));
  return out;
}
