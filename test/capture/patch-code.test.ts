/**
 * @module Patch codes (capture/patch-code.ts): the six patches drawn to Kodak's
 * A-61599 sizes on generated pages, read at 150 and 300 dpi, end-fed and upside down,
 * blurred and saved as JPEG; print that is not a patch (text, a ruled table, bars too
 * short; separate.test.ts adds a Code 39 barcode) read as none; and patch-code
 * separation of a real multi-page TIFF through the barcode engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PatchCode, SeparationSettings } from '../../src/core/project.ts';
import { createBarcodeReader } from '../../src/pipeline/capture/barcode.ts';
import { separate } from '../../src/pipeline/capture/separate.ts';
import { textImage, withTempDir } from '../pages/fixtures.ts';
import { textPage } from './pages.ts';

/** Bar widths in inches, in reading order (A-61599): wide 0.20, narrow 0.08, spaces 0.08. */
const BARS: Record<PatchCode, string> = { '1': 'WWNN', '2': 'WNNW', '3': 'WNWN', '4': 'NWWN', '6': 'NNWW', T: 'NWNW' };

interface SheetOptions {
  dpi?: number;
  /** End-fed: vertical bars, read right to left. */
  endFed?: boolean;
  /** Bar length in inches (2 by default). */
  length?: number;
}

/** A letter-size page (8.5 × 11 in) with the patch 1 in from the top and a caption under it, as a PNG with its density. */
async function sheet(code: PatchCode, options: SheetOptions = {}): Promise<Buffer> {
  const dpi = options.dpi ?? 150;
  const px = (inches: number) => Math.round(inches * dpi);
  const rects: string[] = [];
  let at = 1;
  for (const [i, bar] of [...BARS[code]].entries()) {
    const w = bar === 'W' ? 0.2 : 0.08;
    const along = options.endFed ? 8.5 - 1 - at - w : at;
    rects.push(
      options.endFed
        ? `<rect x="${px(along)}" y="${px(3)}" width="${px(w)}" height="${px(options.length ?? 2)}" fill="black"/>`
        : `<rect x="${px(2)}" y="${px(along)}" width="${px(options.length ?? 2)}" height="${px(w)}" fill="black"/>`,
    );
    at += w + (i < 3 ? 0.08 : 0);
  }
  const caption = `<text x="${px(2)}" y="${px(2.5)}" font-family="DejaVu Sans" font-size="${px(0.25)}">PATCH ${code}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${px(8.5)}" height="${px(11)}"><rect width="100%" height="100%" fill="white"/>${rects.join('')}${caption}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).withMetadata({ density: dpi }).png().toBuffer();
}

const reader = createBarcodeReader();

async function patchesOf(dir: string, name: string, image: Buffer | Promise<Buffer>, type: 'png' | 'jpeg' = 'png'): Promise<PatchCode[]> {
  const file = join(dir, name);
  await sharp(await image).toFile(file);
  return reader.patches(file, type, 0);
}

test('each of the six patches is read at 150 and 300 dpi, and end-fed', async () => {
  await withTempDir(async (dir) => {
    for (const code of Object.keys(BARS) as PatchCode[]) {
      assert.deepEqual(await patchesOf(dir, `p${code}.png`, sheet(code)), [code], `patch ${code} at 150 dpi`);
      assert.deepEqual(await patchesOf(dir, `p${code}-300.png`, sheet(code, { dpi: 300 })), [code], `patch ${code} at 300 dpi`);
      assert.deepEqual(await patchesOf(dir, `p${code}-end.png`, sheet(code, { endFed: true })), [code], `patch ${code} end-fed`);
    }
  });
});

test('a scanned-looking patch (blurred, JPEG) is read; upside down, 1 reads as 6 and 2 as 2', async () => {
  await withTempDir(async (dir) => {
    const scanned = sharp(await sheet('T', { dpi: 200 })).blur(1.2).jpeg({ quality: 55 }).withMetadata({ density: 200 }).toBuffer();
    assert.deepEqual(await patchesOf(dir, 't.jpg', scanned, 'jpeg'), ['T']);
    assert.deepEqual(await patchesOf(dir, 'one-turned.png', sharp(await sheet('1')).rotate(180).withMetadata({ density: 150 }).png().toBuffer()), ['6']);
    assert.deepEqual(await patchesOf(dir, 'two-turned.png', sharp(await sheet('2')).rotate(180).withMetadata({ density: 150 }).png().toBuffer()), ['2']);
  });
});

test('print that is not a patch is not read as one', async () => {
  await withTempDir(async (dir) => {
    const text = textImage(['INVOICE 4711', 'IIII llll HHHH', 'Total 1,234.56', '|||| ████ ||||'], { size: 60 });
    assert.deepEqual(await patchesOf(dir, 'text.png', text), []);
    // Bars of the right widths but only 0.3 in long: a mark, not a patch.
    assert.deepEqual(await patchesOf(dir, 'short.png', sheet('T', { length: 0.3 })), []);
    // A ruled table: thin lines 0.08 in apart, and a thick rule.
    const rules = [0, 1, 2, 3, 4, 5, 6].map((i) => `<rect x="150" y="${300 + i * 24}" width="900" height="${i === 3 ? 30 : 3}" fill="black"/>`).join('');
    const table = sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1275" height="1650"><rect width="100%" height="100%" fill="white"/>${rules}</svg>`)).flatten({ background: '#ffffff' }).png().toBuffer();
    assert.deepEqual(await patchesOf(dir, 'table.png', table), []);
    const blank = sharp({ create: { width: 1275, height: 1650, channels: 3, background: 'white' } }).png().toBuffer();
    assert.deepEqual(await patchesOf(dir, 'blank.png', blank), []);
  });
});

test('patch-code separation of a multi-page TIFF: the chosen patches split and are dropped, others are not separators', async () => {
  await withTempDir(async (dir) => {
    const pagesPng = await Promise.all([textImage(['INVOICE 1']), sheet('T'), textImage(['INVOICE 2']), sheet('2'), textImage(['INVOICE 3'])]);
    // Pages of one size: the sheets are 1275 × 1650, the text pages 1240 × 1754.
    const same = await Promise.all(pagesPng.map((p) => sharp(p).resize(1240, 1754, { fit: 'fill' }).png().toBuffer()));
    const file = join(dir, 'batch.tif');
    await sharp(same, { join: { animated: true } }).tiff({ compression: 'lzw' }).toFile(file);
    const pages = [0, 1, 2, 3, 4].map((i) => textPage(i, i % 2 ? [] : [`INVOICE ${i / 2 + 1}`]));
    const settings: SeparationSettings = { mode: 'patch_code', barcode_pattern: null, patch_codes: ['T'], drop_separator: true, pattern: null, confidence_threshold: 0.8 };
    const patches = (i: number) => reader.patches(file, 'tiff', i);
    const ranges = (segs: { first: number; last: number }[]) => segs.map((s) => [s.first, s.last]);
    assert.deepEqual(ranges(await separate(settings, pages, { patches })), [[0, 0], [2, 4]]);
    assert.deepEqual(ranges(await separate({ ...settings, patch_codes: ['2', 'T'] }, pages, { patches })), [[0, 0], [2, 2], [4, 4]]);
    assert.deepEqual(ranges(await separate({ ...settings, drop_separator: false }, pages, { patches })), [[0, 0], [1, 4]]);
  });
});
