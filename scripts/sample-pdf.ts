/**
 * @module `npx node scripts/sample-pdf.ts [FILE]`: writes a one-page invoice PDF with a
 * text layer (default `walkthrough/sample-invoice.pdf`), so the README walkthrough has
 * a file to send on a fresh clone, where neither the corpus nor a scan of one's own is
 * at hand. Its content is the kind the demo project reads (supplier, invoice number,
 * dates, a table of lines, subtotal, VAT, total in EUR), and its numbers add up.
 * Fixed content and dates: the same bytes every time.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const LINES: [string, number, number][] = [
  ['Consulting, October', 12, 95.0],
  ['Travel expenses', 1, 142.5],
  ['Software licence (annual)', 2, 60.0],
];
const VAT_RATE = 0.21;

function money(n: number): string {
  return n.toFixed(2);
}

export async function samplePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Sample invoice INV-2026-0042');
  // A fixed date, so the same bytes come out on every run.
  doc.setCreationDate(new Date('2026-11-30T12:00:00Z'));
  doc.setModificationDate(new Date('2026-11-30T12:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595, 842]);
  let y = 780;
  const line = (text: string, x = 60, f = font, size = 11) => page.drawText(text, { x, y, size, font: f });
  line('Acme Office Supplies B.V.', 60, bold, 14);
  y -= 18;
  for (const text of ['Keizersgracht 100', '1015 CS Amsterdam', 'VAT NL123456789B01']) {
    line(text);
    y -= 15;
  }
  y -= 20;
  line('INVOICE', 60, bold, 18);
  y -= 26;
  for (const text of ['Invoice No: INV-2026-0042', 'Invoice Date: 30/11/2026', 'Due Date: 30/12/2026', 'Bill to: Docket Example Ltd']) {
    line(text);
    y -= 16;
  }
  y -= 18;
  const columns = [60, 300, 370, 470];
  ['Description', 'Qty', 'Unit Price', 'Amount'].forEach((h, i) => line(h, columns[i], bold));
  y -= 18;
  let subtotal = 0;
  for (const [description, qty, unit] of LINES) {
    const amount = qty * unit;
    subtotal += amount;
    [description, String(qty), money(unit), money(amount)].forEach((cell, i) => line(cell, columns[i]));
    y -= 16;
  }
  y -= 14;
  const vat = Math.round(subtotal * VAT_RATE * 100) / 100;
  for (const [label, value] of [['Subtotal', subtotal], ['VAT 21%', vat], ['Total EUR', subtotal + vat]] as const) {
    line(label, 370, label.startsWith('Total') ? bold : font);
    line(money(value), 470, label.startsWith('Total') ? bold : font);
    y -= 16;
  }
  return doc.save();
}

if (import.meta.main) {
  const target = resolve(process.argv[2] ?? 'walkthrough/sample-invoice.pdf');
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, await samplePdf());
  process.stdout.write(`${target}\n`);
}
