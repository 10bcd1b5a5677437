/**
 * @module Born-digital PDFs (generated with pdf-lib): words with boxes where they
 * were drawn, lines in reading order, /Rotate, the text-layer verdicts, and the
 * page-count and corrupt-file failures. No OCR runs here.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { judgeTextLayer } from '../../src/pipeline/pages/text-quality.ts';
import { wordsFromRuns } from '../../src/pipeline/pages/pdf-words.ts';
import { orderIntoLines } from '../../src/pipeline/pages/lines.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { TaskFailure } from '../../src/core/errors.ts';
import type { Word } from '../../src/core/page.ts';
import { textPdf, withTempDir } from './fixtures.ts';

const engine = createPageEngine({ threads: 2 });
after(() => engine.close());
const signal = new AbortController().signal;

function word(text: string, x = 0, y = 0): Word {
  return { text, box: { x, y, w: 10, h: 10 }, confidence: 1 };
}

describe('PDF text layer', () => {
  it('gives words with boxes in points from the top-left corner', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'a.pdf');
      await textPdf(path, [
        [
          { text: 'Invoice number 4711', x: 72, baseline: 100, size: 12 },
          { text: 'Total', x: 72, baseline: 200, size: 10 },
          { text: '99.50', x: 400, baseline: 200, size: 10 },
        ],
      ]);
      const [page] = await engine.readPages({ filePath: path, fileType: 'pdf', limits: DEFAULT_LIMITS, signal });
      assert.ok(page);
      assert.equal(page.source, 'text');
      assert.equal(page.width, 612);
      assert.equal(page.height, 792);
      assert.deepEqual(page.words.map((w) => w.text), ['Invoice', 'number', '4711', 'Total', '99.50']);
      const invoice = page.words[0]!;
      assert.ok(Math.abs(invoice.box.x - 72) < 0.5, `x ${invoice.box.x}`);
      assert.ok(Math.abs(invoice.box.y - (100 - 0.8 * 12)) < 0.5, `y ${invoice.box.y}`);
      assert.ok(Math.abs(invoice.box.h - 12) < 0.5);
      // "Total" and "99.50" share a baseline but sit 300 pt apart: two lines (label and value cells).
      assert.deepEqual(page.lines.map((l) => l.text), ['Invoice number 4711', 'Total', '99.50']);
      assert.deepEqual(page.lines[0]!.words, [0, 1, 2]);
    });
  });

  it('applies /Rotate to the page size and the boxes', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'r.pdf');
      await textPdf(path, [[{ text: 'Rotated words here', x: 72, baseline: 100, size: 12 }]], { rotate: 90 });
      const [page] = await engine.readPages({ filePath: path, fileType: 'pdf', limits: DEFAULT_LIMITS, signal });
      assert.equal(page!.width, 792);
      assert.equal(page!.height, 612);
      for (const w of page!.words) {
        assert.ok(w.box.x >= 0 && w.box.x + w.box.w <= 792 && w.box.y >= 0 && w.box.y + w.box.h <= 612, JSON.stringify(w.box));
      }
    });
  });

  it('refuses more pages than the limit, before reading them', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'm.pdf');
      await textPdf(path, [[{ text: 'one', x: 72, baseline: 72, size: 12 }], [{ text: 'two', x: 72, baseline: 72, size: 12 }], []]);
      await assert.rejects(
        engine.readPages({ filePath: path, fileType: 'pdf', limits: { ...DEFAULT_LIMITS, maxPages: 2 }, signal }),
        (err: unknown) => err instanceof TaskFailure && err.code === 'too_many_pages',
      );
    });
  });

  it('fails a damaged file with corrupt_file', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'bad.pdf');
      await writeFile(path, '%PDF-1.7\n' + 'garbage '.repeat(100));
      await assert.rejects(
        engine.readPages({ filePath: path, fileType: 'pdf', limits: DEFAULT_LIMITS, signal }),
        (err: unknown) => err instanceof TaskFailure && err.code === 'corrupt_file',
      );
    });
  });
});

describe('text-layer verdict', () => {
  it('tells usable, empty, sparse and garbage text apart', () => {
    assert.equal(judgeTextLayer([]), 'empty');
    assert.equal(judgeTextLayer([word('Page'), word('3')]), 'sparse');
    assert.equal(judgeTextLayer('This is a page of ordinary words in a sentence'.split(' ').map((t) => word(t))), 'usable');
    // What pdf.js extracts from truetype_font_nomapping.pdf.
    assert.equal(judgeTextLayer([word('"7+%-')]), 'garbage');
    assert.equal(judgeTextLayer('Xqzt Bnnm Kcvr Plmn Wxrt Dfgh'.split(' ').map((t) => word(t))), 'garbage');
    assert.equal(judgeTextLayer([word('\uE001\uE002\uE003')]), 'garbage');
  });
});

describe('words from runs', () => {
  const identity = [1, 0, 0, -1, 0, 792];
  it('joins runs that touch and splits runs on spaces', () => {
    const runs = [
      { str: 'Hel', transform: [10, 0, 0, 10, 100, 700], width: 15, height: 10 },
      { str: 'lo world', transform: [10, 0, 0, 10, 115, 700], width: 40, height: 10 },
    ];
    const words = wordsFromRuns(runs, identity);
    assert.deepEqual(words.map((w) => w.text), ['Hello', 'world']);
    assert.ok(Math.abs(words[0]!.box.y - (92 - 8)) < 1e-6);
  });

  it('orders lines top to bottom and words left to right', () => {
    const { words, lines } = orderIntoLines([word('b', 15, 100), word('c', 0, 200), word('a', 0, 100)]);
    assert.deepEqual(words.map((w) => w.text), ['a', 'b', 'c']);
    assert.deepEqual(lines.map((l) => l.text), ['a b', 'c']);
  });
});
