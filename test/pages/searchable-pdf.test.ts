/**
 * @module Searchable PDFs: scanned pages become image + invisible text, and pdf.js
 * reading the result back finds each word where OCR read it; born-digital pages are
 * copied untouched; a page range gives just those pages.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import type { Page } from '../../src/core/page.ts';
import { g4Tiff, textImage, textPdf, withTempDir } from './fixtures.ts';

const engine = createPageEngine({ threads: 2 });
after(() => engine.close());
const signal = new AbortController().signal;

/**
 * Every word of `read` is found back with the same text on the same line (vertical
 * centres within `tol` points), its horizontal centre within its own width plus
 * 10 pt of where it was read (16 pt was the largest shift seen).
 * Horizontal positions inside a line are approximate on the way back: pdf.js joins a
 * line's words into one run and the page engine splits runs by character count.
 */
function assertPlaced(read: Page, back: Page, tol: number): void {
  assert.equal(back.words.length, read.words.length);
  for (const w of read.words) {
    const match = back.words.find((b) => {
      const dx = Math.abs(b.box.x + b.box.w / 2 - (w.box.x + w.box.w / 2));
      const dy = Math.abs(b.box.y + b.box.h / 2 - (w.box.y + w.box.h / 2));
      return b.text === w.text && dy < tol && dx <= w.box.w + 10;
    });
    assert.ok(match, `${w.text} at ${JSON.stringify(w.box)} not found back`);
  }
}

describe('searchable PDF', () => {
  it('puts the OCR words of a G4 TIFF where they were read', async () => {
    await withTempDir(async (dir) => {
      const tif = join(dir, 'scan.tif');
      await g4Tiff(tif, [['Invoice number 4711', 'Total due 99.50'], ['Second page with a longer line of text']]);
      const pages = await engine.readPages({ filePath: tif, fileType: 'tiff', limits: DEFAULT_LIMITS, signal });
      const pdf = await engine.buildSearchablePdf({ filePath: tif, fileType: 'tiff', pages, first: 0, last: 1 });
      const out = join(dir, 'out.pdf');
      await writeFile(out, pdf);
      const back = await engine.readPages({ filePath: out, fileType: 'pdf', limits: DEFAULT_LIMITS, signal });
      assert.equal(back.length, 2);
      for (const [i, p] of back.entries()) {
        assert.equal(p.source, 'text', 'the text layer is usable, so no OCR');
        assert.ok(Math.abs(p.width - pages[i]!.width) < 0.5 && Math.abs(p.height - pages[i]!.height) < 0.5);
        assertPlaced(pages[i]!, p, 4);
      }
      const rendered = await engine.renderPageImage(out, 'pdf', 0, { dpi: 50, format: 'png' });
      const stats = await sharp(rendered).greyscale().stats();
      assert.ok(stats.channels[0]!.min < 100, 'the scan image is visible on the page');
    });
  });

  it('keeps a turned page upright and its words in place', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'turned.png');
      const lines = ['The quick brown fox jumps over the lazy dog', 'Pack my box with five dozen liquor jugs'];
      await sharp(await textImage(lines, { size: 40 })).rotate(90).png().toFile(path);
      const pages = await engine.readPages({ filePath: path, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      assert.equal(pages[0]!.rotation, 270);
      const out = join(dir, 'out.pdf');
      await writeFile(out, await engine.buildSearchablePdf({ filePath: path, fileType: 'png', pages, first: 0, last: 0 }));
      const [back] = await engine.readPages({ filePath: out, fileType: 'pdf', limits: DEFAULT_LIMITS, signal });
      assert.ok(Math.abs(back!.width - pages[0]!.width) < 0.5);
      assertPlaced(pages[0]!, back!, 4);
    });
  });

  it('copies born-digital pages untouched and honours the page range', async () => {
    await withTempDir(async (dir) => {
      const src = join(dir, 'digital.pdf');
      await textPdf(src, [
        [{ text: 'First page', x: 72, baseline: 72, size: 12 }],
        [{ text: 'Second page', x: 72, baseline: 72, size: 12 }],
        [{ text: 'Third page', x: 72, baseline: 72, size: 12 }],
      ]);
      const pages = await engine.readPages({ filePath: src, fileType: 'pdf', limits: DEFAULT_LIMITS, signal });
      const pdf = await engine.buildSearchablePdf({ filePath: src, fileType: 'pdf', pages, first: 1, last: 2 });
      const original = await PDFDocument.load(await (await import('node:fs/promises')).readFile(src));
      const copy = await PDFDocument.load(pdf);
      assert.equal(copy.getPageCount(), 2);
      const contents = (doc: PDFDocument, i: number) => {
        const stream = doc.getPage(i).node.Contents();
        return stream && 'getContents' in stream ? Buffer.from((stream as unknown as { getContents(): Uint8Array }).getContents()).toString('latin1') : '';
      };
      assert.equal(contents(copy, 0), contents(original, 1));
      const out = join(dir, 'out.pdf');
      await writeFile(out, pdf);
      const back = await engine.readPages({ filePath: out, fileType: 'pdf', limits: DEFAULT_LIMITS, signal });
      assert.deepEqual(back.map((p) => p.lines.map((l) => l.text)), [['Second page'], ['Third page']]);
    });
  });
});
