/**
 * @module The line reader (ocr/line-reader.ts) and how its characters replace
 * Tesseract's (ocr/line-merge.ts): the model reads generated lines right and places
 * each character on its column; the merge keeps Tesseract's word boxes and only the
 * lines it was asked to read; and, through the page engine, a SROIE receipt line
 * that Tesseract misreads comes out right. The page-engine tests need `tesseract`
 * (CI installs it) and the receipt test the corpus.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ctcDecode, readLines } from '../../src/pipeline/ocr/line-reader.ts';
import { linesToRead, mergeLines, withPunctuation, zeroAsLetter } from '../../src/pipeline/ocr/line-merge.ts';
import { nativeAvailable } from '../../src/pipeline/ocr/native.ts';
import type { OcrWord } from '../../src/pipeline/ocr/types.ts';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { flatText, textImage, withTempDir } from './fixtures.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';

const signal = new AbortController().signal;
const word = (text: string, x: number, w: number, line: string, confidence = 0.9): OcrWord => ({ text, x, y: 10, w, h: 20, confidence, line });

describe('line reader: the model', () => {
  it('reads generated lines and puts each character on its column', async () => {
    const png = await textImage(['INVOICE 4711', 'Total 1,234.56'], { width: 900, height: 400, size: 40 });
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const image = { data, channels: 1 as const, width: info.width, height: info.height, dpi: 150, declaredDpi: null };
    // textImage puts baselines at y 200 and 272; a 40 px font rises ~30 px above them.
    const [first, second] = await readLines(image, [
      { x: 95, y: 168, w: 320, h: 40 },
      { x: 95, y: 240, w: 340, h: 40 },
    ]);
    const joined = (chars: { text: string }[]) => chars.map((c) => c.text).join('').replace(/\s/g, '');
    assert.equal(joined(first!), 'INVOICE4711');
    assert.equal(joined(second!), 'Total1,234.56');
    const xs = first!.map((c) => c.x);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b), 'columns run left to right');
    assert.ok(xs[0]! > 95 && xs.at(-1)! < 415, `columns ${xs[0]}..${xs.at(-1)} inside the line`);
    for (const c of first!) assert.ok(c.p > 0.5 && c.p <= 1, `probability ${c.p}`);
  });

  it('gives no characters for a line too thin to read', async () => {
    const image = { data: new Uint8Array(100 * 50).fill(255), channels: 1 as const, width: 100, height: 50, dpi: 72, declaredDpi: null };
    assert.deepEqual(await readLines(image, [{ x: 10, y: 10, w: 1, h: 1 }]), [[]]);
  });

  it('decodes CTC: repeats merged, blanks dropped, a repeat after a blank kept', () => {
    const names = ['', 'a', 'b'];
    const steps = [0, 1, 1, 0, 1, 2, 2].map((c) => [0, 1, 2].map((k) => (k === c ? 0.9 : 0.05)));
    const out = ctcDecode(Float32Array.from(steps.flat()), steps.length, 3, names);
    assert.deepEqual(out.map((c) => [c.text, c.step]), [['a', 1], ['a', 4], ['b', 5]]);
  });
});

describe('line reader: merging into Tesseract words', () => {
  const words = [word('MR', 100, 40, 'a'), word('O.T.Y.', 150, 90, 'a', 0.4), word('BHD', 260, 50, 'a'), word('Total', 100, 80, 'b', 0.95)];

  it('reads again only the lines the mode asks for', () => {
    assert.deepEqual(linesToRead(words, 'off').keys, []);
    assert.deepEqual(linesToRead(words, 'all').keys, ['a', 'b']);
    const uncertain = linesToRead(words, 'uncertain');
    assert.deepEqual(uncertain.keys, ['a']);
    assert.deepEqual(uncertain.boxes, [{ x: 100, y: 10, w: 210, h: 20 }]);
  });

  it('reads nothing of a page without a word below 0.8, and lines below 0.95 of a page with one', () => {
    const clean = [word('Page', 10, 60, 'p', 0.9), word('1', 80, 20, 'p', 0.85), word('Total', 10, 80, 'q', 0.97)];
    assert.deepEqual(linesToRead(clean, 'uncertain').keys, []);
    assert.deepEqual(linesToRead(clean, 'all').keys, ['p', 'q']);
    assert.deepEqual(linesToRead([...clean, word('SON', 10, 40, 'r', 0.5)], 'uncertain').keys, ['p', 'r']);
  });

  it('reads the band most words of a line share, not the union with one tall word box', () => {
    // A date Tesseract boxed with a pen stroke under it: 3.5 lines high in a line of 20 px text.
    const tall = [word('#001', 10, 60, 'd'), { ...word('05/01/2018', 80, 150, 'd', 0.03), h: 70 }, word('13:30', 240, 60, 'd')];
    assert.deepEqual(linesToRead(tall, 'uncertain').boxes, [{ x: 10, y: 10, w: 290, h: 20 }]);
  });

  it('cuts a long line between words into pieces as high as the line, reads every one, and merges them as one line', () => {
    // Words 50 px wide every 60 px; the line is 20 px high, so 640 px scaled (48 px for 1.3 × 20) is ~347 px of page.
    const long = Array.from({ length: 12 }, (_, i) => word(`w${i}`, 10 + i * 60, 50, 'c', i === 3 ? 0.5 : i === 8 ? 0.9 : 0.97));
    assert.deepEqual(linesToRead(long, 'uncertain').boxes.length, 3, 'the last piece too, which has no uncertain word');
    const { keys, boxes } = linesToRead(long, 'all');
    assert.deepEqual(keys, ['c', 'c', 'c']);
    assert.deepEqual(boxes.map((b) => [b.x, b.x + b.w]), [[10, 300], [310, 600], [610, 720]]);
    for (const b of boxes) assert.deepEqual([b.y, b.h], [10, 20]);
    const merged = mergeLines(long, keys, [[{ text: 'A', x: 20, p: 0.9 }], [{ text: 'B', x: 400, p: 0.9 }], [{ text: 'C', x: 740, p: 0.9 }]]);
    assert.deepEqual(merged.map((w) => w.text), ['A', 'w1', 'w2', 'w3', 'w4', 'w5', 'B', 'w7', 'w8', 'w9', 'w10', 'C']);
  });

  it('puts characters into the word boxes they fall in, the nearest for those outside', () => {
    const chars = [
      { text: 'M', x: 105, p: 0.99 },
      { text: 'R', x: 130, p: 0.98 },
      { text: ' ', x: 145, p: 0.9 },
      { text: 'D', x: 160, p: 0.97 },
      { text: '.', x: 175, p: 0.7 },
      { text: 'I', x: 190, p: 0.96 },
      { text: 'Y', x: 246, p: 0.95 },
      { text: 'B', x: 265, p: 0.99 },
      { text: 'H', x: 285, p: 0.99 },
      { text: 'D', x: 305, p: 0.99 },
    ];
    const merged = mergeLines(words, ['a'], [chars]);
    // `D.IY` from the reader, with the separators Tesseract saw in `O.T.Y.` put back where the reader had none.
    assert.deepEqual(merged.map((w) => w.text), ['MR', 'D.I.Y.', 'BHD', 'Total']);
    assert.equal(merged[1]!.confidence, 0.7, 'a word takes its least sure character');
    assert.deepEqual(merged.map((w) => [w.x, w.w, w.line]), words.map((w) => [w.x, w.w, w.line]), 'boxes and lines stay');
    assert.equal(merged[3], words[3], 'a line not read again is left as it was');
  });

  it('puts back the separators only Tesseract saw; letters and digits come from the reader', () => {
    assert.equal(withPunctuation('90/05/2018', '30032018'), '30/03/2018');
    assert.equal(withPunctuation('CS-20322', 'CS20322'), 'CS-20322');
    assert.equal(withPunctuation('1,234.56', '1234.56'), '1,234.56');
    assert.equal(withPunctuation('30,9)', '30.91'), '30.91');
    assert.equal(withPunctuation('SON', 'SDN'), 'SDN');
    assert.equal(withPunctuation("MAH'KOTA", 'MAHKOTA'), 'MAHKOTA', 'a quote is not a separator');
  });

  it('reads a 0 inside a run of letters as O, never one in a number or a code', () => {
    assert.deepEqual(['L0T', '116A,GR0UND', 'FL00R,', 'FLR,0NE', 'Pr0duct'].map(zeroAsLetter), ['LOT', '116A,GROUND', 'FLOOR,', 'FLR,ONE', 'Product']);
    for (const keep of ['10T', 'A0', 'B2C0', '2018', '0.00', 'RM0.00', 'RM0,50', 'TEL:0123', 'G1.116A']) assert.equal(zeroAsLetter(keep), keep);
    const merged = mergeLines([word('LOT', 10, 60, 'e', 0.5)], ['e'], [[{ text: 'L', x: 15, p: 0.9 }, { text: '0', x: 35, p: 0.6 }, { text: 'T', x: 60, p: 0.9 }]]);
    assert.equal(merged[0]!.text, 'LOT');
  });

  it('keeps Tesseract for a word the reader found nothing in', () => {
    const merged = mergeLines(words, ['a'], [[{ text: 'X', x: 120, p: 0.9 }]]);
    assert.deepEqual(merged.map((w) => w.text), ['X', 'O.T.Y.', 'BHD', 'Total']);
    assert.equal(merged[1]!.confidence, 0.4);
  });
});

const skip = nativeAvailable() ? false : 'tesseract is not on PATH';

describe('line reader: in the page engine', { skip }, () => {
  // One engine reading every line unless a call says otherwise, one with the default (no line reading).
  const reading = createPageEngine({ threads: 2, lineReading: 'all' });
  const plain = createPageEngine({ threads: 2 });
  after(() => Promise.all([reading.close(), plain.close()]));

  it('reads a clean page to the same words with and without it', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'page.png');
      await writeFile(path, await textImage(['Invoice number 4711', 'Total due 1,234.56'], { width: 1200, height: 500 }));
      const input = { filePath: path, fileType: 'png' as const, limits: DEFAULT_LIMITS, signal };
      const [a] = await reading.readPages(input);
      const [b] = await reading.readPages({ ...input, lineReading: 'off' });
      assert.equal(flatText(a!.words), 'invoice number 4711 total due 1,234.56');
      assert.deepEqual(a!.words.map((w) => w.box), b!.words.map((w) => w.box));
    });
  });

  it('reads a receipt line Tesseract gets wrong, when the call asks for uncertain lines', { skip: skipCorpus('labeled/receipts-sroie') }, async () => {
    const input = { filePath: join(CORPUS, 'labeled/receipts-sroie/sroie-004.jpg'), fileType: 'jpeg' as const, limits: DEFAULT_LIMITS, signal };
    const [withReader] = await plain.readPages({ ...input, lineReading: 'uncertain' });
    const [tesseract] = await plain.readPages(input);
    const compact = (t: string) => t.replace(/[^a-z0-9]/g, '');
    // The store's name: MR D.I.Y. (M) SDN BHD. Tesseract alone reads `MR O.T.Y. (M) SON BHD`.
    assert.ok(!compact(flatText(tesseract!.words)).includes('sdnbhd'), 'Tesseract alone misreads the name');
    assert.ok(compact(flatText(withReader!.words)).includes('diy'), flatText(withReader!.words).slice(0, 200));
    assert.ok(compact(flatText(withReader!.words)).includes('kawasanperindustrianbalakong'));
  });
});
