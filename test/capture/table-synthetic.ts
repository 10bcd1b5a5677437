/**
 * @module A synthetic multi-issuer set for the line-item extraction: the lines of the
 * EN 16931 example invoices (shared/schemas/en16931/cii/examples, read by the project's
 * e-invoice reader) printed as words on pages in several issuers' layouts: other header
 * words and column orders, four number formats (1.234,56 · 1,234.56 · 1 234,56 with a
 * thin space · € 1.234,56), wrapped descriptions and notes under a row, a totals block
 * in the issuer's words, a discount column, a table running over pages with its header
 * repeated and a carried-over sum. The dev half of the e-invoices is almost one issuer
 * (intarsys); this set tells whether a rule tuned there holds for other layouts. It is
 * generated, so it measures only the variations written here, not a real issuer's.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { Page, Word } from '../../src/core/page.ts';
import type { EInvoiceLine } from '../../src/core/einvoice/model.ts';
import { readEInvoiceXml } from '../../src/pipeline/einvoice/read.ts';

export type Format = 'de' | 'en' | 'fr' | 'nl';
type Role = 'pos' | 'description' | 'quantity' | 'unit' | 'price' | 'discount' | 'vat' | 'amount';

interface Layout {
  name: string;
  format: Format;
  /** Columns left to right: role, header words (one string per header line), left x, right x. */
  columns: [Role, string[], number, number][];
  totals: [net: string, vat: string, gross: string];
  /** Items per page before the table breaks to the next page (with the header again and the carried sum). */
  perPage: number;
  carry?: string;
  /** A note line under each item ("Art.-Nr. 4711"). */
  note?: string;
  /** The description's header set over the column's right end, not its left. */
  textHeader?: 'right';
  /** The header printed on the first page only; later pages go on with the items. */
  once?: boolean;
  /** A company footer on every page, in three blocks across the page (phone, register, bank: figures under the amount column too). */
  footer?: boolean;
}

export const LAYOUTS: Layout[] = [
  { name: 'en-classic', format: 'en', perPage: 12, totals: ['Subtotal', 'VAT 19%', 'Total due'], columns: [['pos', ['#'], 40, 55], ['description', ['Description'], 70, 300], ['quantity', ['Qty'], 310, 345], ['price', ['Unit Price'], 360, 430], ['vat', ['VAT'], 440, 470], ['amount', ['Amount'], 480, 560]] },
  { name: 'de-artikel', format: 'de', perPage: 12, totals: ['Nettobetrag', 'zzgl. 19% MwSt.', 'Rechnungsbetrag'], note: 'Art.-Nr.', columns: [['pos', ['Pos.'], 40, 60], ['description', ['Artikel'], 70, 290], ['quantity', ['Menge'], 300, 340], ['unit', ['Einheit'], 345, 380], ['price', ['Einzelpreis'], 385, 450], ['amount', ['Gesamt'], 470, 560]] },
  { name: 'fr-space', format: 'fr', perPage: 12, totals: ['Total HT', 'TVA 20 %', 'Total TTC'], columns: [['description', ['Désignation'], 40, 280], ['quantity', ['Qté'], 290, 330], ['price', ['Prix', 'unitaire'], 340, 410], ['discount', ['Remise'], 420, 455], ['amount', ['Montant HT'], 470, 560]] },
  { name: 'nl-euro', format: 'nl', perPage: 12, totals: ['Subtotaal', 'BTW 21%', 'Totaal'], columns: [['description', ['Omschrijving'], 40, 280], ['quantity', ['Aantal'], 290, 330], ['price', ['Prijs'], 350, 420], ['vat', ['BTW'], 430, 460], ['amount', ['Bedrag'], 470, 560]] },
  { name: 'en-pages', format: 'en', perPage: 4, textHeader: 'right', footer: true, carry: 'Carried forward', totals: ['Net amount', 'Tax', 'Invoice total'], note: 'SKU', columns: [['description', ['Item'], 40, 280], ['quantity', ['Quantity'], 290, 345], ['unit', ['Unit'], 350, 380], ['price', ['Rate'], 390, 450], ['amount', ['Line total'], 470, 560]] },
  { name: 'en-once', format: 'en', perPage: 6, once: true, footer: true, totals: ['Total excl. VAT', 'VAT', 'Total incl. VAT'], columns: [['description', ['Description'], 40, 280], ['quantity', ['Qty'], 290, 330], ['price', ['Price'], 350, 420], ['amount', ['Amount'], 470, 560]] },
  { name: 'de-pages', format: 'de', perPage: 5, footer: true, carry: 'Übertrag', totals: ['Summe netto', 'Umsatzsteuer 19%', 'Gesamtbetrag'], columns: [['pos', ['Nr.'], 40, 60], ['description', ['Bezeichnung'], 70, 290], ['quantity', ['Anzahl'], 300, 340], ['price', ['Einzel/€'], 360, 430], ['amount', ['Gesamt/€'], 470, 560]] },
];

