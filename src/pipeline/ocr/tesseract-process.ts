/**
 * @module One long-lived `tesseract` process that reads page after page. Started
 * with `-c stream_filelist=1` and the input `-`, Tesseract 5 reads file names from
 * stdin one line at a time and writes each page's TSV to stdout as soon as it is
 * read (`TessBaseAPI::ProcessPagesFileList`). Starting Tesseract — loading the model
 * and its dictionaries — costs ~0.15 s of CPU here (an 8×8 blank page takes 0.17 s),
 * a quarter of reading a 1 MP receipt; one process per core pays it once. On the 13
 * pages of bench/ocr this read the same TSV, byte for byte, in 7.0 s against 9.7 s
 * for one process a page.
 *
 * Tesseract marks where a page's output begins (its level-1 row) but not where it
 * ends, so every page is followed by a blank 8×8 page, the sentinel: the sentinel's
 * row closes the page before it. A page that cannot be read ends the whole process
 * (exit 1); so do a timeout and an abort, which kill it. The page in flight then
 * fails and the process is not used again (native.ts starts another).
 *
 * A timeout or an abort settles the page at once, without waiting for the killed
 * process's 'close': the process and its pipes are unref'd (so that an idle one does
 * not keep Node running), so once the timer has fired nothing held Node until that
 * event, and a read with no other work pending never settled; Node ended with
 * "unsettled top-level await" (docs/pages.md "Idle release").
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { TaskFailure } from '../../core/errors.ts';

interface Pending {
  page: number;
  sentinel: number;
  rows: string[];
  resolve: (tsv: string) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal;
}

const TSV_HEADER = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
/** stderr kept for an error message: Tesseract's last words, without its per-page chatter. */
const STDERR_KEPT = 4096;
const CHATTER = /^(Page \d+ : |Detected \d+ diacritics)/;

export class TesseractProcess {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private pending: Pending | null = null;
  private inputs = 0;
  private partial = '';
  private stderr = '';
  private exited = false;
  /** Stopped or closing: takes no more pages, whether or not it has exited yet. */
  private retired = false;

  /** `args` are Tesseract's options besides input and output (language, page segmentation, `-c` parameters). */
  constructor(binary: string, args: readonly string[]) {
    this.child = spawn(binary, ['-', 'stdout', '-c', 'stream_filelist=1', ...args, 'tsv'], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEPT);
    });
    // A write to a process that has just died fails with EPIPE; the exit below reports it.
    this.child.stdin.on('error', () => {});
    // An idle process must not keep Node running (a read in flight does, through its timer). Should Node end
    // without closing it, Tesseract sees its stdin close and ends too.
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.child.on('error', (err) => this.finish(err));
    this.child.on('close', (code, sig) => this.finish(null, code, sig));
  }

  /** Whether the process can take another page. */
  get usable(): boolean {
    return !this.retired && !this.exited && this.pending === null;
  }

  /** The TSV of the page at `path` (a file Tesseract can read), header included; `sentinel` is a blank page's file. */
  read(path: string, sentinel: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
    if (!this.usable) return Promise.reject(new Error('tesseract process is busy or gone'));
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => this.stop(new TaskFailure('page_timeout', `OCR of a page took longer than ${timeoutMs} ms`)), timeoutMs);
      const onAbort = (): void => this.stop(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.pending = null;
      };
      this.pending = {
        page: this.inputs + 1,
        sentinel: this.inputs + 2,
        rows: [TSV_HEADER],
        resolve: (tsv) => (done(), resolve(tsv)),
        reject: (err) => (done(), reject(err)),
        signal,
      };
      this.inputs += 2;
      this.child.stdin.write(`${path}\n${sentinel}\n`);
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Fails the page in flight with `reason` now, and kills the process, which is not used again. */
  private stop(reason: unknown): void {
    this.retired = true;
    this.pending?.reject(reason);
    this.kill();
  }

  /** Ends the process: stdin closed, so Tesseract finishes and exits, or is killed after 5 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    // Waited for with the process ref'd: an unref'd process's exit would not keep Node running until it is seen.
    this.child.ref();
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.retired = true;
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), 5_000);
    await gone;
    clearTimeout(timer);
  }

  private onStdout(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const p = this.pending;
      if (!p || line.startsWith('level\t')) continue;
      const tab = line.indexOf('\t');
      const page = Number(line.slice(tab + 1, line.indexOf('\t', tab + 1)));
      if (page === p.page) p.rows.push(line);
      else if (page === p.sentinel) p.resolve(p.rows.join('\n'));
    }
  }

  private finish(err: Error | null, code?: number | null, sig?: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    const p = this.pending;
    if (!p) return;
    if (p.signal.aborted) p.reject(p.signal.reason);
    else if (err) p.reject(err);
    else {
      const said = this.stderr.split('\n').filter((l) => l.trim() !== '' && !CHATTER.test(l)).join(' ').trim();
      p.reject(new Error(`tesseract exited with ${code ?? sig}: ${said.slice(-300)}`));
    }
  }
}
