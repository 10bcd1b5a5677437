/**
 * @module Fixtures for the page engine's tests, generated in code: born-digital PDFs
 * with pdf-lib (words at known places), scanned-looking pages rendered from SVG text
 * with sharp, and multi-page CCITT G4 TIFFs. Also a temp folder helper that cleans
 * up after itself (the corpus is found by test/helpers/corpus.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';


export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-pages-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PlacedWord {
  text: string;
  /** Points from the top-left corner, baseline y. */
  x: number;
  baseline: number;
  size: number;
}

/** A born-digital PDF: one page per entry, each with the given words; `rotate` sets /Rotate on every page. */
export async function textPdf(path: string, pages: PlacedWord[][], options: { rotate?: number } = {}): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const words of pages) {
    const page = doc.addPage([612, 792]);
    for (const w of words) page.drawText(w.text, { x: w.x, y: 792 - w.baseline, size: w.size, font });
    if (options.rotate) page.setRotation(degrees(options.rotate));
  }
  await writeFile(path, await doc.save());
}

/** A white page with black lines of text, as greyscale PNG (no alpha) at `dpi`. */
export async function textImage(lines: string[], options: { width?: number; height?: number; size?: number } = {}): Promise<Buffer> {
  const width = options.width ?? 1240;
  const height = options.height ?? 1754;
  const size = options.size ?? 48;
  const text = lines
    .map((l, i) => `<text x="100" y="${200 + i * size * 1.8}" font-family="DejaVu Sans" font-size="${size}">${l}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).toColourspace('b-w').png().toBuffer();
}

/** A multi-page CCITT G4 TIFF, one page per entry (NOTES "Images": join drops density). */
export async function g4Tiff(path: string, pages: string[][], options: { size?: number } = {}): Promise<void> {
  const images = await Promise.all(pages.map((lines) => textImage(lines, options)));
  // Joining adds an alpha band; G4 needs exactly one 1-bit band.
  await (images.length === 1 ? sharp(images[0]) : sharp(images, { join: { animated: true } }))
    .extractChannel(0)
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1 })
    .toFile(path);
}

/** The page's words as one lower-case string, for loose text checks. */
export function flatText(words: { text: string }[]): string {
  return words.map((w) => w.text).join(' ').toLowerCase();
}
