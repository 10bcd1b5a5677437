/**
 * @module Benchmark: what the line reader (ocr/line-reader.ts, docs/pages.md "Line
 * reader") costs on the SROIE receipts of the corpus, the documents it is for. Each
 * mode reads the first `--receipts` receipts through `readPages`, two at a time on a
 * page engine of two threads, in a process of its own (peak RSS is a process's
 * high-water mark), with `MALLOC_ARENA_MAX=2` as `docket serve` and `docket worker`
 * run. Modes: `uncertain` on the native ONNX Runtime (the default float model), the
 * same with the int8 model, and the float model on the WebAssembly runtime; the
 * baseline, in the same run, is the same reading with `lineReading: 'off'`. Modes rotate
 * over `--reps` rounds; medians are printed: wall time, peak RSS, and the CPU time of
 * the process (its page and reader threads; Tesseract's processes are not in it), which
 * a shared machine's load inflates less than wall time.
 *
 *   node bench/line-reader.ts [--reps 3] [--receipts 30]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createPageEngine } from '../src/pipeline/pages/engine.ts';
import { mapLimit } from '../src/shared/limiter.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';
import { arg, median } from './lib.ts';

const CORPUS = process.env.DOCKET_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname;
const DIR = join(CORPUS, 'labeled/receipts-sroie');

type Mode = 'off' | 'native' | 'int8' | 'wasm';

async function child(mode: Mode, receipts: number): Promise<void> {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.jpg')).sort().slice(0, receipts);
  const engine = createPageEngine({ threads: 2, lineReader: { runtime: mode === 'wasm' ? 'wasm' : 'native', precision: mode === 'int8' ? 'int8' : 'float' } });
  const signal = new AbortController().signal;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await mapLimit(files, 2, (f) => engine.readPages({ filePath: join(DIR, f), fileType: 'jpeg', limits: DEFAULT_LIMITS, signal, lineReading: mode === 'off' ? 'off' : 'uncertain' }));
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6;
  const peakMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  await engine.close();
  console.log(JSON.stringify({ files: files.length, seconds, cpu, peakMb }));
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  await child(process.argv[at + 1] as Mode, arg('receipts', 30));
} else {
  if (!existsSync(DIR)) {
    console.log(`corpus not found at ${DIR}: set DOCKET_CORPUS`);
    process.exit(0);
  }
  const reps = arg('reps', 3);
  const modes = ['off', 'native', 'int8', 'wasm'] as const;
  const runs: Record<string, { seconds: number; cpu: number; peakMb: number }[]> = { off: [], native: [], int8: [], wasm: [] };
  let files = 0;
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(k + r) % modes.length]!;
      const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--child', mode, '--receipts', String(arg('receipts', 30))], { encoding: 'utf8', env: { ...process.env, MALLOC_ARENA_MAX: '2' } });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as { files: number; seconds: number; cpu: number; peakMb: number };
      files = result.files;
      runs[mode]!.push(result);
      console.log(`round ${r + 1} ${mode.padEnd(9)} ${result.seconds.toFixed(1)} s, CPU ${result.cpu.toFixed(1)} s, peak RSS ${result.peakMb.toFixed(0)} MB, load ${(loadavg()[0] ?? 0).toFixed(2)}`);
    }
  }
  const s = (m: string) => median(runs[m]!.map((x) => x.seconds));
  const mb = (m: string) => median(runs[m]!.map((x) => x.peakMb));
  const cpu = (m: string) => median(runs[m]!.map((x) => x.cpu));
  const names: Record<string, string> = { native: 'native float', int8: 'native int8', wasm: 'wasm float' };
  console.log(`${files} receipts, medians of ${reps}:`);
  console.log(`  off (baseline)          ${s('off').toFixed(1)} s  CPU ${cpu('off').toFixed(1)} s  ${mb('off').toFixed(0)} MB`);
  for (const m of ['native', 'int8', 'wasm']) {
    console.log(`  uncertain, ${names[m]!.padEnd(12)} ${s(m).toFixed(1)} s  CPU ${cpu(m).toFixed(1)} s  ${mb(m).toFixed(0)} MB   time ×${(s(m) / s('off')).toFixed(2)}, CPU +${(cpu(m) - cpu('off')).toFixed(1)} s, +${(mb(m) - mb('off')).toFixed(0)} MB`);
  }
}
