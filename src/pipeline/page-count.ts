/**
 * @module Stage 2 (service-core slice): counts a file's pages and records their
 * sizes, without reading words. The page engine replaces this stage with one that
 * yields pages of words; this one keeps the core loop real until then and enforces
 * the page-count limit early, before any expensive work.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { TaskFailure } from '../core/errors.ts';
import type { Page } from '../core/page.ts';
import type { Stage } from './types.ts';

const require = createRequire(import.meta.url);
const pdfjsRoot = require.resolve('pdfjs-dist/package.json').replace(/package\.json$/, '');

interface PageSize {
  width: number;
  height: number;
  dpi: number;
}

async function pdfPageSizes(path: string, maxPages: number): Promise<PageSize[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const data = new Uint8Array(await readFile(path));
  const task = pdfjs.getDocument({
    data,
    standardFontDataUrl: `${pdfjsRoot}standard_fonts/`,
    cMapUrl: `${pdfjsRoot}cmaps/`,
    useSystemFonts: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    if (doc.numPages > maxPages) throw new TaskFailure('too_many_pages', `the file has ${doc.numPages} pages; the limit is ${maxPages}`);
    const sizes: PageSize[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const vp = page.getViewport({ scale: 1 });
      sizes.push({ width: vp.width, height: vp.height, dpi: 72 });
      page.cleanup();
    }
    return sizes;
  } catch (err) {
    if (err instanceof TaskFailure) throw err;
    const name = (err as { name?: string }).name;
    if (name === 'PasswordException') throw new TaskFailure('encrypted_pdf');
    throw new TaskFailure('corrupt_file', `the PDF could not be read: ${(err as Error).message}`);
  } finally {
    await task.destroy();
  }
}

async function imagePageSizes(path: string, maxPages: number): Promise<PageSize[]> {
  try {
    const meta = await sharp(path, { limitInputPixels: false }).metadata();
    const pages = meta.pages ?? 1;
    if (pages > maxPages) throw new TaskFailure('too_many_pages', `the file has ${pages} pages; the limit is ${maxPages}`);
    const dpi = meta.density && meta.density > 0 ? meta.density : 72;
    const sizes: PageSize[] = [];
    for (let i = 0; i < pages; i++) {
      const m = i === 0 ? meta : await sharp(path, { page: i, limitInputPixels: false }).metadata();
      const d = m.density && m.density > 0 ? m.density : dpi;
      sizes.push({ width: ((m.width ?? 0) * 72) / d, height: ((m.pageHeight ?? m.height ?? 0) * 72) / d, dpi: d });
    }
    return sizes;
  } catch (err) {
    if (err instanceof TaskFailure) throw err;
    throw new TaskFailure('corrupt_file', `the image could not be read: ${(err as Error).message}`);
  }
}

export const pageCountStage: Stage = {
  name: 'pages',
  async run(ctx) {
    const sizes =
      ctx.fileType === 'pdf'
        ? await pdfPageSizes(ctx.filePath, ctx.limits.maxPages)
        : await imagePageSizes(ctx.filePath, ctx.limits.maxPages);
    if (sizes.length === 0) throw new TaskFailure('corrupt_file', 'the file has no pages');
    ctx.pageCount = sizes.length;
    ctx.pages = sizes.map(
      (s, index): Page => ({ index, width: s.width, height: s.height, dpi: s.dpi, rotation: 0, source: 'none', words: [], lines: [] }),
    );
    ctx.result.pages = ctx.pages.map((p) => ({ index: p.index, width: p.width, height: p.height, source: p.source }));
  },
};
