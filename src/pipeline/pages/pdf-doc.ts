/**
 * @module Opens PDFs with pdf.js inside a page worker and keeps the last one open,
 * so the pages of one task rendered one after another on the same thread parse the
 * file once. Options follow NOTES "PDF": standard fonts and CMaps from the package
 * (else text of standard and CJK fonts is lost), the package's wasm decoders
 * (JBIG2, JPEG 2000), and `maxImageSize` so an image declared at 100000×100000 px
 * (`pdfjs-bomb_giant.pdf`) is skipped instead of decoded.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { TaskFailure } from '../../core/errors.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

const require = createRequire(import.meta.url);
const root = require.resolve('pdfjs-dist/package.json').replace(/package\.json$/, '');

let pdfjsModule: Promise<PdfJs> | null = null;

export function loadPdfJs(): Promise<PdfJs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

interface Open {
  key: string;
  maxPixels: number;
  doc: Promise<PdfDocument>;
  destroy: () => Promise<void>;
}

let current: Open | null = null;

/** Maps a pdf.js load error to the task failure a client sees. */
export function pdfFailure(err: unknown): TaskFailure {
  if (err instanceof TaskFailure) return err;
  const name = (err as { name?: string } | null)?.name;
  if (name === 'PasswordException') return new TaskFailure('encrypted_pdf');
  const message = err instanceof Error ? err.message : String(err);
  return new TaskFailure('corrupt_file', `the PDF could not be read: ${message}`);
}

/** The open document for `path` (cached per thread); rejects with a `TaskFailure`. */
export async function openPdf(path: string, maxPixels: number): Promise<PdfDocument> {
  const info = await stat(path);
  const key = `${path}:${info.size}:${info.mtimeMs}`;
  if (current && current.key === key && current.maxPixels === maxPixels) return current.doc;
  await closePdf();
  const pdfjs = await loadPdfJs();
  const data = new Uint8Array(await readFile(path));
  const task = pdfjs.getDocument({
    data,
    standardFontDataUrl: `${root}standard_fonts/`,
    cMapUrl: `${root}cmaps/`,
    wasmUrl: `${root}wasm/`,
    iccUrl: `${root}iccs/`,
    useSystemFonts: false,
    maxImageSize: maxPixels,
    verbosity: 0,
  });
  const doc = task.promise.catch((err: unknown) => {
    throw pdfFailure(err);
  });
  current = { key, maxPixels, doc, destroy: () => task.destroy() };
  try {
    return await doc;
  } catch (err) {
    await closePdf();
    throw err;
  }
}

export async function closePdf(): Promise<void> {
  const open = current;
  current = null;
  if (open) await open.destroy().catch(() => undefined);
}