export const CHAR = 4.6;
const h0 = (head: readonly string[]): number => Math.max(...head.map((h) => h.length * CHAR));
export const H = 10;

export function formatted(n: number, format: Format, decimals: number): string {
  const [int, dec] = Math.abs(n).toFixed(decimals).split('.') as [string, string | undefined];
  const sep = { de: '.', en: ',', fr: '\u202f', nl: '.' }[format];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const mark = format === 'en' ? '.' : ',';
  return `${n < 0 ? '-' : ''}${grouped}${dec === undefined ? '' : mark + dec}`;
}

export function decimalsOf(s: string | null, least: number): number {
  return Math.max(least, (s ?? '').split('.')[1]?.replace(/0+$/, '').length ?? 0);
}

/** Words of one printed text from x (left) or ending at x (right); a thin space (U+202F) is a narrower gap, as a PDF prints it. */
export function words(text: string, x: number, y: number, align: 'left' | 'right'): Word[] {
  const parts = text.split(/(?<=[ \u202f])/);
  const width = (t: string): number => t.trim().length * CHAR;
  const gaps = parts.map((p) => (p.endsWith('\u202f') ? 1.5 : p.endsWith(' ') ? 2.6 : 0));
  const total = parts.reduce((s, p, i) => s + width(p) + (gaps[i] as number), 0);
  let left = align === 'left' ? x : x - total;
  const out: Word[] = [];
  parts.forEach((p, i) => {
    if (p.trim() !== '') out.push({ text: p.trim(), box: { x: left, y, w: width(p), h: H }, confidence: 1 });
    left += width(p) + (gaps[i] as number);
  });
  return out;
}

/** Splits a description into printed lines of at most `chars` characters (its own line breaks kept). */
export function wrap(text: string, chars: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const w of para.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + 1 + w.length > chars) {
        out.push(line);
        line = w;
      } else line = line === '' ? w : `${line} ${w}`;
    }
    if (line !== '') out.push(line);
  }
  return out;
}

export function toPage(index: number, ws: Word[]): Page {
  return { index, width: 600, height: 842, dpi: 72, rotation: 0, source: 'text', words: ws, lines: ws.map((w, i) => ({ text: w.text, box: w.box, words: [i] })) };
}

