/**
 * @module Measures the activation ranges the line reader's int8 model is built with
 * (ocr/line-model-int8.ts) and writes them to src/pipeline/ocr/line-model-ranges.json.
 * Run once per model: the service reads the file and never measures.
 *
 * The lines are those of the SROIE receipts' `dev` half (scripts/eval-set.ts; the `test`
 * half is left for judging), every 4th line of their ground-truth boxes, cut as the
 * reader cuts a line (15 % of its height above and below, scaled to 48 px high, at most
 * 640 px wide) from the greyscale receipt. Each 1×1 convolution's input and output are
 * made outputs of the rewritten float model (ocr/line-model.ts), and the lowest and
 * highest value seen over all lines is its range. The file records the SHA-256 of the
 * float model it was measured on: another model runs in float until this is run again.
 *
 *   node scripts/line-model-ranges.ts [corpus/labeled/receipts-sroie]
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { attributes, readGraph, simplifyModel, writeGraph } from '../src/pipeline/ocr/line-model.ts';
import { DEFAULT_MODEL } from '../src/pipeline/ocr/line-runtime.ts';
import { int, ints, msg, str } from '../src/pipeline/ocr/onnx-proto.ts';
import { halfOf } from './eval-set.ts';

const DIR = process.argv[2] ?? new URL('../../shared/corpus/labeled/receipts-sroie', import.meta.url).pathname;
const OUT = new URL('../src/pipeline/ocr/line-model-ranges.json', import.meta.url).pathname;
const EVERY = 4;

/** The 48 px high crops of a receipt's ground-truth lines, as the model's input (grey in 3 channels, -1..1). */
async function lines(file: string): Promise<{ data: Float32Array; width: number }[]> {
  const { data: grey, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  const out: { data: Float32Array; width: number }[] = [];
  for (const row of readFileSync(file.replace(/\.jpg$/, '.gt.boxes.csv'), 'utf8').trim().split('\n')) {
    const [x0, y0, , , x1, y1] = row.split(',').slice(0, 8).map(Number) as number[];
    const pad = Math.round((y1! - y0!) * 0.15);
    const left = Math.max(0, x0! - pad);
    const top = Math.max(0, y0! - pad);
    const width = Math.min(info.width, x1! + pad) - left;
    const height = Math.min(info.height, y1! + pad) - top;
    if (width < 4 || height < 4) continue;
    const scaled = Math.min(640, Math.max(24, Math.round((width * 48) / height)));
    const px = await sharp(grey, { raw: { width: info.width, height: info.height, channels: 1 } }).extract({ left, top, width, height }).resize(scaled, 48, { fit: 'fill' }).greyscale().raw().toBuffer();
    const plane = 48 * scaled;
    const data = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) data[i] = data[i + plane] = data[i + 2 * plane] = px[i]! / 127.5 - 1;
    out.push({ data, width: scaled });
  }
  return out;
}

const float = simplifyModel(readFileSync(DEFAULT_MODEL)).bytes;
const { model, graph, nodes } = readGraph(float);
const names = new Set<string>();
for (const n of nodes) {
  const a = attributes(n);
  if (n.op === 'Conv' && ints(a.get('kernel_shape') ?? [], 8).every((k) => k === 1) && (ints(a.get('group') ?? [], 3)[0] ?? 1) === 1) {
    names.add(n.inputs[0]!);
    names.add(n.outputs[0]!);
  }
}
// Graph outputs (ValueInfoProto: 1 name, 2 type; TypeProto 1 tensor type; its 1 element type, 1 = float).
const probe = writeGraph(model, [...graph, ...[...names].map((n) => msg(12, [str(1, n), msg(2, [msg(1, [int(1, 1)])])]))], nodes);
const session = await ort.InferenceSession.create(probe, { intraOpNumThreads: 1, logSeverityLevel: 3 });
const ranges: Record<string, [number, number]> = Object.fromEntries([...names].map((n) => [n, [Infinity, -Infinity]]));
const files = readdirSync(DIR).filter((f) => f.endsWith('.jpg') && halfOf(f) === 'dev').sort();
let count = 0;
for (const f of files) {
  const all = await lines(join(DIR, f));
  for (let i = 0; i < all.length; i += EVERY) {
    const line = all[i]!;
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', line.data, [1, 3, 48, line.width]) }, [...names]);
    for (const n of names) {
      const r = ranges[n]!;
      for (const v of out[n]!.data as Float32Array) {
        if (v < r[0]) r[0] = v;
        if (v > r[1]) r[1] = v;
      }
    }
    count++;
  }
}
const sha256 = createHash('sha256').update(float).digest('hex');
writeFileSync(OUT, `${JSON.stringify({ model: sha256, lines: count, receipts: files.length, ranges }, null, 1)}\n`);
console.log(`${count} lines of ${files.length} dev receipts: ranges of ${names.size} tensors written to ${OUT}`);
