/**
 * @module More synthetic issuers for the line-item extraction, modelled on how German,
 * French, Dutch and English ERP and small-business tools print their items (the
 * layouts in table-synthetic.ts vary header words and number formats; these vary what
 * stands between and around the items): a position and an article number column, a
 * description continued over two or three lines that print figures ("Lieferdatum
 * 03.11.2026", "Maße 120 x 80 x 45 cm", serial numbers), a unit and a VAT-rate column
 * ("19 %" as two words), quantities with decimals ("1,50 Std"), an allowance row under
 * an item ("abzgl. 10 % Rabatt"), group headings and group subtotals inside the table
 * ("Zwischensumme Titel 1", "Summe Position 1–3"), a free item (0,00), a text-only
 * position, a credit line, and tables over pages with a footer of bank details, a
 * registered address with postcodes and "Seite 1 von 2", the header repeated or not,
 * figures set in the middle of a description of several lines (a word processor's
 * table cell), the unit in the quantity's cell ("1 Stk"), the unit price before the
 * quantity, a "$" before amounts, a tax-code column right of the amount ("1"), and
 * prices and amounts printed with VAT included (a shop's invoice to consumers).
 * Each layout returns its truth with the pages: the EN 16931 example lines plus the
 * lines it adds (free item, credit). Generated, so it measures only what is written here.
 */
import type { Page, Word } from '../../src/core/page.ts';
import type { EInvoiceLine } from '../../src/core/einvoice/model.ts';
import { CHAR, decimalsOf, formatted, H, toPage, words, wrap, type Format } from './table-synthetic.ts';

type Role = 'pos' | 'article' | 'description' | 'quantity' | 'unit' | 'price' | 'discount' | 'vat' | 'amount' | 'code';
type Column = [Role, string[], number, number];

export interface ErpLayout {
  name: string;
  format: Format;
  columns: Column[];
  totals: [string, string, string];
  perPage: number;
  /** The header on the first page only. */
  once?: boolean;
  /** Footer lines printed on every page, blocks split by " | " set at the left, middle and right; `{k}` and `{n}` in the page label. */
  footer?: string[];
  pageLabel?: string;
  /** Continuation lines under each item's description; `{i}` the item's number, `{d}` a day. */
  notes?: string[];
  qtyDecimals?: number;
  /** The VAT rate as two words, "19" and "%". */
  vatSplit?: boolean;
  /** A "€" word after each amount. */
  euro?: boolean;
  /** A heading before and a subtotal after every `every` items; `{g}` the group, `{a}`–`{b}` its positions. */
  groups?: { every: number; heading?: string; subtotal: string };
  /** Every n-th item printed at a gross price with an allowance row under it (the truth keeps the net price). */
  discountEvery?: number;
  discountText?: string;
  /** A free item (quantity 1, price and amount 0) after the second line, in the truth. */
  free?: string;
  /** A text-only position (number and words, no figures) after the third line, not in the truth. */
  text?: string;
  /** A credit (quantity -1 of the first line's price) at the end, in the truth. */
  credit?: string;
  /** Figures set in the middle of a description of several lines, as a word processor's table cell centres them. */
  middle?: boolean;
  /** The unit printed after the quantity in its cell ("1,50 Std"). */
  unitInQty?: boolean;
  /** A currency sign before each amount ("$1,234.56"). */
  sign?: string;
  /** Prices and amounts printed with this VAT rate included (a shop's invoice to consumers); the truth keeps them net. */
  gross?: number;
}

const FOOT_DE = ['Muster GmbH · Hauptstraße 5 · 10115 Berlin | Geschäftsführer: M. Muster · HRB 12345 B | Sparkasse Berlin', 'Tel. 030 123456-0 | USt-IdNr. DE 123 456 789 | IBAN DE02 1005 0000 0123 4567 89'];

