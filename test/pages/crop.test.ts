/**
 * @module Cropping a page of small text to its content before it is enlarged and
 * read (pages/crop.ts): the box found around text but not around specks, and the
 * words of a cropped page put back where they are on the whole page, for an image
 * read upside down and for a scanned PDF page drawn again at a higher resolution.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { contentBox } from '../../src/pipeline/pages/crop.ts';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { findGlyphs } from '../../src/pipeline/pages/text-size.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { flatText, textImage, withTempDir } from './fixtures.ts';

const engine = createPageEngine({ threads: 2 });
after(() => engine.close());
const signal = new AbortController().signal;

const LINES = ['Invoice number 4711 from Acme', 'Delivery address 12 Main Street', 'Total amount due 1,234.56'];

/** 14 px type (glyphs of 8–10 px) drawn from x = 100, first baseline at y = 200, on a larger white page with specks. */
async function smallTextPage(width: number, height: number): Promise<Buffer> {
  const text = await textImage(LINES, { size: 14, width, height });
  const specks = [
    [30, 30],
    [width - 40, 50],
    [40, height - 40],
    [width - 30, height - 30],
    [width / 2, height - 60],
  ]
    .map(([x, y]) => `<rect x="${x}" y="${y}" width="4" height="4" fill="black"/>`)
    .join('');
  const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${specks}</svg>`);
  return sharp(text).composite([{ input: overlay }]).flatten({ background: '#ffffff' }).toColourspace('b-w').png().toBuffer();
}

async function grey(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('content box', () => {
  it('holds the text, padded, and leaves the specks out', async () => {
    const page = await grey(await smallTextPage(900, 900));
    const glyphs = findGlyphs(page.data, page.width, page.height, 1)!;
    const box = contentBox(glyphs, page.width, page.height)!;
    assert.ok(box, 'a box');
    // Text spans x 100..~330 and y ~189..~255; the padding is two glyph heights (~20 px).
    assert.ok(box.x >= 60 && box.x < 100, `left ${box.x}`);
    assert.ok(box.y >= 150 && box.y < 189, `top ${box.y}`);
    assert.ok(box.x + box.width > 320 && box.x + box.width < 400, `right ${box.x + box.width}`);
    assert.ok(box.y + box.height > 255 && box.y + box.height < 300, `bottom ${box.y + box.height}`);
  });

  it('keeps the whole page when the text fills it', async () => {
    // Twelve lines (y ~189..~470) with a margin of 10 px, narrower than the padding.
    const lines = [...LINES, ...LINES, ...LINES, ...LINES];
    const full = await textImage(lines, { size: 14, width: 900, height: 900 });
    const page = await grey(await sharp(full).extract({ left: 90, top: 179, width: 250, height: 300 }).png().toBuffer());
    const glyphs = findGlyphs(page.data, page.width, page.height, 1)!;
    assert.equal(contentBox(glyphs, page.width, page.height), null);
  });
});

describe('cropped pages', () => {
  it('puts the words of a page read upside down back where they are', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'upside-down.png');
      await sharp(await smallTextPage(900, 900)).rotate(180).withMetadata({ density: 100 }).png().toFile(path);
      const [page] = await engine.readPages({ filePath: path, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      assert.equal(page!.rotation, 180);
      assert.match(flatText(page!.words), /1,234\.56/);
      const invoice = page!.words.find((w) => w.text === 'Invoice')!;
      // Drawn at x = 100 px, baseline 200 px, on the page as it reads upright: 72 and 144 pt at 100 dpi.
      assert.ok(Math.abs(invoice.box.x - 72) < 4, `x ${invoice.box.x}`);
      assert.ok(Math.abs(invoice.box.y + invoice.box.h - 144) < 4, `bottom ${invoice.box.y + invoice.box.h}`);
    });
  });

  it('crops a scanned PDF page drawn again at a higher resolution', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'small-scan.pdf');
      const doc = await PDFDocument.create();
      // 900 px on 216 pt: rendered at 300 dpi the image keeps its pixel size, and its text stays small.
      const image = await doc.embedPng(await smallTextPage(900, 900));
      doc.addPage([216, 216]).drawImage(image, { x: 0, y: 0, width: 216, height: 216 });
      await writeFile(path, await doc.save());
      const [page] = await engine.readPages({ filePath: path, fileType: 'pdf', limits: DEFAULT_LIMITS, signal });
      assert.ok(page!.dpi > 300, `read at ${page!.dpi} dpi`);
      assert.match(flatText(page!.words), /1,234\.56/);
      const invoice = page!.words.find((w) => w.text === 'Invoice')!;
      // 100 px and 200 px of 900 on 216 pt: 24 and 48 pt.
      assert.ok(Math.abs(invoice.box.x - 24) < 2, `x ${invoice.box.x}`);
      assert.ok(Math.abs(invoice.box.y + invoice.box.h - 48) < 2, `bottom ${invoice.box.y + invoice.box.h}`);
    });
  });
});
