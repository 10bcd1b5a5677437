/**
 * @module The real documents of the corpus (test/helpers/corpus.ts: skipped with the
 * reason when it is absent, a failure when DOCKET_REQUIRE_CORPUS=1): every file in
 * pdf-text, pdf-scanned, tiff and images yields pages with words, and the text
 * checks the source test suites make hold (page order, turned pages read upright,
 * garbage text layers OCR'd). OCR runs at 200 dpi
 * here to keep the suite within its time budget on two cores, without enlarging small
 * text (which would render most of these pages at 300 dpi again: 99 s instead of 67 s
 * here; enlarging has its own tests in prepare.test.ts). Deskew stays on: skew.pdf
 * must read as well as its straight original.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { sniffFile } from '../../src/pipeline/sniff.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import type { Page } from '../../src/core/page.ts';
import { flatText } from './fixtures.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';

const DIRS = ['pdf-text', 'pdf-scanned', 'tiff', 'images'];
const skip = skipCorpus(...DIRS);
const engine = createPageEngine({ threads: 2, enlargeSmallText: false });
after(() => engine.close());
const limits = { ...DEFAULT_LIMITS, ocrDpi: 200 };

/** Files with no text to find: a 7×7 px two-page test file and a photo (MANIFEST `what`). */
const NO_TEXT = new Set(['tiff/compression-2page-ccittrle-packbits.tif', 'tiff/hopper_bigtiff.tif']);

async function read(rel: string): Promise<Page[]> {
  const path = join(CORPUS, rel);
  const type = await sniffFile(path);
  assert.ok(type, `${rel} is a supported type`);
  return engine.readPages({ filePath: path, fileType: type, limits, signal: new AbortController().signal });
}

const files = !skip
  ? DIRS.flatMap((dir) =>
      readdirSync(join(CORPUS, dir))
        .filter((f) => !f.endsWith('.txt') && !f.endsWith('.json'))
        .map((f) => `${dir}/${f}`),
    )
  : [];

describe('corpus', { skip }, () => {
  for (const rel of files) {
    it(`${rel} yields pages with words`, async () => {
      const pages = await read(rel);
      assert.ok(pages.length > 0);
      if (!NO_TEXT.has(rel)) assert.ok(pages.every((p) => p.words.length > 0 && p.lines.length > 0), pages.map((p) => p.words.length).join(','));
      for (const p of pages) assert.ok(p.width > 0 && p.height > 0);
    });
  }

  it('reads page 1, 2, 3 in order from image-only and mixed files', async () => {
    for (const rel of ['pdf-scanned/paperless-multi-page-images.pdf', 'tiff/paperless-multi-page-images.tiff', 'pdf-scanned/paperless-multi-page-mixed.pdf']) {
      const pages = await read(rel);
      pages.slice(0, 3).forEach((p, i) => assert.match(flatText(p.words), new RegExp(`page ${i + 1}`), rel));
    }
  });

  it('uses the text layer where it is good and OCR where it is not', async () => {
    assert.equal((await read('pdf-text/us_constitution.pdf')).every((p) => p.source === 'text'), true);
    const garbage = await read('pdf-text/truetype_font_nomapping.pdf');
    assert.equal(garbage[0]!.source, 'ocr');
    const curves = await read('pdf-text/vector-text-as-curves.pdf');
    assert.equal(curves[0]!.source, 'ocr');
    assert.match(flatText(curves[0]!.words), /sample vector pdf/);
  });

  it('reads the skewed copy of a page as well as the straight original', async () => {
    const [skewed] = await read('pdf-scanned/skew.pdf');
    const [straight] = await read('pdf-scanned/linn.pdf');
    // Read as it is, the skewed page gave 670 words against 730 (docs/pages.md "Deskew").
    assert.ok(skewed!.words.length >= 0.97 * straight!.words.length, `${skewed!.words.length} words against ${straight!.words.length}`);
  });

  it('turns the pages of cardinal.pdf upright', async () => {
    const pages = await read('pdf-scanned/cardinal.pdf');
    assert.deepEqual(pages.map((p) => p.rotation), [0, 270, 180, 90]);
    for (const p of pages) {
      assert.match(p.lines[0]!.text, /LinnSequencer/);
      assert.ok(p.width < p.height, 'upright pages are portrait');
    }
  });
});
