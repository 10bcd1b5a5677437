/**
 * @module Preparing pages for OCR (pages/prepare.ts): the glyph measure behind it,
 * enlarging small text, deskewing, and the words of a deskewed page mapped back to
 * where they are on the page as it is. Pages are generated in code: text drawn at
 * known sizes and places, turned with sharp.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { enlargeFactor, LARGE_GLYPH_PX, reduceFactor, SMALL_GLYPH_PX, TARGET_GLYPH_PX } from '../../src/pipeline/pages/enlarge.ts';
import { prepareForOcr } from '../../src/pipeline/pages/prepare.ts';
import type { RawImage } from '../../src/pipeline/pages/raw-image.ts';
import { estimateSkew, unskewBox } from '../../src/pipeline/pages/skew.ts';
import { findGlyphs, medianGlyphHeight } from '../../src/pipeline/pages/text-size.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { flatText, textImage, withTempDir } from './fixtures.ts';

const engine = createPageEngine({ threads: 2 });
after(() => engine.close());
const signal = new AbortController().signal;

const LINES = ['Invoice number 4711 from Acme', 'Delivery address 12 Main Street', 'Total amount due 1,234.56', 'Payment within thirty days'];

async function grey(png: Buffer, turn = 0): Promise<{ data: Buffer; width: number; height: number }> {
  let pipeline = sharp(png);
  if (turn !== 0) pipeline = pipeline.rotate(turn, { background: '#ffffff' });
  const { data, info } = await pipeline.greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('glyph measure', () => {
  it('measures text height, and nothing on a blank page', async () => {
    const large = await grey(await textImage(LINES, { size: 48 }));
    const small = await grey(await textImage(LINES, { size: 14, width: 500, height: 400 }));
    const blank = await grey(await textImage([], { width: 400, height: 400 }));
    const h48 = medianGlyphHeight(large.data, large.width, large.height, 1)!;
    const h14 = medianGlyphHeight(small.data, small.width, small.height, 1)!;
    // DejaVu Sans: x-height 0.55 em, capitals and digits 0.73 em; the median glyph lies between.
    assert.ok(h48 >= 0.5 * 48 && h48 <= 0.8 * 48, `48 px type: ${h48}`);
    assert.ok(h14 >= 0.5 * 14 && h14 <= 0.8 * 14, `14 px type: ${h14}`);
    assert.equal(medianGlyphHeight(blank.data, blank.width, blank.height, 1), null);
  });

  it('enlarges only small text, within 4×, 600 dpi and the pixel limit', () => {
    assert.equal(enlargeFactor(null, 300, 1000, 1000, 1e8), 1);
    assert.equal(enlargeFactor(SMALL_GLYPH_PX, 300, 1000, 1000, 1e8), 1);
    assert.equal(enlargeFactor(8, 100, 1000, 1000, 1e8), TARGET_GLYPH_PX / 8);
    assert.equal(enlargeFactor(4, 100, 1000, 1000, 1e8), 4);
    assert.equal(enlargeFactor(8, 300, 1000, 1000, 1e8), 2);
    assert.equal(enlargeFactor(8, 100, 1000, 1000, 4e6), 2);
    // 20 / 15 = 1.333…, rounded down to a hundredth.
    assert.equal(enlargeFactor(15, 300, 1000, 1000, 1e8), 1.33);
    assert.equal(enlargeFactor(15, 300, 1000, 1000, 1e8), Math.floor((TARGET_GLYPH_PX / 15) * 100) / 100);
  });
});

describe('large text', () => {
  it('reduces only text over 30 px, to 20 px, to half the size at most', () => {
    assert.equal(reduceFactor(null), 1);
    assert.equal(reduceFactor(LARGE_GLYPH_PX), 1);
    assert.equal(reduceFactor(26), 1);
    // 20 / 31 = 0.645…, rounded down to a hundredth.
    assert.equal(reduceFactor(31), 0.64);
    assert.equal(reduceFactor(40), 0.5);
    assert.equal(reduceFactor(120), 0.5);
  });

  it('leaves a 1-bit page of large type as it is', async () => {
    const g = await grey(await textImage(LINES, { size: 64, width: 1600, height: 800 }));
    const bilevel: RawImage = { ...g, data: Buffer.from(g.data.map((v) => (v < 128 ? 0 : 255))), channels: 1, dpi: 300, declaredDpi: 300, widthPt: 384, heightPt: 192, bilevel: true };
    const options = { enlargeSmallText: true, reduceLargeText: true, deskew: false, maxPixels: DEFAULT_LIMITS.maxPixelsPerPage };
    assert.equal((await prepareForOcr(bilevel, options)).decided!.factor, 1);
    assert.ok((await prepareForOcr({ ...bilevel, bilevel: false }, options)).decided!.factor < 0.7);
  });

  it('reads a page of large type reduced, with boxes in the page\'s own points', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'large.png');
      // 64 px type, stated 300 dpi: glyphs of ~35–47 px, read at about half the size.
      await sharp(await textImage(LINES, { size: 64, width: 1600, height: 800 })).withMetadata({ density: 300 }).png().toFile(path);
      const [page] = await readOnce({}, path);
      const [kept] = await readOnce({ reduceLargeText: false }, path);
      assert.ok(page!.dpi < 200, `read at ${page!.dpi} dpi`);
      assert.equal(kept!.dpi, 300);
      assert.equal(page!.width, (1600 * 72) / 300);
      assert.equal(flatText(page!.words), flatText(kept!.words));
      // The same words where they are on the page: within 2 pt of where the page read at full size puts them.
      for (const [i, w] of page!.words.entries()) {
        const k = kept!.words[i]!.box;
        assert.ok(Math.abs(w.box.x - k.x) < 2 && Math.abs(w.box.y - k.y) < 2, `${w.text}: ${JSON.stringify(w.box)} against ${JSON.stringify(k)}`);
      }
    });
  });
});

/** The pages of `path` read by an engine of its own with `options`. */
async function readOnce(options: Parameters<typeof createPageEngine>[0], path: string) {
  const once = createPageEngine({ threads: 1, ...options });
  try {
    return await once.readPages({ filePath: path, fileType: 'png', limits: DEFAULT_LIMITS, signal });
  } finally {
    await once.close();
  }
}