/** The invoice printed in one layout: a letterhead, the table over as many pages as it needs, the totals under it. */
export function render(lines: readonly EInvoiceLine[], layout: Layout): Page[] {
  const pages: Word[][] = [];
  let ws: Word[] = [];
  let y = 0;
  const col = (role: Role): [Role, string[], number, number] | undefined => layout.columns.find((c) => c[0] === role);
  const put = (role: Role, text: string, at: number): void => {
    const c = col(role);
    if (!c) return;
    const right = role !== 'description' && role !== 'unit';
    ws.push(...words(text, right ? c[3] : c[2], at, right ? 'right' : 'left'));
  };
  const header = (): void => {
    for (const [role, head, x0, x1] of layout.columns) {
      // Figure headers over their figures' right edge; the description's at its left, or over the column's right end where the layout says so.
      const left = head.length > 1 || h0(head) > x1 - x0 || ((role === 'description' || role === 'unit') && layout.textHeader !== 'right');
      head.forEach((h, k) => ws.push(...words(h, left ? x0 : x1, y + k * H, left ? 'left' : 'right')));
    }
    y += layout.columns.some((c) => c[1].length > 1) ? 2.4 * H : 1.6 * H;
  };
  const footer = (): void => {
    if (!layout.footer) return;
    const blocks: [string, string, string][] = [['Phone 089 1234 567', 'Court Munich HRB 12345', 'IBAN DE02 1203 0000 0000 2020 51'], ['Fax 089 1234 568', 'VAT ID DE 123 456 789', 'BIC BYLADEM1001']];
    blocks.forEach(([a, b, c], k) => ws.push(...words(a, 40, 790 + k * H, 'left'), ...words(b, 230, 790 + k * H, 'left'), ...words(c, 560, 790 + k * H, 'right')));
    ws.push(...words(`Page ${pages.length + 1}`, 560, 815, 'right'));
  };
  const amountText = (n: number, d = 2): string => (layout.format === 'nl' ? `€ ${formatted(n, 'nl', d)}` : formatted(n, layout.format, d));
  const letterhead = (): void => {
    ws.push(...words('Example Supplies Ltd', 40, 40, 'left'), ...words('Invoice 2026-0042', 40, 80, 'left'), ...words('Date 01.12.2026', 40, 95, 'left'));
    y = 160;
  };
  letterhead();
  header();
  let sum = 0;
  lines.forEach((l, i) => {
    const q = Number(l.quantity ?? 1);
    const p = Number(l.unit_price ?? 0);
    const a = Number(l.net_amount ?? 0);
    if (i > 0 && i % layout.perPage === 0) {
      if (layout.carry) put('description', layout.carry, y), put('amount', amountText(sum), y);
      footer();
      pages.push(ws);
      ws = [];
      y = 60;
      if (layout.carry) put('description', layout.carry, y), put('amount', amountText(sum), y), (y += 1.6 * H);
      if (!layout.once) header();
    }
    const d = col('description') as [Role, string[], number, number];
    const text = wrap(l.description ?? '', Math.floor((d[3] - d[2]) / CHAR));
    put('pos', String(i + 1), y);
    put('quantity', formatted(q, layout.format, decimalsOf(l.quantity, 0)), y);
    if (col('unit')) put('unit', l.unit === 'HUR' ? 'h' : l.unit === 'KGM' ? 'kg' : 'Stk', y);
    put('price', amountText(p, decimalsOf(l.unit_price, 2)), y);
    const gross = q * p;
    if (col('discount') && Math.abs(gross) > Math.abs(a) + 0.005) put('discount', `${Math.round((100 * (gross - a)) / gross)} %`, y);
    if (col('vat')) put('vat', `${l.vat_rate ?? '19'}%`, y);
    put('amount', amountText(a), y);
    text.forEach((t, k) => put('description', t, y + k * 1.2 * H));
    y += text.length * 1.2 * H;
    if (layout.note) put('description', `${layout.note} ${4711 + i}`, y), (y += 1.2 * H);
    y += 0.6 * H;
    sum += a;
  });
  y += H;
  const tax = Math.round(sum * 19) / 100;
  for (const [label, value] of [[layout.totals[0], sum], [layout.totals[1], tax], [layout.totals[2], sum + tax]] as const) {
    ws.push(...words(label, 330, y, 'left'));
    put('amount', amountText(value), y);
    y += 1.5 * H;
  }
  ws.push(...words('Payable within 30 days. IBAN DE02 1203 0000 0000 2020 51', 40, y + 3 * H, 'left'));
  footer();
  pages.push(ws);
  return pages.map((p, i) => toPage(i, p));
}

/** The priced lines of each EN 16931 example invoice whose lines add up (quantity × price = amount, or a discount below it). */
export async function exampleInvoices(folder = new URL('../../../shared/schemas/en16931/cii/examples', import.meta.url).pathname): Promise<{ name: string; lines: EInvoiceLine[] }[]> {
  const out: { name: string; lines: EInvoiceLine[] }[] = [];
  for (const name of (await readdir(folder)).filter((n) => n.endsWith('.xml')).sort()) {
    try {
      const lines = readEInvoiceXml(await readFile(`${folder}/${name}`)).lines.filter((l) => l.net_amount !== null && l.quantity !== null && l.unit_price !== null);
      if (lines.length > 0) out.push({ name, lines });
    } catch {
      // Not an invoice the reader takes: not part of the set.
    }
  }
  return out;
}
