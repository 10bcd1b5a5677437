/**
 * @module OCR with tesseract.js 7 (Tesseract compiled to WebAssembly), the engine
 * that needs nothing installed. Offline by construction (NOTES "OCR"): language data
 * from `@tesseract.js-data/eng` (`4.0.0_best_int`) as `langPath` and `cacheMethod:
 * 'none'`, so nothing is downloaded or written. Page segmentation is AUTO: the
 * default single-block mode read speckled scans at 13.9 % character errors instead
 * of 1.0 %. Workers (≈0.2 s start, ≈280 MB each) are created on first use, one per
 * core, and replaced when a page times out. Only English data is installed: a
 * project's other `ocr.languages` (`@tesseract.js-data/deu`, `fra`, `nld` exist on
 * npm but are not dependencies) are read as English, with one warning per language;
 * the native engine reads them (docs/project-file.md#ocr-languages).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { TaskFailure } from '../../core/errors.ts';
import { thresholdingParameters, toPgm, type OcrEngine, type OcrImage, type OcrWord } from './types.ts';

const require = createRequire(import.meta.url);

export function tesseractJsLangPath(): string {
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

async function startWorker(langPath: string): Promise<Worker> {
  const worker = await createWorker('eng', OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
  return worker;
}

function wordsOf(result: Awaited<ReturnType<Worker['recognize']>>): OcrWord[] {
  const words: OcrWord[] = [];
  (result.data.blocks ?? []).forEach((block, b) => {
    block.paragraphs.forEach((par, p) => {
      par.lines.forEach((line, l) => {
        for (const w of line.words) {
          const text = w.text.trim();
          if (text === '') continue;
          words.push({
            text,
            x: w.bbox.x0,
            y: w.bbox.y0,
            w: w.bbox.x1 - w.bbox.x0,
            h: w.bbox.y1 - w.bbox.y0,
            confidence: Math.max(0, Math.min(1, w.confidence / 100)),
            line: `${b}.${p}.${l}`,
          });
        }
      });
    });
  });
  return words;
}

export function createTesseractJsOcr(options: { concurrency: number }): OcrEngine {
  const langPath = tesseractJsLangPath();
  const idle: Worker[] = [];
  const waiting: { resolve: (w: Worker) => void; reject: (err: unknown) => void }[] = [];
  let started = 0;
  const all = new Set<Worker>();

  const acquire = async (): Promise<Worker> => {
    const free = idle.pop();
    if (free) return free;
    if (started < Math.max(1, options.concurrency)) {
      started++;
      try {
        const w = await startWorker(langPath);
        all.add(w);
        return w;
      } catch (err) {
        started--;
        throw err;
      }
    }
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  const release = (w: Worker): void => {
    const next = waiting.shift();
    if (next) next.resolve(w);
    else idle.push(w);
  };
  const discard = (w: Worker): void => {
    all.delete(w);
    started--;
    void w.terminate().catch(() => undefined);
    const next = waiting.shift();
    if (next) acquire().then(next.resolve, next.reject);
  };

  const warned = new Set<string>();
  return {
    name: 'tesseract.js',
    async recognize(image: OcrImage, { timeoutMs, signal, thresholding, languages }): Promise<OcrWord[]> {
      signal.throwIfAborted();
      for (const l of languages ?? []) {
        if (l === 'eng' || warned.has(l)) continue;
        warned.add(l);
        process.emitWarning(`OCR language ${l}: tesseract.js has English data only here; the native engine (apt-get install tesseract-ocr tesseract-ocr-${l}) reads it`);
      }
      const worker = await acquire();
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TaskFailure('page_timeout', `OCR of a page took longer than ${timeoutMs} ms`)), timeoutMs);
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        // 0 = unset: Tesseract estimates the resolution from the text, as the CLI does for a file without one.
        // Set on every call: a worker keeps its parameters between pages.
        await worker.setParameters({ user_defined_dpi: String(Math.round(image.declaredDpi ?? 0)), ...thresholdingParameters(thresholding) });
        const result = await Promise.race([worker.recognize(toPgm(image), {}, { blocks: true, text: false }), stop]);
        release(worker);
        return wordsOf(result);
      } catch (err) {
        discard(worker);
        throw err;
      } finally {
        clearTimeout(timer);
        if (onAbort) signal.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      const workers = [...all];
      all.clear();
      idle.length = 0;
      await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
    },
  };
}
