/**
 * @module The native engine's long-lived Tesseract processes (ocr/tesseract-process.ts)
 * and the TIFF they read (ocr/tiff-file.ts): pages read one after another on one
 * process give the words a fresh process gives; a timeout, an abort and a Tesseract
 * that cannot start each fail only their own page, and the engine reads the next
 * one. The TIFF is checked by reading it back with sharp (libtiff). Skipped when
 * `tesseract` is not on PATH; CI installs it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { TaskFailure } from '../../src/core/errors.ts';
import { createNativeOcr, nativeAvailable } from '../../src/pipeline/ocr/native.ts';
import { tiffHeader } from '../../src/pipeline/ocr/tiff-file.ts';
import type { OcrEngine, OcrImage, OcrWord } from '../../src/pipeline/ocr/types.ts';
import { packBilevel } from '../../src/pipeline/pages/encode.ts';
import { textImage } from './fixtures.ts';

const skip = nativeAvailable() ? false : 'tesseract is not on PATH';
const engines: OcrEngine[] = [];
after(() => Promise.all(engines.map((e) => e.close())));

function engine(options: { lang?: string; concurrency?: number } = {}): OcrEngine {
  const e = createNativeOcr({ concurrency: options.concurrency ?? 1, lang: options.lang });
  engines.push(e);
  return e;
}

async function page(lines: string[], declaredDpi: number | null = 150, size?: { width: number; height: number }): Promise<OcrImage> {
  const png = await textImage(lines, size ?? { width: 1200, height: 500 });
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, channels: 1, width: info.width, height: info.height, dpi: 150, declaredDpi };
}

const texts = (words: OcrWord[]): string[] => words.map((w) => w.text);
const fresh = () => ({ timeoutMs: 60_000, signal: new AbortController().signal });

describe('native OCR: long-lived Tesseract processes', { skip }, () => {
  it('reads page after page on one process, each as a process of its own would', async () => {
    const a = await page(['Invoice number 4711', 'Total due 1,234.56']);
    const b = await page(['Delivery note 0815', 'Paid in full'], null);
    const reused = engine();
    const first = await reused.recognize(a, fresh());
    const second = await reused.recognize(b, fresh());
    const again = await reused.recognize(a, fresh());
    assert.deepEqual(texts(first), ['Invoice', 'number', '4711', 'Total', 'due', '1,234.56']);
    assert.deepEqual(again, first);
    assert.deepEqual(texts(second), texts(await engine().recognize(b, fresh())));
    assert.deepEqual(texts(second), ['Delivery', 'note', '0815', 'Paid', 'in', 'full']);
  });

  it('keeps pages apart when processes read in parallel', async () => {
    const pages = await Promise.all([['Alpha 101'], ['Bravo 202'], ['Charlie 303'], ['Delta 404'], ['Echo 505']].map((l) => page(l)));
    const parallel = engine({ concurrency: 2 });
    const read = await Promise.all(pages.map((p) => parallel.recognize(p, { ...fresh(), thresholding: 'global' })));
    assert.deepEqual(read.map((w) => texts(w).join(' ')), ['Alpha 101', 'Bravo 202', 'Charlie 303', 'Delta 404', 'Echo 505']);
    const adaptive = await parallel.recognize(pages[0]!, { ...fresh(), thresholding: 'adaptive' });
    assert.deepEqual(texts(adaptive), ['Alpha', '101']);
  });

  it('fails a page past its time with page_timeout, and reads the next page', async () => {
    const e = engine();
    const big = await page(Array.from({ length: 30 }, (_, i) => `Line ${i} of a long page to read`), 150, { width: 2400, height: 3300 });
    await assert.rejects(e.recognize(big, { timeoutMs: 1, signal: new AbortController().signal }), (err: unknown) => err instanceof TaskFailure && err.code === 'page_timeout');
    assert.deepEqual(texts(await e.recognize(await page(['Still reading 42']), fresh())), ['Still', 'reading', '42']);
  });

  it('stops on an abort with its reason, and reads the next page', async () => {
    const e = engine();
    const controller = new AbortController();
    const reading = e.recognize(await page(['Invoice number 4711']), { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('task cancelled')), 20);
    await assert.rejects(reading, /task cancelled/);
    assert.deepEqual(texts(await e.recognize(await page(['Next page 7']), fresh())), ['Next', 'page', '7']);
  });

  it('reports a Tesseract that cannot start as an error of the page, not a crash', async () => {
    const broken = engine({ lang: 'no-such-language' });
    await assert.rejects(broken.recognize(await page(['Anything']), fresh()), /tesseract exited with 1/);
    await assert.rejects(broken.recognize(await page(['Anything']), fresh()), /tesseract exited with 1/);
  });
});

describe('the TIFF handed to Tesseract', () => {
  const grey = { data: Buffer.from([0, 64, 128, 255, 10, 20, 30, 40, 50]), channels: 1, width: 3, height: 3, dpi: 72, declaredDpi: 72 } as const;

  it('holds grey and RGB pixels as they are, with the resolution', async () => {
    const rgb: OcrImage = { data: Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]), channels: 3, width: 2, height: 2, dpi: 300, declaredDpi: 300 };
    for (const [image, dpi] of [[grey, 271], [rgb, 300]] as const) {
      const file = Buffer.concat([tiffHeader(image, dpi), image.data]);
      const meta = await sharp(file).metadata();
      assert.equal(meta.format, 'tiff');
      assert.equal(meta.width, image.width);
      assert.equal(meta.channels, image.channels);
      assert.ok(Math.abs((meta.density ?? 0) - dpi) < 0.01, `density ${meta.density}`);
      const pixels = image.channels === 1 ? sharp(file).extractChannel(0) : sharp(file);
      assert.deepEqual(await pixels.raw().toBuffer(), Buffer.from(image.data));
    }
  });

  it('holds a packed 1-bit page with 1 = black, and no resolution when none is known', async () => {
    const ink = Buffer.from([0, 255, 255, 0, 0, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255, 0, 255]);
    const packed: OcrImage = { data: packBilevel(ink, 9, 2, 'black'), channels: 1, bits: 1, width: 9, height: 2, dpi: 300, declaredDpi: null };
    const file = Buffer.concat([tiffHeader(packed, null), packed.data]);
    const meta = await sharp(file).metadata();
    assert.equal(meta.width, 9);
    assert.equal(meta.density, undefined);
    assert.deepEqual([...(await sharp(file).greyscale().raw().toBuffer())], [...ink]);
  });
});
