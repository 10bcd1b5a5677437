/**
 * @module The line reader past a page's time limit (pages/line-reading.ts): the page
 * keeps Tesseract's words with a note, the reader's thread is not terminated (inside
 * ONNX Runtime that aborted the whole process: `terminate called after throwing an
 * instance of 'Napi::Error'`, which the service must survive), and the next page is read
 * again by the reader. Also after the idle release, when the thread opens its session on
 * the page's lines. Runs in a child process, so that an abort fails the test with its
 * output rather than ending the test runner; needs `tesseract`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeAvailable } from '../../src/pipeline/ocr/native.ts';
import { textImage } from './fixtures.ts';

const skip = nativeAvailable() ? false : 'tesseract is not installed (apt-get install tesseract-ocr)';
if (skip && process.env.DOCKET_REQUIRE_TESSERACT === '1') throw new Error(skip);

const src = (path: string) => JSON.stringify(new URL(`../../src/${path}`, import.meta.url).href);

/**
 * Reads the page with a long limit, then with a limit of 50 ms for its lines only (the upright reading given, as the
 * engine hands it on), after `idle` ms without work, then again with the long limit; prints what each read kept.
 */
function script(file: string, idle: number): string {
  return `
    import { createNativeOcr } from ${src('pipeline/ocr/native.ts')};
    import { createPagePool } from ${src('pipeline/pages/pool.ts')};
    import { createLineReading } from ${src('pipeline/pages/line-reading.ts')};
    import { DEFAULT_LIMITS } from ${src('pipeline/types.ts')};
    import sharp from 'sharp';
    const { data, info } = await sharp(${JSON.stringify(file)}).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const image = { data, channels: 1, bits: 8, width: info.width, height: info.height, dpi: 300, declaredDpi: 300 };
    const ocr = createNativeOcr({ concurrency: 1 });
    const signal = new AbortController().signal;
    const words = await ocr.recognize(image, { timeoutMs: 60000, signal });
    const pool = createPagePool({ threads: 1, idleMs: 200 });
    const lines = createLineReading({ pool, mode: 'all', startTimeoutMs: 60000 });
    const input = (ms) => ({ filePath: ${JSON.stringify(file)}, fileType: 'png', signal, limits: { ...DEFAULT_LIMITS, pageTimeoutMs: ms } });
    const read = async (ms) => {
      const out = await lines.readAgain(image, { words, rotation: 0, dpi: 300 }, input(ms));
      const changed = out.words !== words;
      console.log(JSON.stringify({ changed, notes: out.notes ?? [] }));
    };
    await read(60000);
    await new Promise((r) => setTimeout(r, ${idle}));
    await read(50);
    await read(60000);
    await lines.settled();
    await Promise.all([pool.close(), ocr.close()]);
    console.log('closed');`;
}

describe('line reader past the time limit', { skip }, () => {
  let dir = '';
  let file = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docket-reader-timeout-'));
    file = join(dir, 'page.png');
    // 24 lines: reading them again takes longer than the 50 ms limit of the second read (~10 ms a line here).
    const lines = Array.from({ length: 24 }, (_, i) => `Item ${i + 1} delivered on 2026-12-${String(i + 1).padStart(2, '0')} for ${(i + 1) * 7}.50 EUR`);
    await writeFile(file, await textImage(lines, { size: 32 }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const [what, idle] of [['with its session open', 0], ['in a thread started again after the idle release', 1000]] as const) {
    it(`keeps Tesseract's words with a note and goes on, ${what}`, () => {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script(file, idle)], { encoding: 'utf8', timeout: 120_000, cwd: new URL('../..', import.meta.url).pathname });
      assert.equal(run.status, 0, `exit ${run.status} ${run.signal ?? ''}: ${run.stderr}`);
      const [first, late, again, closed] = run.stdout.trim().split('\n');
      assert.deepEqual(JSON.parse(first!), { changed: true, notes: [] });
      const timedOut = JSON.parse(late!) as { changed: boolean; notes: string[] };
      assert.equal(timedOut.changed, false);
      assert.match(timedOut.notes.join(' '), /line reader: reading the lines again took longer than 50 ms; Tesseract's words kept/);
      assert.deepEqual(JSON.parse(again!), { changed: true, notes: [] });
      assert.equal(closed, 'closed');
    });
  }
});
