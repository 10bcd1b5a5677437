/**
 * @module OCR with the native `tesseract` CLI (Debian `tesseract-ocr`, 5.3), one
 * single-threaded process per page: `OMP_THREAD_LIMIT=1` (its default threading was
 * 6× slower here: 8 s vs 1.25 s an A4 page at 300 dpi) and two processes on two
 * cores gave 0.62 s a page (NOTES "OCR"). The page is written as a PNM file into a
 * private temporary folder and the words come back as TSV on stdout: Tesseract 5.3
 * reads stdin through a character iterator, which cost 30–150 ms a page more than
 * reading the same bytes from a file (a 1 MP receipt and a 300 dpi A4 page, here).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskFailure } from '../../core/errors.ts';
import { Limiter } from './limiter.ts';
import { parseTsv } from './tsv.ts';
import { pnmHeader, thresholdingParameters, type OcrEngine, type OcrImage, type OcrWord } from './types.ts';

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

function runTesseract(binary: string, args: string[], timeoutMs: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
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
  });
}

/** Writes the page as a binary PNM without copying its pixels into one buffer first. */
async function writePnm(path: string, image: OcrImage): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writev([pnmHeader(image), image.data]);
  } finally {
    await file.close();
  }
}

export function createNativeOcr(options: NativeOptions): OcrEngine {
  const binary = options.binary ?? 'tesseract';
  const lang = options.lang ?? 'eng';
  const limiter = new Limiter(options.concurrency);
  let folder: Promise<string> | null = null;
  let pageNumber = 0;
  return {
    name: 'native',
    recognize(image: OcrImage, { timeoutMs, signal, thresholding }): Promise<OcrWord[]> {
      const dpi = image.declaredDpi ? ['--dpi', String(Math.round(image.declaredDpi))] : [];
      const params = thresholding === 'adaptive' ? Object.entries(thresholdingParameters(thresholding)).flatMap(([k, v]) => ['-c', `${k}=${v}`]) : [];
      return limiter.run(async () => {
        folder ??= mkdtemp(join(tmpdir(), 'docket-ocr-'));
        const path = join(await folder, `page-${++pageNumber}.pnm`);
        try {
          await writePnm(path, image);
          return parseTsv(await runTesseract(binary, [path, 'stdout', '-l', lang, '--psm', '3', ...dpi, ...params, 'tsv'], timeoutMs, signal));
        } finally {
          await rm(path, { force: true });
        }
      });
    },
    async close() {
      const made = folder;
      folder = null;
      if (made) await rm(await made, { recursive: true, force: true });
    },
  };
}
