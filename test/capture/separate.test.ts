import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { SeparationSettings } from '../../src/core/project.ts';
import { createBarcodeReader } from '../../src/pipeline/capture/barcode.ts';
import { separate } from '../../src/pipeline/capture/separate.ts';
import { textPage } from './pages.ts';

const base: SeparationSettings = { mode: 'none', barcode_pattern: null, patch_codes: ['T'], drop_separator: true, pattern: null, confidence_threshold: 0.8 };
const pages = [
  textPage(0, ['INVOICE 1', 'Total 10.00']),
  textPage(1, ['more lines of invoice one']),
  textPage(2, []),
  textPage(3, ['INVOICE 2', 'Total 20.00']),
];
const ranges = (segs: { first: number; last: number }[]) => segs.map((s) => [s.first, s.last]);

test('none and per_page', async () => {
  assert.deepEqual(ranges(await separate(base, pages)), [[0, 3]]);
  assert.deepEqual(ranges(await separate({ ...base, mode: 'per_page' }, pages)), [[0, 0], [1, 1], [2, 2], [3, 3]]);
});

test('blank separator pages are dropped', async () => {
  const segs = await separate({ ...base, mode: 'blank_page' }, pages);
  assert.deepEqual(ranges(segs), [[0, 1], [3, 3]]);
  assert.ok((segs[1]?.confidence ?? 0) > 0.9);
});

test('first-page pattern', async () => {
  const segs = await separate({ ...base, mode: 'first_page_pattern', pattern: '^INVOICE \\d' }, pages);
  assert.deepEqual(ranges(segs), [[0, 2], [3, 3]]);
});

test('barcode separator pages, with and without a pattern, kept or dropped', async () => {
  const codes = async (i: number) => (i === 2 ? ['SEP-001'] : i === 1 ? ['OTHER'] : []);
  assert.deepEqual(ranges(await separate({ ...base, mode: 'barcode', barcode_pattern: '^SEP' }, pages, { barcodes: codes })), [[0, 1], [3, 3]]);
  assert.deepEqual(ranges(await separate({ ...base, mode: 'barcode', drop_separator: false }, pages, { barcodes: codes })), [[0, 0], [1, 1], [2, 3]]);
});

test('auto: a change of type starts a document; an unsure one is below the threshold', async () => {
  const types = [{ type: 'Invoice', confidence: 0.9 }, { type: 'Invoice', confidence: 0.9 }, { type: 'Letter', confidence: 0.6 }, { type: 'Invoice', confidence: 0.95 }];
  const segs = await separate({ ...base, mode: 'auto' }, pages, { classifyPage: (p) => types[p.index] as { type: string; confidence: number } });
  assert.deepEqual(ranges(segs), [[0, 1], [2, 2], [3, 3]]);
  assert.equal(segs[0]?.confidence, 1 - 0.05);
  assert.ok((segs[1]?.confidence ?? 1) < 0.8, 'the Letter boundary is unsure');
});

// Code 39 (ISO/IEC 16388): 9 elements per character, bar/space alternating, 1 = wide.
const CODE39: Record<string, string> = {
  '0': '000110100', '1': '100100001', '2': '001100001', '3': '101100000', '4': '000110001',
  '5': '100110000', '6': '001110000', '7': '000100101', '8': '100100100', '9': '001100100', '*': '010010100',
};

async function code39Png(text: string, path: string): Promise<void> {
  const narrow = 4;
  const wide = 10;
  let x = 60;
  const rects: string[] = [];
  for (const ch of `*${text}*`) {
    [...(CODE39[ch] as string)].forEach((bit, i) => {
      const w = bit === '1' ? wide : narrow;
      if (i % 2 === 0) rects.push(`<rect x="${x}" y="60" width="${w}" height="160" fill="black"/>`);
      x += w;
    });
    x += narrow;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${x + 60}" height="300"><rect width="100%" height="100%" fill="white"/>${rects.join('')}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
}

test('a Code 39 barcode drawn on a page image is read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-barcode-'));
  try {
    const file = join(dir, 'sep.png');
    await code39Png('12345', file);
    assert.deepEqual(await createBarcodeReader().read(file, 'png', 0), ['12345']);
    assert.deepEqual(await createBarcodeReader().patches(file, 'png', 0), [], 'a barcode is not a patch code');
    const blank = join(dir, 'blank.png');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: 'white' } }).png().toFile(blank);
    assert.deepEqual(await createBarcodeReader().read(blank, 'png', 0), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
