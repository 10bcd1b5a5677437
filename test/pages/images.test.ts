/**
 * @module TIFF/PNG pages through the page engine with OCR: a generated multi-page
 * CCITT G4 TIFF, a PNG with an alpha channel and no resolution, a page turned 90°,
 * the pixel limit, and portal page images.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { TaskFailure } from '../../src/core/errors.ts';
import { flatText, g4Tiff, textImage, withTempDir } from './fixtures.ts';

const engine = createPageEngine({ threads: 2 });
after(() => engine.close());
const signal = new AbortController().signal;

describe('image pages', () => {
  it('reads every page of a multi-page G4 TIFF', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'g4.tif');
      await g4Tiff(path, [['Page one of the batch', 'Invoice number 4711'], ['Page two of the batch', 'Total amount 99.50']]);
      const pages = await engine.readPages({ filePath: path, fileType: 'tiff', limits: DEFAULT_LIMITS, signal });
      assert.equal(pages.length, 2);
      assert.match(flatText(pages[0]!.words), /page one of the batch/);
      assert.match(flatText(pages[0]!.words), /4711/);
      assert.match(flatText(pages[1]!.words), /total amount 99\.50/);
      for (const p of pages) {
        assert.equal(p.source, 'ocr');
        assert.equal(p.rotation, 0);
        assert.ok(p.lines.length >= 2);
        for (const w of p.words) {
          assert.ok(w.confidence > 0 && w.confidence <= 1);
          assert.ok(w.box.x >= 0 && w.box.y >= 0 && w.box.x + w.box.w <= p.width + 1 && w.box.y + w.box.h <= p.height + 1);
        }
      }
    });
  });

  it('flattens alpha and estimates a missing resolution', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'alpha.png');
      const grey = await textImage(['Alpha channel page'], { width: 1275, height: 1650 });
      await sharp(grey).ensureAlpha(0.9).png().toFile(path);
      const [page] = await engine.readPages({ filePath: path, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      assert.match(flatText(page!.words), /alpha channel page/);
      // 1650 px over 11 inches: 150 dpi, so the page is 612 × 792 pt.
      assert.equal(page!.dpi, 150);
      assert.ok(Math.abs(page!.width - 612) < 1 && Math.abs(page!.height - 792) < 1);
    });
  });

  it('turns a page that lies on its side upright', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'turned.png');
      const lines = ['The quick brown fox jumps over the lazy dog', 'Pack my box with five dozen liquor jugs', 'How vexingly quick daft zebras jump'];
      await sharp(await textImage(lines, { size: 40 })).rotate(-90).png().toFile(path);
      const [page] = await engine.readPages({ filePath: path, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      assert.equal(page!.rotation, 90);
      assert.ok(page!.width < page!.height, 'upright page is portrait');
      assert.match(flatText(page!.words), /quick brown fox/);
      const first = page!.words.find((w) => w.text === 'quick')!;
      const later = page!.words.find((w) => w.text === 'jugs')!;
      assert.ok(first.box.y < later.box.y, 'first line above the second');
      assert.ok(first.box.w > first.box.h, 'words run horizontally');
    });
  });

  it('fails a page over the pixel limit with page_too_large', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'big.png');
      await writeFile(path, await textImage(['big'], { width: 2000, height: 2000 }));
      await assert.rejects(
        engine.readPages({ filePath: path, fileType: 'png', limits: { ...DEFAULT_LIMITS, maxPixelsPerPage: 1_000_000 }, signal }),
        (err: unknown) => err instanceof TaskFailure && err.code === 'page_too_large',
      );
    });
  });

  it('renders page images for the portal at the asked resolution', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'g4.tif');
      await g4Tiff(path, [['one'], ['two']]);
      const png = await engine.renderPageImage(path, 'tiff', 1, { dpi: 100, format: 'png' });
      const meta = await sharp(png).metadata();
      assert.equal(meta.format, 'png');
      // 1240 px at the estimated 159 dpi is 7.8 in: 780 px at 100 dpi.
      assert.ok(Math.abs((meta.width ?? 0) - Math.round((1240 * 100) / 159)) <= 1, String(meta.width));
      const jpeg = await engine.renderPageImage(path, 'tiff', 0, { dpi: 50, format: 'jpeg' });
      assert.equal((await sharp(jpeg).metadata()).format, 'jpeg');
      await assert.rejects(engine.renderPageImage(path, 'tiff', 0, { dpi: 100, format: 'png', maxPixels: 1000 }), (err: unknown) => err instanceof TaskFailure && err.code === 'page_too_large');
    });
  });
});