describe('deskew', () => {
  it('finds the skew of a page turned by a few degrees, and none on a straight one', async () => {
    const png = await textImage(LINES, { size: 40 });
    for (const turn of [0, 2.5, -4]) {
      const page = await grey(png, turn);
      const glyphs = findGlyphs(page.data, page.width, page.height, 1)!;
      const deg = estimateSkew(glyphs, page.width, page.height);
      assert.ok(Math.abs(deg - turn) <= 0.3, `turned ${turn}°, estimated ${deg}°`);
    }
  });

  it('maps a box back through the turn', () => {
    const box = { x: 100, y: 50, w: 40, h: 10 };
    const there = unskewBox(box, 3, 1000, 800, 1000, 800);
    const back = unskewBox(there, -3, 1000, 800, 1000, 800);
    assert.ok(Math.abs(back.x - box.x) < 1e-9 && Math.abs(back.y - box.y) < 1e-9);
    assert.equal(there.w, 40);
    // Turning clockwise moves a point left of the centre upwards.
    assert.ok(there.y < box.y);
  });

  it('reads a page scanned 4° askew and puts its words where they are on the page', async () => {
    await withTempDir(async (dir) => {
      const straight = join(dir, 'straight.png');
      const askew = join(dir, 'askew.png');
      const png = await textImage(LINES, { size: 40, width: 1275, height: 1650 });
      await sharp(png).withMetadata({ density: 150 }).png().toFile(straight);
      // The canvas grows when turned; cut back to the page size so both pages are 8.5 × 11 in at 150 dpi.
      const turned = await sharp(png).rotate(4, { background: '#ffffff' }).png().toBuffer();
      const meta = await sharp(turned).metadata();
      const left = Math.round((meta.width! - 1275) / 2);
      const top = Math.round((meta.height! - 1650) / 2);
      await sharp(turned).extract({ left, top, width: 1275, height: 1650 }).withMetadata({ density: 150 }).png().toFile(askew);
      const [page] = await engine.readPages({ filePath: askew, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      const [flat] = await engine.readPages({ filePath: straight, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      for (const line of LINES) assert.ok(flatText(page!.words).includes(line.toLowerCase()), `"${line}" in "${flatText(page!.words)}"`);
      // Where "Total" is on the straight page, turned 4° clockwise about the centre (637.5, 825 px), in points.
      const centreOf = (p: typeof page) => {
        const b = p!.words.find((w) => w.text === 'Total')!.box;
        return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
      };
      const before = centreOf(flat);
      const [cx, cy] = [(637.5 * 72) / 150, (825 * 72) / 150];
      const rad = (4 * Math.PI) / 180;
      const [dx, dy] = [before.x - cx, before.y - cy];
      const expected = { x: cx + dx * Math.cos(rad) - dy * Math.sin(rad), y: cy + dx * Math.sin(rad) + dy * Math.cos(rad) };
      const centre = centreOf(page);
      assert.ok(Math.hypot(centre.x - expected.x, centre.y - expected.y) < 4, `centre ${JSON.stringify(centre)} expected ${JSON.stringify(expected)}`);
    });
  });
});

describe('small text', () => {
  it('reads a page of small type enlarged, with boxes in the page\'s own points', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'small.png');
      // 14 px type on a 500 px wide image, stated 100 dpi: glyphs of 8–10 px.
      await sharp(await textImage(LINES, { size: 14, width: 500, height: 400 })).withMetadata({ density: 100 }).png().toFile(path);
      const [page] = await engine.readPages({ filePath: path, fileType: 'png', limits: DEFAULT_LIMITS, signal });
      assert.ok(page!.dpi > 100, `read at ${page!.dpi} dpi`);
      assert.equal(page!.width, 360);
      assert.match(flatText(page!.words), /1,234\.56/);
      const invoice = page!.words.find((w) => w.text === 'Invoice')!;
      // Drawn at x = 100 px (72 pt at 100 dpi), baseline 200 px.
      assert.ok(Math.abs(invoice.box.x - 72) < 4, `x ${invoice.box.x}`);
      assert.ok(Math.abs(invoice.box.y + invoice.box.h - 144) < 4, `bottom ${invoice.box.y + invoice.box.h}`);
    });
  });
});

