/**
 * @module Which turns a poorly read page is read again at (ocr/upright.ts): a page
 * whose words lie along horizontal lines is upright or upside down, so only 180° is
 * tried; a page whose words run down it is tried at 180°, 90° and 270° as before.
 * The receipt is a real one from the corpus (SROIE 013, an upright photo Tesseract
 * reads at a confidence-weighted 0.49) read by the real native engine, the calls
 * counted around it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createNativeOcr } from '../../src/pipeline/ocr/native.ts';
import type { OcrEngine, OcrWord } from '../../src/pipeline/ocr/types.ts';
import { horizontalLines, readUpright } from '../../src/pipeline/ocr/upright.ts';
import { decodeImagePage } from '../../src/pipeline/pages/image-source.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';

const word = (text: string, w: number, h: number, i: number): OcrWord => ({ text, x: 10, y: 10 + 30 * i, w, h, confidence: 0.5, line: `1.1.${i}` });

describe('lines across or down the page', () => {
  it('counts words of four letters or more, and wants five of them, most at least 1.5× as wide as tall', () => {
    const across = Array.from({ length: 6 }, (_, i) => word('TOTAL', 80, 20, i));
    const down = Array.from({ length: 6 }, (_, i) => word('TOTAL', 20, 80, i));
    assert.equal(horizontalLines(across), true);
    assert.equal(horizontalLines(down), false);
    assert.equal(horizontalLines(across.slice(0, 4)), false, 'four words say too little');
    assert.equal(horizontalLines([...across.slice(0, 3), ...down.slice(0, 3)]), false, 'half and half is no majority');
    // Short words, wide or not, do not count: "RM" and "1" are as often square.
    assert.equal(horizontalLines([...across.slice(0, 4), ...Array.from({ length: 6 }, (_, i) => word('RM', 40, 20, i))]), false);
  });
});

const skip = skipCorpus('labeled/receipts-sroie');
describe('a poorly read upright receipt', { skip }, () => {
  const native = createNativeOcr({ concurrency: 1 });
  after(() => native.close());

  it('is tried turned 180° only, and kept as it is', async () => {
    const decoded = await decodeImagePage(join(CORPUS, 'labeled/receipts-sroie/sroie-013.jpg'), 0, { dpi: null, maxDpi: 300, maxPixels: DEFAULT_LIMITS.maxPixelsPerPage, colour: false });
    const image = { data: decoded.data, channels: decoded.channels as 1 | 3, width: decoded.width, height: decoded.height, dpi: decoded.dpi, declaredDpi: decoded.declaredDpi };
    const turns: number[] = [];
    const counting: OcrEngine = { ...native, recognize: (img, opts) => (turns.push(img.width === image.width ? 0 : 90), native.recognize(img, opts)) };
    const read = await readUpright(counting, image, { timeoutMs: DEFAULT_LIMITS.pageTimeoutMs, signal: new AbortController().signal, detectOrientation: true });
    // Read as it came, then turned 180° (same width); before, also at 90° and 270°, and kept at 90° as "better".
    assert.deepEqual(turns, [0, 0]);
    assert.equal(read.rotation, 0);
  });
});
