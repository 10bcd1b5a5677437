/**
 * @module Files generated in code for tests and benchmarks: PDFs with real text
 * (pdf-lib) and images (sharp). Nothing is read from the repository.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { randomBytes } from 'node:crypto';

/** A born-digital PDF with `pages` pages, each with a few lines of text. */
export async function makePdf(pages = 1, lines: string[] = ['INVOICE', 'Invoice No: INV-1001', 'Total: 123.45']): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    lines.forEach((text, j) => page.drawText(`${text}`, { x: 60, y: 780 - j * 22, size: 14, font }));
    page.drawText(`Page ${i + 1} of ${pages}`, { x: 60, y: 40, size: 10, font });
  }
  return Buffer.from(await doc.save());
}

/** A PDF padded with an embedded blob to about `bytes` bytes (for upload benchmarks and limits). */
export async function makePdfOfSize(bytes: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Padded test document', { x: 60, y: 780, size: 14, font });
  const base = (await doc.save()).length;
  // Random bytes: pdf-lib deflates attachments, and a constant fill would shrink to nothing.
  if (bytes > base + 200) await doc.attach(randomBytes(bytes - base - 200), 'padding.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A white PNG of the given size with a dark bar, standing in for a scan. */
export async function makePng(width = 400, height = 300): Promise<Buffer> {
  const bar = await sharp({ create: { width: Math.floor(width / 2), height: 20, channels: 3, background: '#000' } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#fff' } }).composite([{ input: bar, left: 20, top: 20 }]).png().toBuffer();
}

export const EXAMPLE_TAGS = 'task_name=AB3947853&file_name=00001.pdf&file_path=C:\\inbox&file_created_time=1711958908';