describe('decided once a page', () => {
  const options = { enlargeSmallText: true, deskew: true, maxPixels: DEFAULT_LIMITS.maxPixelsPerPage };
  async function raw(png: Buffer, turn: number, dpi: number): Promise<RawImage> {
    const g = await grey(png, turn);
    return { ...g, channels: 1, dpi, declaredDpi: dpi, widthPt: (g.width * 72) / dpi, heightPt: (g.height * 72) / dpi, bilevel: false };
  }

  it('hands back what it decided, and a second reading given it gets the same bitmap without measuring again', async () => {
    // Small type turned 3°: enlarged, cropped and turned straight.
    const page = await raw(await textImage(LINES, { size: 14, width: 500, height: 400 }), 3, 100);
    const first = await prepareForOcr(page, options);
    assert.ok(first.decided!.factor > 1 && first.decided!.box !== null && Math.abs(first.decided!.deg - 3) < 0.5, JSON.stringify(first.decided));
    const second = await prepareForOcr(page, { ...options, decided: first.decided! });
    assert.deepEqual(second.decided, first.decided);
    assert.deepEqual([second.image.width, second.image.height, second.crop, second.skew], [first.image.width, first.image.height, first.crop, first.skew]);
    assert.ok(second.image.data.equals(first.image.data));
    // The decision given is applied as it is: nothing decided leaves the same small, askew page untouched.
    const left = await prepareForOcr(page, { ...options, decided: { factor: 1, box: null, deg: 0 } });
    assert.equal(left.image, page);
  });

  it('remembers nothing to do on a page without glyphs', async () => {
    const blank = await raw(await textImage([], { width: 400, height: 400 }), 0, 100);
    const prepared = await prepareForOcr(blank, options);
    assert.deepEqual(prepared.decided, { factor: 1, box: null, deg: 0 });
    assert.equal(prepared.image, blank);
  });
});
