/**
 * @module The line reader's model rewrite (ocr/line-model.ts) and the protobuf fields
 * it rests on (ocr/onnx-proto.ts): the shipped model's bytes survive a decode and an
 * encode unchanged; the rewrite finds the backbone's patterns, gives the same model
 * bytes every time (a checksum: a new model package must be measured again, docs/pages.md
 * "Line reader"), leaves nothing to rewrite a second time, and the rewritten model
 * gives, on a generated text line, the original's class probabilities within 1e-4
 * and so the same characters. The int8 model (ocr/line-model-int8.ts) is built from the
 * committed ranges, which were measured on this float model, moves the model to opset 11
 * (ONNX Runtime refuses an opset-9 `Slice` there) and reads the line to the same
 * characters; an operator the int8 rewrite does not know is refused. The head's rewrite
 * (ocr/line-model-head.ts) gives each step's best class and probability exactly as found
 * in all the probabilities. Needs the native
 * ONNX Runtime only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { quantizeModel, type Ranges } from '../../src/pipeline/ocr/line-model-int8.ts';
import { readGraph, simplifyModel, writeGraph } from '../../src/pipeline/ocr/line-model.ts';
import { bestClasses, DEFAULT_MODEL } from '../../src/pipeline/ocr/line-runtime.ts';
import { BEST_CLASS, BEST_P, withBestClass } from '../../src/pipeline/ocr/line-model-head.ts';
import { decode, encode, float32, int, ints, msg, str } from '../../src/pipeline/ocr/onnx-proto.ts';
import { textImage } from './fixtures.ts';

const original = readFileSync(DEFAULT_MODEL);

/** A 48 px high text line as the model's input: grey in three channels, scaled to -1..1. */
async function lineInput(): Promise<{ data: Float32Array; width: number }> {
  // textImage puts the baseline at y 200; a 40 px font rises ~30 px above it and descends ~10 below.
  const png = await textImage(['TOTAL RM 30.90 CASH'], { width: 700, height: 260, size: 40 });
  const { data, info } = await sharp(png).extract({ left: 80, top: 160, width: 560, height: 56 }).greyscale().resize({ height: 48 }).raw().toBuffer({ resolveWithObject: true });
  const plane = 48 * info.width;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) out[i] = out[i + plane] = out[i + 2 * plane] = data[i]! / 127.5 - 1;
  return { data: out, width: info.width };
}

/** Greedy CTC decoding of the probabilities: the class indices read, spaces (the last class) left out as the merge leaves them (ocr/line-merge.ts). */
function classes(probs: Float32Array, width = 6625): number[] {
  const out: number[] = [];
  let previous = 0;
  for (let t = 0; t < probs.length / width; t++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (probs[t * width + c]! > probs[t * width + best]!) best = c;
    if (best !== 0 && best !== previous && best !== width - 1) out.push(best);
    previous = best;
  }
  return out;
}

async function probabilities(model: Uint8Array, input: { data: Float32Array; width: number }): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input.data, [1, 3, 48, input.width]) });
  await session.release();
  return out[session.outputNames[0]!]!.data as Float32Array;
}

describe('ONNX protobuf fields', () => {
  it('decodes and encodes the shipped model to the same bytes', () => {
    assert.equal(Buffer.compare(Buffer.from(encode(decode(original))), original), 0);
  });

  it('writes varints, strings, floats and nested messages that decode back', () => {
    const fields = decode(encode([int(1, 300), str(2, 'HardSigmoid'), float32(3, 0.5), msg(4, [int(1, 2 ** 40)])]));
    assert.deepEqual(ints(fields, 1), [300]);
    assert.equal(Buffer.from(fields[1]!.raw).toString(), 'HardSigmoid');
    assert.equal(new DataView(fields[2]!.raw.buffer, fields[2]!.raw.byteOffset, 4).getFloat32(0, true), 0.5);
    assert.deepEqual(ints(decode(fields[3]!.raw), 1), [2 ** 40]);
    assert.throws(() => decode(Uint8Array.from([0x0a, 0x05, 0x01])), /ends inside a field/);
  });
});