export const ERP_LAYOUTS: ErpLayout[] = [
  { name: 'de-erp', format: 'de', perPage: 6, qtyDecimals: 2, vatSplit: true, footer: FOOT_DE, pageLabel: 'Seite {k} von {n}', notes: ['Lieferdatum 0{d}.11.2026'], free: 'Versandkosten', text: 'Hinweis: Lieferung erfolgt in zwei Teilen', totals: ['Nettobetrag', 'zzgl. 19 % USt.', 'Rechnungsbetrag'],
    columns: [['pos', ['Pos.'], 40, 58], ['article', ['Art.-Nr.'], 62, 100], ['description', ['Bezeichnung'], 105, 290], ['quantity', ['Menge'], 295, 330], ['unit', ['Einheit'], 335, 365], ['price', ['Einzelpreis'], 370, 425], ['vat', ['USt.'], 430, 455], ['amount', ['Gesamtpreis'], 470, 560]] },
  { name: 'de-handwerk', format: 'de', perPage: 8, qtyDecimals: 2, footer: FOOT_DE, pageLabel: 'Seite {k} von {n}', notes: ['inkl. Anfahrt, Maße 120 x 80 x 45 cm', 'lt. Aufmaß vom 0{d}.11.2026'], groups: { every: 3, heading: 'Titel {g}: Arbeiten', subtotal: 'Zwischensumme Titel {g}' }, discountEvery: 4, discountText: 'abzgl. 10 % Rabatt', credit: 'Gutschrift Rücksendung', totals: ['Summe netto', 'MwSt. 19 %', 'Gesamtbetrag'],
    columns: [['pos', ['Pos.'], 40, 60], ['quantity', ['Menge'], 65, 100], ['unit', ['ME'], 105, 125], ['description', ['Leistungsbeschreibung'], 130, 350], ['price', ['Einheitspreis'], 370, 440], ['amount', ['Gesamt'], 470, 560]] },
  { name: 'fr-erp', format: 'fr', perPage: 7, once: true, euro: true, footer: ['SAS au capital de 10 000 € | RCS Paris B 123 456 789 | 12 rue de la Paix, 75002 Paris'], pageLabel: 'Page {k}/{n}', notes: ['N° de série : SN{i}-2026'], credit: 'Avoir retour marchandise', totals: ['Total HT', 'TVA 20 %', 'Total TTC'],
    columns: [['article', ['Réf.'], 40, 85], ['description', ['Désignation'], 90, 280], ['quantity', ['Qté'], 285, 315], ['unit', ['U.'], 318, 335], ['price', ['Prix unitaire'], 340, 400], ['discount', ['Remise'], 405, 440], ['vat', ['TVA'], 445, 465], ['amount', ['Montant HT'], 470, 560]] },
  { name: 'nl-erp', format: 'nl', perPage: 10, vatSplit: true, free: 'Verzendkosten', text: 'Let op: levering in twee delen', discountEvery: 3, discountText: 'Korting 10 %', totals: ['Subtotaal', 'BTW 21 %', 'Totaal te betalen'],
    columns: [['article', ['Artikelnr.'], 40, 95], ['description', ['Omschrijving'], 100, 280], ['quantity', ['Aantal'], 285, 325], ['price', ['Prijs'], 330, 390], ['vat', ['BTW'], 435, 460], ['amount', ['Bedrag'], 470, 560]] },
  { name: 'en-smb', format: 'en', perPage: 5, qtyDecimals: 2, footer: ['Registered in England No. 01234567 | VAT No. GB 123 4567 89 | 10 High Street, London SW1A 2AA'], pageLabel: 'Page {k} of {n}', notes: ['Serial no. 4711-{i}', 'Delivered 0{d}/11/2026'], credit: 'Credit: returned goods', totals: ['Subtotal', 'VAT 20%', 'Total GBP'],
    columns: [['description', ['Description'], 40, 280], ['quantity', ['Quantity'], 290, 340], ['price', ['Unit Price'], 345, 405], ['vat', ['VAT'], 440, 465], ['amount', ['Amount GBP'], 480, 560]] },
  { name: 'en-word', format: 'en', perPage: 6, middle: true, footer: ['Example Supplies Ltd, 1 Main Street, Leeds LS1 4AP | Company No. 01234567 | Sort code 12-34-56, Account 12345678'], pageLabel: 'Page {k} of {n}', notes: ['Ref. PO-2026-{i}'], totals: ['Subtotal', 'VAT @ 20%', 'TOTAL'],
    columns: [['description', ['Item'], 40, 200], ['quantity', ['Qty'], 300, 330], ['price', ['Unit Price'], 360, 420], ['amount', ['Amount'], 480, 560]] },
  { name: 'en-rate', format: 'en', perPage: 8, unitInQty: true, sign: '$', totals: ['Subtotal', 'Tax', 'Amount Due (USD)'],
    columns: [['description', ['Description'], 40, 260], ['price', ['Rate'], 280, 350], ['quantity', ['Qty'], 360, 420], ['amount', ['Line Total'], 470, 560]] },
  { name: 'de-sap', format: 'de', perPage: 7, unitInQty: true, footer: FOOT_DE, pageLabel: 'Seite {k} / {n}', notes: ['Lieferschein 80012{i} vom 0{d}.11.2026'], totals: ['Warenwert netto', 'MwSt 19,00 %', 'Endbetrag EUR'],
    columns: [['pos', ['POS'], 40, 60], ['article', ['MATERIAL'], 65, 115], ['description', ['BEZEICHNUNG'], 120, 290], ['quantity', ['MENGE'], 295, 345], ['price', ['PREIS/EINH.'], 355, 420], ['amount', ['BETRAG EUR'], 440, 530], ['code', ['St'], 540, 560]] },
  { name: 'de-shop', format: 'de', perPage: 10, gross: 19, euro: true, totals: ['Gesamtsumme', 'darin enthaltene MwSt. 19 %', 'Zahlbetrag'],
    columns: [['quantity', ['Menge'], 40, 70], ['description', ['Artikel'], 80, 300], ['price', ['Einzelpreis'], 320, 400], ['amount', ['Gesamtpreis'], 470, 560]] },
  { name: 'de-groups', format: 'de', perPage: 5, once: true, footer: FOOT_DE, pageLabel: 'Seite {k} von {n}', groups: { every: 3, subtotal: 'Summe Position {a}–{b}' }, totals: ['Summe netto', 'Umsatzsteuer 19 %', 'Rechnungsbetrag'],
    columns: [['pos', ['Pos'], 40, 58], ['description', ['Beschreibung'], 65, 290], ['quantity', ['Anzahl'], 300, 340], ['unit', ['Einheit'], 345, 380], ['price', ['Preis'], 385, 450], ['amount', ['Betrag'], 470, 560]] },
];

