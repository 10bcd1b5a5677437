/**
 * @module OCR with the native `tesseract` CLI (Debian `tesseract-ocr`, 5.3), one
 * single-threaded process per page: `OMP_THREAD_LIMIT=1` (its default threading was
 * 6× slower here: 8 s vs 1.25 s an A4 page at 300 dpi) and two processes on two
 * cores gave 0.62 s a page (NOTES "OCR"). The page goes in on stdin as PGM and the
 * words come back as TSV on stdout, so nothing touches the disk.
 */
import { spawn, spawnSync } from 'node:child_process';
import { TaskFailure } from '../../core/errors.ts';
import { Limiter } from './limiter.ts';
import { parseTsv } from './tsv.ts';
import { toPgm, type OcrEngine, type OcrImage, type OcrWord } from './types.ts';

export interface NativeOptions {
  binary?: string;
  lang?: string;
  /** Concurrent processes; one per core. */
  concurrency: number;
}

/** Whether `binary` runs and reports a version (checked once at start). */
export function nativeAvailable(binary = 'tesseract'): boolean {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 && /tesseract\s+\d/i.test(`${probe.stdout}${probe.stderr}`);
}

function runTesseract(binary: string, args: string[], input: Buffer, timeoutMs: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 4096) err += chunk.toString('utf8');
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(signal.reason);
      else if (timedOut) reject(new TaskFailure('page_timeout', `OCR of a page took longer than ${timeoutMs} ms`));
      else if (code !== 0) reject(new Error(`tesseract exited with ${code}: ${err.trim().slice(0, 300)}`));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
    child.stdin.end(input);
  });
}

export function createNativeOcr(options: NativeOptions): OcrEngine {
  const binary = options.binary ?? 'tesseract';
  const lang = options.lang ?? 'eng';
  const limiter = new Limiter(options.concurrency);
  return {
    name: 'native',
    recognize(image: OcrImage, { timeoutMs, signal }): Promise<OcrWord[]> {
      const dpi = image.declaredDpi ? ['--dpi', String(Math.round(image.declaredDpi))] : [];
      const args = ['stdin', 'stdout', '-l', lang, '--psm', '3', ...dpi, 'tsv'];
      return limiter.run(async () => parseTsv(await runTesseract(binary, args, toPgm(image), timeoutMs, signal)));
    },
    async close() {},
  };
}
