/**
 * @module OCR with the native `tesseract` CLI (Debian `tesseract-ocr`, 5.3):
 * single-threaded processes, one per core (`OMP_THREAD_LIMIT=1`: its default
 * threading was 6× slower here, 8 s against 1.25 s an A4 page at 300 dpi; NOTES
 * "OCR"), each kept running and handed page after page (tesseract-process.ts), so
 * that Tesseract's start (~0.15 s of CPU) is paid once a process, not once a page.
 * A page is written into a private temporary folder as an uncompressed TIFF that
 * carries its resolution (tiff-file.ts), and its words come back as TSV. Files, not
 * stdin: Tesseract 5.3 reads image data from stdin through a character iterator,
 * 30–150 ms a page slower than the same bytes from a file (a 1 MP receipt and a
 * 300 dpi A4 page, here). A process left idle for `IDLE_MS` ends, giving its ~50 MB
 * back; each thresholding choice has its own processes, as Tesseract takes its
 * parameters once, at start.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Limiter } from '../../shared/limiter.ts';
import { TesseractProcess } from './tesseract-process.ts';
import { tiffHeader } from './tiff-file.ts';
import { parseTsv } from './tsv.ts';
import { thresholdingParameters, type OcrEngine, type OcrImage, type OcrWord, type Thresholding } from './types.ts';

/** How long an idle process is kept for the next page. */
const IDLE_MS = 30_000;
/** The page after each page, whose row closes the page's output (tesseract-process.ts): 8×8 white at 300 dpi. */
const BLANK: OcrImage = { data: Buffer.alloc(64, 255), channels: 1, width: 8, height: 8, dpi: 300, declaredDpi: 300 };

export interface NativeOptions {
  binary?: string;
  lang?: string;
  /** Concurrent processes; one per core. */
  concurrency: number;
  /** How long an idle process is kept; `IDLE_MS` by default (shorter in tests of the release). */
  idleMs?: number;
}

/** Whether `binary` runs and reports a version (checked once at start). */
export function nativeAvailable(binary = 'tesseract'): boolean {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 && /tesseract\s+\d/i.test(`${probe.stdout}${probe.stderr}`);
}

/** Writes the page as an uncompressed TIFF without copying its pixels into one buffer first. */
async function writeTiff(path: string, image: OcrImage): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writev([tiffHeader(image, image.declaredDpi === null ? null : Math.round(image.declaredDpi)), image.data]);
  } finally {
    await file.close();
  }
}

interface Idle {
  process: TesseractProcess;
  timer: NodeJS.Timeout;
}

/** The language packs `binary` has (`tesseract --list-langs`), asked once per engine. */
export function installedLanguages(binary = 'tesseract'): Set<string> {
  const probe = spawnSync(binary, ['--list-langs'], { encoding: 'utf8', timeout: 10_000 });
  return new Set(`${probe.stdout ?? ''}`.split('\n').slice(1).map((l) => l.trim()).filter((l) => /^[a-z_]+$/i.test(l)));
}

export function createNativeOcr(options: NativeOptions): OcrEngine {
  const binary = options.binary ?? 'tesseract';
  const defaultLang = options.lang ?? 'eng';
  let installed: Set<string> | null = null;
  const warned = new Set<string>();
  /** Tesseract's `-l` for a project's languages: those with an installed pack, joined by `+`; a missing pack is left out with one warning. */
  function langOf(languages: readonly string[] | undefined): string {
    if (!languages || languages.length === 0) return defaultLang;
    installed ??= installedLanguages(binary);
    const have = languages.filter((l) => installed!.has(l));
    for (const l of languages) {
      if (have.includes(l) || warned.has(l)) continue;
      warned.add(l);
      process.emitWarning(`OCR language ${l} has no Tesseract pack here (apt-get install tesseract-ocr-${l.replace(/_/g, '-')}); pages are read without it`);
    }
    return have.length > 0 ? have.join('+') : defaultLang;
  }
  const idleMs = options.idleMs ?? IDLE_MS;
  const limiter = new Limiter(options.concurrency);
  const idle = new Map<string, Idle[]>();
  const all = new Set<TesseractProcess>();
  let folder: Promise<string> | null = null;
  let pageNumber = 0;

  function take(thresholding: Thresholding, lang: string): TesseractProcess {
    const list = idle.get(`${thresholding}|${lang}`) ?? [];
    for (let next = list.pop(); next; next = list.pop()) {
      clearTimeout(next.timer);
      if (next.process.usable) return next.process;
      all.delete(next.process);
    }
    const params = Object.entries(thresholdingParameters(thresholding)).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
    const started = new TesseractProcess(binary, ['-l', lang, '--psm', '3', ...params]);
    all.add(started);
    return started;
  }

  function give(thresholding: Thresholding, lang: string, tesseract: TesseractProcess): void {
    if (!tesseract.usable) {
      all.delete(tesseract);
      return;
    }
    const list = idle.get(`${thresholding}|${lang}`) ?? [];
    const entry: Idle = {
      process: tesseract,
      timer: setTimeout(() => {
        // Taken entries have their timer cleared; a missing one must not splice(-1), which would drop the last.
        const at = list.indexOf(entry);
        if (at >= 0) list.splice(at, 1);
        all.delete(tesseract);
        void tesseract.close();
      }, idleMs).unref(),
    };
    list.push(entry);
    idle.set(`${thresholding}|${lang}`, list);
  }

  return {
    name: 'native',
    recognize(image: OcrImage, { timeoutMs, signal, thresholding = 'global', languages }): Promise<OcrWord[]> {
      const lang = langOf(languages);
      return limiter.run(async () => {
        folder ??= mkdtemp(join(tmpdir(), 'docket-ocr-'));
        const dir = await folder;
        const n = ++pageNumber;
        const path = join(dir, `page-${n}.tif`);
        const sentinel = join(dir, `page-${n}-end.tif`);
        try {
          // Made again if a temp cleaner took it while the engine sat idle (the folder lives as long as the engine).
          await mkdir(dir, { recursive: true });
          await Promise.all([writeTiff(path, image), writeTiff(sentinel, BLANK)]);
          const tesseract = take(thresholding, lang);
          try {
            return parseTsv(await tesseract.read(path, sentinel, timeoutMs, signal));
          } finally {
            give(thresholding, lang, tesseract);
          }
        } finally {
          await Promise.all([rm(path, { force: true }), rm(sentinel, { force: true })]);
        }
      });
    },
    async close() {
      for (const list of idle.values()) for (const entry of list) clearTimeout(entry.timer);
      idle.clear();
      await Promise.all([...all].map((p) => p.close()));
      all.clear();
      const made = folder;
      folder = null;
      if (made) await rm(await made, { recursive: true, force: true });
    },
  };
}