type Entry = { kind: 'item'; line: EInvoiceLine; discount: boolean } | { kind: 'text' | 'heading'; text: string } | { kind: 'subtotal'; text: string; value: number };

const num = (s: string | null): number => Number(s ?? 0);
const fill = (t: string, v: Record<string, string | number>): string => t.replace(/\{(\w)\}/g, (_, k: string) => String(v[k] ?? ''));

/** What the layout prints, in order, and the truth: the example's lines with the free item and the credit it adds. */
function entries(lines: readonly EInvoiceLine[], layout: ErpLayout): { seq: Entry[]; truth: EInvoiceLine[] } {
  const truth = [...lines];
  const base = { id: null, unit: 'C62', vat_category: 'S', vat_rate: '19' };
  if (layout.free) truth.splice(Math.min(2, truth.length), 0, { ...base, description: layout.free, quantity: '1', unit_price: '0.00', net_amount: '0.00' });
  if (layout.credit) {
    const p = num(lines[0]?.unit_price ?? '10');
    truth.push({ ...base, description: layout.credit, quantity: '-1', unit_price: p.toFixed(2), net_amount: (-p).toFixed(2) });
  }
  const seq: Entry[] = [];
  let group: { g: number; a: number; sum: number } | null = null;
  truth.forEach((line, i) => {
    const g = layout.groups;
    if (g && i % g.every === 0) {
      group = { g: i / g.every + 1, a: i + 1, sum: 0 };
      if (g.heading) seq.push({ kind: 'heading', text: fill(g.heading, { g: group.g }) });
    }
    const [q, p, a] = [num(line.quantity), num(line.unit_price), num(line.net_amount)];
    const exact = q > 0 && p > 0 && Math.abs(q * p - a) < 0.005 && decimalsOf(line.unit_price, 2) === 2;
    seq.push({ kind: 'item', line, discount: layout.discountEvery !== undefined && exact && (i + 1) % layout.discountEvery === 0 });
    if (layout.text && i === 2) seq.push({ kind: 'text', text: layout.text });
    if (g && group) {
      group.sum += a;
      if ((i + 1) % g.every === 0 || i === truth.length - 1) seq.push({ kind: 'subtotal', text: fill(g.subtotal, { g: group.g, a: group.a, b: i + 1 }), value: group.sum });
    }
  });
  return { seq, truth };
}

