/**
 * @module Both OCR engines behind the one interface: the same page gives the same
 * words with comparable boxes from the native CLI (skipped when `tesseract` is not
 * installed; CI installs it) and from tesseract.js (always, offline). Also the TSV
 * parser and the automatic choice.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createNativeOcr, nativeAvailable } from '../../src/pipeline/ocr/native.ts';
import { createTesseractJsOcr } from '../../src/pipeline/ocr/tesseract-js.ts';
import { createOcrEngine } from '../../src/pipeline/ocr/select.ts';
import { parseTsv } from '../../src/pipeline/ocr/tsv.ts';
import type { OcrEngine, OcrImage } from '../../src/pipeline/ocr/types.ts';
import { textImage } from './fixtures.ts';

const hasNative = nativeAvailable();
const opts = { timeoutMs: 60_000, signal: new AbortController().signal };
const engines: OcrEngine[] = [];
after(() => Promise.all(engines.map((e) => e.close())));

async function page(): Promise<OcrImage> {
  const png = await textImage(['Invoice number 4711', 'Total due 1,234.56'], { width: 1200, height: 500 });
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, channels: 1, width: info.width, height: info.height, dpi: 150, declaredDpi: 150 };
}

async function check(engine: OcrEngine): Promise<void> {
  const words = await engine.recognize(await page(), opts);
  assert.deepEqual(words.map((w) => w.text), ['Invoice', 'number', '4711', 'Total', 'due', '1,234.56']);
  assert.equal(new Set(words.slice(0, 3).map((w) => w.line)).size, 1);
  assert.notEqual(words[0]!.line, words[3]!.line);
  const invoice = words[0]!;
  // Drawn at x = 100 px, baseline 200 px, 48 px type.
  assert.ok(Math.abs(invoice.x - 100) < 8, `x ${invoice.x}`);
  assert.ok(invoice.y > 150 && invoice.y + invoice.h < 215, `y ${invoice.y} h ${invoice.h}`);
  for (const w of words) assert.ok(w.confidence > 0.5 && w.confidence <= 1, `${w.text} ${w.confidence}`);
}

describe('OCR engines', () => {
  it('native tesseract CLI reads words with boxes', { skip: hasNative ? false : 'tesseract is not on PATH' }, async () => {
    const engine = createNativeOcr({ concurrency: 1 });
    engines.push(engine);
    await check(engine);
  });

  it('tesseract.js reads the same words, offline', async () => {
    const engine = createTesseractJsOcr({ concurrency: 1 });
    engines.push(engine);
    await check(engine);
  });

  it('chooses the native engine when it is installed, unless told otherwise', async () => {
    const auto = createOcrEngine({ choice: 'auto', concurrency: 1 });
    const js = createOcrEngine({ choice: 'tesseract.js', concurrency: 1 });
    engines.push(auto, js);
    assert.equal(auto.name, hasNative ? 'native' : 'tesseract.js');
    assert.equal(js.name, 'tesseract.js');
    assert.throws(() => createOcrEngine({ choice: 'native', concurrency: 1, binary: 'no-such-tesseract-binary' }));
  });

  it('parses TSV word rows and skips layout rows', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '1\t1\t0\t0\t0\t0\t0\t0\t640\t480\t-1\t',
      '4\t1\t1\t1\t1\t0\t36\t92\t582\t24\t-1\t',
      '5\t1\t1\t1\t1\t1\t36\t92\t60\t24\t95.5\tThis',
      '5\t1\t1\t1\t1\t2\t100\t92\t20\t24\t91\tis',
      '5\t1\t1\t1\t2\t1\t36\t130\t30\t24\t-1\t ',
    ].join('\n');
    assert.deepEqual(parseTsv(tsv), [
      { text: 'This', x: 36, y: 92, w: 60, h: 24, confidence: 0.955, line: '1.1.1' },
      { text: 'is', x: 100, y: 92, w: 20, h: 24, confidence: 0.91, line: '1.1.1' },
    ]);
  });
});
