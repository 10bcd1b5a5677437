/**
 * @module The page engine's idle release (docs/pages.md "Idle release"): Tesseract
 * processes and the page and reader threads end after `idleMs` idle and start again
 * on the next page. A read that times out settles at once, even when nothing else
 * keeps Node running (run in a child process with a top-level await, as bench/ocr
 * runs: before the fix Node ended with "unsettled top-level await", exit 13); a page
 * read after the release, or while it is in progress, reads as the first did. The
 * idle times are shortened through `idleMs`; the tests need `tesseract`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNativeOcr, nativeAvailable } from '../../src/pipeline/ocr/native.ts';
import type { OcrImage } from '../../src/pipeline/ocr/types.ts';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { textImage } from './fixtures.ts';

const skip = nativeAvailable() ? false : 'tesseract is not installed (apt-get install tesseract-ocr)';
if (skip && process.env.DOCKET_REQUIRE_TESSERACT === '1') throw new Error(skip);

const NATIVE = new URL('../../src/pipeline/ocr/native.ts', import.meta.url).href;
const LINES = ['Invoice number 4711', 'Total amount 129.50 EUR', 'Thank you for your order'];
const IDLE_MS = 300;

/** The `tesseract` processes this process has started and that still run (their parent is one of its threads). */
function tesseracts(): number {
  let n = 0;
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const children = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const pid of children) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'tesseract') n++;
      } catch {
        // Ended between the two reads.
      }
    }
  }
  return n;
}

/** Waits until `done()` holds, checking every 50 ms; fails past `ms` (a bound against a hang, not a timing). */
async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  for (const end = Date.now() + ms; !done(); await sleep(50)) if (Date.now() > end) assert.fail(`${what} after ${ms} ms`);
}

describe('idle release: a read that times out', { skip }, () => {
  it('settles at once with page_timeout, with nothing else keeping Node running', () => {
    // A whole A4 page cannot be read in 1 ms; the script awaits the read at its top level, as bench/ocr does.
    const script = `
      import { createNativeOcr } from ${JSON.stringify(NATIVE)};
      const ocr = createNativeOcr({ concurrency: 1 });
      const image = { data: Buffer.alloc(2480 * 3508, 255), channels: 1, width: 2480, height: 3508, dpi: 300, declaredDpi: 300 };
      try {
        await ocr.recognize(image, { timeoutMs: 1, signal: new AbortController().signal });
        console.log('read');
      } catch (err) {
        console.log('rejected', err.code);
      }
      await ocr.close();
      console.log('closed');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, `exit ${run.status}: ${run.stderr}`);
    assert.deepEqual(run.stdout.trim().split('\n'), ['rejected page_timeout', 'closed']);
  });

  it('leaves the next page to a new process, and an abort settles the read with its reason', async () => {
    const ocr = createNativeOcr({ concurrency: 1 });
    const image: OcrImage = { data: Buffer.alloc(2480 * 3508, 255), channels: 1, width: 2480, height: 3508, dpi: 300, declaredDpi: 300 };
    const never = new AbortController().signal;
    try {
      await assert.rejects(ocr.recognize(image, { timeoutMs: 1, signal: never }), { code: 'page_timeout' });
      const abort = new AbortController();
      const reading = ocr.recognize(image, { timeoutMs: 60_000, signal: abort.signal });
      await sleep(100);
      abort.abort(new Error('task canceled'));
      await assert.rejects(reading, /task canceled/);
      assert.deepEqual(await ocr.recognize(image, { timeoutMs: 60_000, signal: never }), []);
    } finally {
      await ocr.close();
    }
  });
});

describe('idle release: pages read after it', { skip }, () => {
  let dir = '';
  let file = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docket-idle-'));
    file = join(dir, 'page.png');
    await writeFile(file, await textImage(LINES));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads the same words after Tesseract and the threads were let go, and while they are being let go', async () => {
    const engine = createPageEngine({ ocr: 'native', threads: 1, lineReading: 'all', idleMs: IDLE_MS });
    const input = { filePath: file, fileType: 'png' as const, limits: DEFAULT_LIMITS, signal: new AbortController().signal };
    const text = async () => (await engine.readPages(input))[0]!.lines.map((l) => l.text).join('\n');
    try {
      // The process may already be let go when the read returns (the line reader reads after it): watched meanwhile.
      let seen = 0;
      const watch = setInterval(() => (seen = Math.max(seen, tesseracts())), 10);
      const first = await text().finally(() => clearInterval(watch));
      assert.match(first, /Total amount 129.50 EUR/);
      assert.equal(seen, 1);
      await until(() => tesseracts() === 0, 20 * IDLE_MS, 'the idle Tesseract process still ran');
      assert.equal(await text(), first);
      // Reads that arrive around the moment the release happens: just before, at, and just after it.
      for (const wait of [IDLE_MS - 20, IDLE_MS - 5, IDLE_MS, IDLE_MS + 5, IDLE_MS + 20]) {
        await sleep(wait);
        assert.equal(await text(), first, `read after ${wait} ms idle`);
      }
    } finally {
      await engine.close();
    }
    assert.equal(tesseracts(), 0);
  });
});