/** The invoice printed in an ERP layout, with its truth. */
export function renderErp(lines: readonly EInvoiceLine[], layout: ErpLayout): { pages: Page[]; truth: EInvoiceLine[] } {
  const { seq, truth } = entries(lines, layout);
  const itemCount = seq.filter((e) => e.kind === 'item').length;
  const pageCount = Math.ceil(itemCount / layout.perPage);
  const pages: Word[][] = [];
  let ws: Word[] = [];
  let y = 0;
  const col = (role: Role): Column | undefined => layout.columns.find((c) => c[0] === role);
  const put = (role: Role, text: string, at: number): void => {
    const c = col(role);
    if (!c) return;
    const right = role !== 'description' && role !== 'unit' && role !== 'article';
    ws.push(...words(text, right ? c[3] : c[2], at, right ? 'right' : 'left'));
  };
  const money = (n: number, d = 2): string => `${n < 0 && layout.sign ? '-' : ''}${layout.sign ?? ''}${formatted(layout.sign ? Math.abs(n) : n, layout.format, d)}${layout.euro ? ' €' : ''}`;
  const header = (): void => {
    for (const [role, head, x0, x1] of layout.columns) {
      const left = h0(head) > x1 - x0 || role === 'description' || role === 'unit' || role === 'article' || role === 'pos';
      head.forEach((h, k) => ws.push(...words(h, left ? x0 : x1, y + k * H, left ? 'left' : 'right')));
    }
    y += 1.8 * H;
  };
  const footer = (): void => {
    (layout.footer ?? []).forEach((line, k) => {
      const [a, b, c] = line.split(' | ');
      ws.push(...words(a ?? '', 40, 780 + k * H, 'left'), ...(b ? words(b, 230, 780 + k * H, 'left') : []), ...(c ? words(c, 560, 780 + k * H, 'right') : []));
    });
    if (layout.pageLabel) ws.push(...words(fill(layout.pageLabel, { k: pages.length + 1, n: pageCount }), 560, 815, 'right'));
  };
  ws.push(...words('Muster GmbH · Hauptstraße 5 · 10115 Berlin', 40, 40, 'left'), ...words('Kunde Beispiel AG, Ringstraße 17, 80331 München', 40, 70, 'left'));
  ws.push(...words('Rechnung Nr. 2026-0042 vom 01.12.2026, Kundennr. 10023', 40, 110, 'left'));
  y = 160;
  header();
  let items = 0;
  let sum = 0;
  for (const e of seq) {
    if (e.kind === 'item' && items > 0 && items % layout.perPage === 0) {
      footer();
      pages.push(ws);
      ws = [];
      y = 60;
      if (!layout.once) header();
    }
    const d = col('description') as Column;
    if (e.kind !== 'item') {
      if (e.kind === 'heading') y += 0.6 * H;
      put('description', e.text, y);
      if (e.kind === 'text') put('pos', String(items + 1), y);
      if (e.kind === 'subtotal') put('amount', money(e.value), y);
      y += (e.kind === 'subtotal' ? 1.8 : 1.2) * H;
      continue;
    }
    items++;
    const l = e.line;
    const [q, p, a] = [num(l.quantity), num(l.unit_price), num(l.net_amount)];
    // A discounted item prints its gross price and amount, and the allowance under it.
    const vat = 1 + (layout.gross ?? 0) / 100;
    const gross = e.discount || layout.gross ? Math.round((100 * vat * p) / (e.discount ? 0.9 : 1)) / 100 : p;
    const text = [...wrap(l.description ?? '', Math.floor((d[3] - d[2]) / CHAR)), ...(layout.notes ?? []).map((n) => fill(n, { i: items, d: 1 + (items % 9) }))];
    const row = y;
    if (layout.middle) y += ((text.length - 1) * 1.2 * H) / 2;
    put('pos', String(items), y);
    put('article', String(100200 + 7 * items), y);
    const unit = l.unit === 'HUR' ? 'Std' : l.unit === 'KGM' ? 'kg' : 'Stk';
    put('quantity', `${formatted(q, layout.format, Math.max(layout.qtyDecimals ?? 0, decimalsOf(l.quantity, 0)))}${layout.unitInQty ? ` ${unit}` : ''}`, y);
    put('unit', unit, y);
    put('code', '1', y);
    put('price', money(gross, Math.max(2, decimalsOf(l.unit_price, 2))), y);
    if (col('vat')) put('vat', layout.vatSplit ? `${l.vat_rate ?? 19} %` : `${l.vat_rate ?? 19}%`, y);
    put('amount', money(e.discount ? q * gross : Math.round(100 * vat * a) / 100), y);
    y = row;
    text.forEach((t, k) => put('description', t, y + k * 1.2 * H));
    y += text.length * 1.2 * H;
    if (e.discount) put('description', layout.discountText ?? 'Rabatt 10 %', y), put('amount', money(a - q * gross), y), (y += 1.2 * H);
    y += 0.6 * H;
    sum += layout.gross ? Math.round(100 * vat * a) / 100 : a;
  }
  y += H;
  // A gross table's totals: the sum, the tax it includes, the sum again to pay.
  const tax = layout.gross ? Math.round((100 * sum * layout.gross) / (100 + layout.gross)) / 100 : Math.round(sum * 19) / 100;
  for (const [label, value] of [[layout.totals[0], sum], [layout.totals[1], tax], [layout.totals[2], layout.gross ? sum : sum + tax]] as const) {
    ws.push(...words(label, 330, y, 'left'));
    put('amount', money(value), y);
    y += 1.5 * H;
  }
  ws.push(...words('Zahlbar innerhalb von 14 Tagen ohne Abzug.', 40, y + 3 * H, 'left'));
  footer();
  pages.push(ws);
  return { pages: pages.map((p, i) => toPage(i, p)), truth };
}

const h0 = (head: readonly string[]): number => Math.max(...head.map((h) => h.length * CHAR));