describe('line model rewrite', () => {
  const { bytes, rewrites } = simplifyModel(original);

  it('folds the backbone\'s affines and spells its hard-swish in two operators, the same way every time', () => {
    assert.deepEqual(rewrites, { convAffine: 28, hardSwish: 28, affineConv: 12 });
    assert.equal(createHash('sha256').update(bytes).digest('hex'), '83014b4cc9f5379491c5bfb07fdf785df767aca56805bc81c399314ef1711ce1');
    assert.deepEqual(simplifyModel(bytes).rewrites, { convAffine: 0, hardSwish: 0, affineConv: 0 });
  });

  it('gives the original model\'s probabilities on a text line', async () => {
    const input = await lineInput();
    const [before, after] = await Promise.all([probabilities(original, input), probabilities(bytes, input)]);
    assert.equal(after.length, before.length);
    let worst = 0;
    for (let i = 0; i < before.length; i++) worst = Math.max(worst, Math.abs(before[i]! - after[i]!));
    assert.ok(worst < 1e-4, `largest difference ${worst}`);
  });

  it('builds the int8 model from the ranges measured on this float model, and it reads a line to the same characters', async () => {
    const measured = JSON.parse(readFileSync(new URL('../../src/pipeline/ocr/line-model-ranges.json', import.meta.url), 'utf8')) as { model: string; ranges: Ranges };
    assert.equal(measured.model, createHash('sha256').update(bytes).digest('hex'));
    const int8 = quantizeModel(bytes, measured.ranges);
    assert.equal(int8.convolutions, 21);
    assert.ok(int8.bytes.length < 0.7 * bytes.length, `${int8.bytes.length} bytes against ${bytes.length}`);
    const input = await lineInput();
    const [float, quantised] = await Promise.all([probabilities(bytes, input), probabilities(int8.bytes, input)]);
    assert.ok(classes(float).length >= 14, `${classes(float).length} characters`);
    assert.deepEqual(classes(quantised), classes(float));
  });

  it('refuses to build an int8 model from a graph with an operator it does not know', () => {
    const { model, graph, nodes } = readGraph(bytes);
    const odd = nodes.map((n) => (n.op === 'Sigmoid' ? { ...n, op: 'Upsample', rest: [str(4, 'Upsample'), ...n.rest.filter((f) => f.no !== 4)] } : n));
    assert.throws(() => quantizeModel(writeGraph(model, graph, odd), {}), /Upsample operator/);
  });

  it('gives each step\'s best class and its probability from inside the model, the same as found in all the probabilities', async () => {
    const headed = withBestClass(bytes);
    const input = await lineInput();
    const session = await ort.InferenceSession.create(headed, { intraOpNumThreads: 1, logSeverityLevel: 3 });
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input.data, [1, 3, 48, input.width]) });
    await session.release();
    const all = await probabilities(bytes, input);
    const steps = all.length / 6625;
    const expected = bestClasses(all, steps, 6625);
    const best = out[session.outputNames.find((n) => n.endsWith(BEST_CLASS))!]!;
    const p = out[session.outputNames.find((n) => n.endsWith(BEST_P))!]!;
    assert.deepEqual(best.dims, [1, steps]);
    assert.deepEqual(Array.from(best.data as BigInt64Array, Number), Array.from(expected.best));
    assert.deepEqual(Array.from(p.data as Float32Array), Array.from(expected.p));
    assert.throws(() => withBestClass(headed), /does not end in one softmax/);
  });

  it('refuses bytes that are not a model', () => {
    assert.throws(() => simplifyModel(Uint8Array.from([0x0a, 0x02, 0x08])), /ends inside a field/);
  });
});
