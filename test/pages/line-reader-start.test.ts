/**
 * @module The line reader when it cannot or should not read everything: a model file
 * that no ONNX Runtime opens leaves every page as Tesseract read it and the start
 * report says why; a page of noise that Tesseract cuts into many uncertain lines has
 * only `MAX_LINES_PER_PAGE` of them read again, and its notes say so; the native and
 * WebAssembly runtimes read lines to the same characters; batches group similar widths;
 * the shipped model runs in float, or in int8 when asked, another one in float with the reason logged. The page-engine
 * tests need `tesseract` (CI installs it).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { batches, readerInfo, readLines } from '../../src/pipeline/ocr/line-reader.ts';
import { linesToRead, MAX_LINES_PER_PAGE } from '../../src/pipeline/ocr/line-merge.ts';
import { DEFAULT_MODEL } from '../../src/pipeline/ocr/line-runtime.ts';
import { nativeAvailable } from '../../src/pipeline/ocr/native.ts';
import type { OcrWord } from '../../src/pipeline/ocr/types.ts';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { flatText, textImage, withTempDir } from './fixtures.ts';

const signal = new AbortController().signal;
const skip = nativeAvailable() ? false : 'tesseract is not installed (apt-get install tesseract-ocr)';
if (skip && process.env.DOCKET_REQUIRE_TESSERACT === '1') throw new Error(skip);

/** Rows of random specks, glyph-sized, with word-like gaps: what Tesseract reads as many lines of garbage. */
async function noisePage(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height, 255);
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let y = 10; y < height - 30; y += 16) {
    let x = 10 + Math.floor(rnd() * 40);
    while (x < width - 20) {
      const w = 2 + Math.floor(rnd() * 6);
      const h = 4 + Math.floor(rnd() * 7);
      const oy = Math.floor(rnd() * 3);
      for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) if (rnd() < 0.8) data[(y + oy + dy) * width + x + dx] = 0;
      x += w + 2 + Math.floor(rnd() * (rnd() < 0.15 ? 40 : 6));
    }
  }
  return sharp(data, { raw: { width, height, channels: 1 } }).png().withMetadata({ density: 300 }).toBuffer();
}

describe('line reader: batches', () => {
  it('reads one line a run by default, and puts lines of similar width together when asked', () => {
    const widths = [640, 100, 620, 90, 300, 95, 610];
    assert.deepEqual(batches(widths), [[3], [5], [1], [4], [6], [2], [0]]);
    // Up to 8 lines whose narrowest is at least 3/4 of the widest, narrowest first.
    assert.deepEqual(batches(widths, 8), [[3, 5, 1], [4], [6, 2, 0]]);
    assert.deepEqual(batches([], 8), []);
  });
});

describe('line reader: int8 or float', () => {
  it('runs the shipped model in float by default and in int8 when asked, and a model whose ranges were not measured in float, saying why', async () => {
    assert.equal((await readerInfo({ runtime: 'native' })).precision, 'float');
    assert.equal((await readerInfo({ runtime: 'native', precision: 'int8' })).precision, 'int8');
    assert.equal((await readerInfo({ runtime: 'wasm', precision: 'int8' })).precision, 'int8');
    // The package's text-direction classifier: an ONNX model, but not the one the ranges were measured on.
    const other = new URL('ch_ppocr_mobile_v2.0_cls_infer.onnx', `file://${DEFAULT_MODEL}`).pathname;
    const info = await readerInfo({ runtime: 'native', model: other, precision: 'int8' });
    assert.equal(info.precision, 'float');
    assert.match(info.why ?? '', /^int8: the activation ranges were measured on another model/);
  });
});

