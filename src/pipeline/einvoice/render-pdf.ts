/**
 * @module A readable PDF of an `EInvoice`, for a task whose body is a bare CII or UBL XML:
 * parties, dates, references, the lines, the VAT breakdown, totals and payment, on A4
 * pages. The page engine then reads it like any born-digital PDF, so the portal, the
 * searchable PDF and the exports work unchanged.
 * The same invoice always gives the same pages (no clock is read; pdf-lib's subset tag
 * comes from a fixed seed), because the portal renders its page images from a second
 * rendering (bare-xml.ts).
 * The text is drawn in DejaVu Sans (fonts.ts), embedded as a subset: PDF/A-3 (ISO 19005-3
 * 6.2.11.4) wants every font that paints text embedded, which pdf-lib's standard
 * Helvetica is not, and Helvetica's WinAnsi has no Ł, ő, č or Greek. A character DejaVu
 * Sans has no glyph for is drawn as `?` — the exact text stays in the attached XML and
 * in the captured fields.
 */
import { PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import type { EInvoice, EInvoiceParty } from '../../core/einvoice/model.ts';
import { embedDejaVu, type GlyphCover } from './fonts.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const SIZE = 9;
const LEAD = 12;

class Writer {
  private page!: PDFPage;
  private y = 0;
  private readonly doc: PDFDocument;
  private readonly covers: GlyphCover;
  readonly font: PDFFont;
  readonly bold: PDFFont;

  constructor(doc: PDFDocument, fonts: { regular: PDFFont; bold: PDFFont; covers: GlyphCover }) {
    this.doc = doc;
    this.font = fonts.regular;
    this.bold = fonts.bold;
    this.covers = fonts.covers;
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Room for `lines` more lines, else a new page. */
  need(lines: number): void {
    if (this.y - lines * LEAD < MARGIN) this.newPage();
  }

  safe(text: string): string {
    return [...text.replace(/[\t\r]/g, ' ')].map((ch) => (this.covers(ch.codePointAt(0)!) ? ch : '?')).join('');
  }

  /** The text cut to `width` points, with an ellipsis when cut. */
  fit(text: string, width: number, font: PDFFont = this.font, size = SIZE): string {
    let t = this.safe(text);
    if (font.widthOfTextAtSize(t, size) <= width) return t;
    while (t.length > 0 && font.widthOfTextAtSize(`${t}…`, size) > width) t = t.slice(0, -1);
    return `${t}…`;
  }

  /** Draws cells on one line: [x, text, width, align right?, bold?]. */
  row(cells: [number, string, number, boolean?, boolean?][], size = SIZE): void {
    this.need(1);
    for (const [x, text, width, right, isBold] of cells) {
      const font = isBold ? this.bold : this.font;
      const t = this.fit(text, width, font, size);
      const dx = right ? width - font.widthOfTextAtSize(t, size) : 0;
      this.page.drawText(t, { x: x + dx, y: this.y, size, font });
    }
    this.y -= size > SIZE ? size + 6 : LEAD;
  }

  gap(lines = 1): void {
    this.y -= lines * LEAD;
  }

  /** Where the next line is drawn, for two columns side by side. */
  get cursor(): number {
    return this.y;
  }

  set cursor(y: number) {
    this.y = y;
  }
}

function partyLines(p: EInvoiceParty): string[] {
  const a = p.address;
  return [
    p.name, a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' '), a.country,
    p.vat_id ? `VAT ID ${p.vat_id}` : null, p.registration_id ? `Reg. ${p.registration_id}` : null, p.email,
  ].filter((l): l is string => typeof l === 'string' && l.trim() !== '').flatMap((l) => l.split('\n'));
}

const TITLES: Record<string, string> = { '381': 'CREDIT NOTE', '384': 'CORRECTED INVOICE', '389': 'SELF-BILLED INVOICE' };
const W = A4[0] - 2 * MARGIN;

/** The invoice as a PDF (bytes). */
export async function renderEInvoicePdf(inv: EInvoice): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const w = new Writer(doc, await embedDejaVu(doc));
  const cur = inv.currency ?? '';
  w.row([[MARGIN, `${TITLES[inv.type_code ?? ''] ?? 'INVOICE'} ${inv.number ?? ''}`, W, false, true]], 16);
  w.gap();
  const top = w.cursor;
  w.row([[MARGIN, 'Seller', W / 2 - 10, false, true]]);
  for (const l of partyLines(inv.seller)) w.row([[MARGIN, l, W / 2 - 10]]);
  const leftEnd = w.cursor;
  w.cursor = top;
  w.row([[MARGIN + W / 2, 'Buyer', W / 2, false, true]]);
  for (const l of partyLines(inv.buyer)) w.row([[MARGIN + W / 2, l, W / 2]]);
  w.cursor = Math.min(leftEnd, w.cursor);
  w.gap();
  const facts: [string, string | null][] = [
    ['Invoice number', inv.number], ['Invoice date', inv.issue_date], ['Due date', inv.due_date], ['Currency', inv.currency],
    ['Buyer reference', inv.buyer_reference], ['Order reference', inv.order_reference],
  ];
  for (const [label, value] of facts) if (value) w.row([[MARGIN, label, 110, false, true], [MARGIN + 110, value, W - 110]]);
  w.gap();
  const cols: [number, number, boolean][] = [[MARGIN, 25, false], [MARGIN + 28, 232, false], [MARGIN + 262, 48, true], [MARGIN + 317, 28, false], [MARGIN + 348, 62, true], [MARGIN + 413, 32, true], [MARGIN + 448, 47, true]];
  const line = (texts: string[], isBold = false) => w.row(cols.map(([x, width, right], i) => [x, texts[i] ?? '', width, right, isBold]));
  line(['#', 'Description', 'Quantity', 'Unit', 'Unit price', 'VAT %', 'Amount'], true);
  inv.lines.forEach((l, i) => {
    const [first = '', ...more] = (l.description ?? '').split('\n');
    line([l.id ?? String(i + 1), first, l.quantity ?? '', l.unit ?? '', l.unit_price ?? '', l.vat_rate ?? '', l.net_amount ?? '']);
    for (const extra of more) line(['', extra]);
  });
  w.gap();
  for (const v of inv.vat_breakdown) {
    w.row([[MARGIN + 200, `VAT ${v.category ?? ''} ${v.rate ?? ''} % of ${v.taxable_amount ?? ''}`, 200], [MARGIN + 400, `${v.tax_amount ?? ''} ${cur}`, W - 400, true]]);
  }
  const t = inv.totals;
  const totals: [string, string | null, boolean][] = [
    ['Sum of lines', t.line_total, false], ['Allowances', t.allowances, false], ['Charges', t.charges, false],
    ['Total without VAT', t.tax_exclusive, false], ['VAT', t.tax, false], ['Total with VAT', t.tax_inclusive, true],
    ['Paid', t.prepaid, false], ['Amount due', t.due, true],
  ];
  for (const [label, value, isBold] of totals) if (value) w.row([[MARGIN + 250, label, 150, false, isBold], [MARGIN + 400, `${value} ${cur}`, W - 400, true, isBold]]);
  w.gap();
  if (inv.iban) w.row([[MARGIN, 'IBAN', 110, false, true], [MARGIN + 110, inv.iban, W - 110]]);
  for (const l of (inv.payment_terms ?? '').split('\n').filter((x) => x.trim() !== '')) w.row([[MARGIN, l, W]]);
  w.gap();
  w.row([[MARGIN, `Rendered by docket from the attached ${inv.syntax === 'ubl' ? 'UBL' : 'CII'} e-invoice XML, which is authoritative.`, W]], 7);
  return doc.save();
}
