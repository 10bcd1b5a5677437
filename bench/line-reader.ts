/**
 * @module Benchmark: what the line reader (ocr/line-reader.ts, docs/pages.md "Line
 * reader") costs on the SROIE receipts of the corpus, the documents it is for. Each
 * mode reads every receipt through `readPages`, two at a time on a page engine of
 * two threads, in a process of its own (peak RSS is a process's high-water mark), with
 * `MALLOC_ARENA_MAX=2` as `docket serve` and `docket worker` run. The baseline, in
 * the same run, is the same reading with `lineReading: 'off'`. Modes alternate over
 * `--reps` rounds; medians are printed.
 *
 *   node bench/line-reader.ts [--reps 3]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPageEngine } from '../src/pipeline/pages/engine.ts';
import { mapLimit } from '../src/shared/limiter.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';
import { arg, median } from './lib.ts';

const CORPUS = process.env.DOCKET_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname;
const DIR = join(CORPUS, 'labeled/receipts-sroie');

async function child(mode: 'off' | 'uncertain' | 'all'): Promise<void> {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.jpg'));
  const engine = createPageEngine({ threads: 2 });
  const signal = new AbortController().signal;
  const t0 = performance.now();
  await mapLimit(files, 2, (f) => engine.readPages({ filePath: join(DIR, f), fileType: 'jpeg', limits: DEFAULT_LIMITS, signal, lineReading: mode }));
  const seconds = (performance.now() - t0) / 1000;
  const peakMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  await engine.close();
  console.log(JSON.stringify({ files: files.length, seconds, peakMb }));
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  await child(process.argv[at + 1] as 'off' | 'uncertain' | 'all');
} else {
  if (!existsSync(DIR)) {
    console.log(`corpus not found at ${DIR}: set DOCKET_CORPUS`);
    process.exit(0);
  }
  const reps = arg('reps', 3);
  const modes = ['off', 'uncertain'] as const;
  const runs: Record<string, { seconds: number; peakMb: number }[]> = { off: [], uncertain: [] };
  let files = 0;
  for (let r = 0; r < reps; r++) {
    for (const mode of r % 2 ? [...modes].reverse() : modes) {
      const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--child', mode], { encoding: 'utf8', env: { ...process.env, MALLOC_ARENA_MAX: '2' } });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as { files: number; seconds: number; peakMb: number };
      files = result.files;
      runs[mode]!.push(result);
      console.log(`round ${r + 1} ${mode.padEnd(9)} ${result.seconds.toFixed(1)} s, peak RSS ${result.peakMb.toFixed(0)} MB`);
    }
  }
  const s = (m: string) => median(runs[m]!.map((x) => x.seconds));
  const mb = (m: string) => median(runs[m]!.map((x) => x.peakMb));
  console.log(`${files} receipts, medians of ${reps}:`);
  console.log(`  off (baseline)  ${s('off').toFixed(1)} s  ${mb('off').toFixed(0)} MB`);
  console.log(`  uncertain       ${s('uncertain').toFixed(1)} s  ${mb('uncertain').toFixed(0)} MB   time ×${(s('uncertain') / s('off')).toFixed(2)}, +${(mb('uncertain') - mb('off')).toFixed(0)} MB`);
}