describe('line reader: the cap on lines a page', () => {
  it('reads again at most MAX_LINES_PER_PAGE lines, the least sure first, and counts the others', () => {
    const words: OcrWord[] = Array.from({ length: 3000 }, (_, i) => ({ text: 'x', x: 0, y: i * 10, w: 8, h: 8, confidence: (i % 100) / 200, line: `l${i}` }));
    const todo = linesToRead(words, 'uncertain');
    assert.equal(new Set(todo.keys).size, MAX_LINES_PER_PAGE);
    assert.equal(todo.skipped, 3000 - MAX_LINES_PER_PAGE);
    // 3000 lines at 100 confidences: the 200 read are the 30 at each of the lowest 6 and 20 of the 7th.
    const read = new Set(todo.keys);
    assert.ok(words.filter((w) => read.has(w.line)).every((w) => w.confidence <= 6 / 200));
  });
});

describe('line reader: in the page engine when it cannot or should not read everything', { skip }, () => {
  const logs: string[] = [];
  let broken: ReturnType<typeof createPageEngine> | null = null;
  // Orientation off: noise read poorly is tried turned, and a page read turned keeps Tesseract's words.
  const capped = createPageEngine({ threads: 2, lineReading: 'all', maxLinesRead: 10, detectOrientation: false });
  after(() => Promise.all([capped.close(), broken?.close()]));

  it('keeps Tesseract\'s reading when the model cannot be opened, and says why', async () => {
    await withTempDir(async (dir) => {
      const model = join(dir, 'broken.onnx');
      await writeFile(model, 'not an ONNX model');
      broken = createPageEngine({ threads: 2, lineReading: 'all', lineReader: { model }, log: (level, message) => logs.push(`${level} ${message}`) });
      const path = join(dir, 'page.png');
      await writeFile(path, await textImage(['Invoice number 4711', 'Total due 1,234.56'], { width: 1200, height: 500 }));
      const input = { filePath: path, fileType: 'png' as const, limits: DEFAULT_LIMITS, signal };
      const [read] = await broken.readPages(input);
      const [off] = await broken.readPages({ ...input, lineReading: 'off' });
      assert.deepEqual(read!.words, off!.words);
      assert.equal(flatText(read!.words), 'invoice number 4711 total due 1,234.56');
      const info = await broken.lineReader();
      assert.equal(info.runtime, null);
      assert.match(info.why ?? '', /native: .*wasm: /s);
      assert.equal(logs.length, 1, logs.join('\n'));
      assert.match(logs[0]!, /^warn line reader unavailable, pages keep Tesseract's reading: the line reader could not start/);
    });
  });

  it('reads a noise page\'s lines up to the cap and notes the rest', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'noise.png');
      await writeFile(path, await noisePage(900, 700));
      const [page] = await capped.readPages({ filePath: path, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      assert.ok(page!.lines.length > 10, `Tesseract found ${page!.lines.length} lines in the noise`);
      const note = page!.notes?.[0] ?? '';
      const m = /^line reader: (\d+) lines read again, (\d+) more uncertain lines left as Tesseract read them \(at most 10 a page\)$/.exec(note);
      assert.ok(m, note);
      assert.equal(Number(m[1]), 10);
      assert.ok(Number(m[2]) > 0);
    });
  });

  it('reads lines to the same characters on the native and the WebAssembly runtime', async () => {
    const png = await textImage(['TOTAL RM 30.90', 'CASH 50.00', 'CHANGE 19.10 THANK YOU'], { width: 1000, height: 360 });
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const image = { data, channels: 1 as const, width: info.width, height: info.height, dpi: 300, declaredDpi: null };
    const boxes = [0, 1, 2].map((i) => ({ x: 20, y: 30 + i * 110, w: 950, h: 70 }));
    const native = await readLines(image, boxes, { runtime: 'native' });
    const wasm = await readLines(image, boxes, { runtime: 'wasm' });
    const text = (lines: { text: string }[][]) => lines.map((l) => l.map((c) => c.text).join(''));
    assert.deepEqual(text(native), text(wasm));
    assert.ok(text(native).join(' ').includes('30.90'), text(native).join(' '));
  });
});
