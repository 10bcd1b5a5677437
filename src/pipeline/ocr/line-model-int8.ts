/**
 * @module The line reader's model with its 1×1 convolutions in int8, when asked for
 * (`ReaderOptions.precision: 'int8'`; float is the default): derived in memory, when the reader opens, from the rewritten float model (line-model.ts) and the
 * activation ranges measured once on receipt lines (`line-model-ranges.json`, written by
 * `node scripts/line-model-ranges.ts`); nothing is downloaded or written at run time.
 *
 * Why: after the float rewrite the convolutions are ~85 % of a line's run, and the 1×1
 * ones most of that (480×480 channels over a 3×160 map for a 640 px line). ONNX
 * Runtime runs `QLinearConv` on 8-bit integers (VNNI where the CPU has it): on 460 lines
 * of the receipts' test half the model took 5.4 ms of CPU a line against 7.3 ms in
 * float, at a character error rate of 2.43 % against 2.41 %; but the receipts' dev half
 * lost three fields (F1 0.722 against 0.735; test 0.746 against 0.743), so it is not the
 * default (docs/pages.md "Line reader"). Dynamic quantisation (`ConvInteger`, activations quantised at each run) was
 * 4× slower than float here, so the activation ranges are fixed, measured.
 *
 * Each 1×1 convolution of one group whose input and output have a measured range becomes
 * `QuantizeLinear` → `QLinearConv` → `DequantizeLinear`: weights int8, symmetric, one
 * scale per output channel; activations uint8 over the measured range (0 included); bias
 * int32 at the input scale × the weight scale. Those operators need opset 10: the model
 * (paddle2onnx, opset 9) is moved to opset 11, whose only change for its operators is
 * `Slice` taking starts, ends and axes as inputs; a model with any other operator is
 * refused (the reader then runs the float one).
 */
import { decode, type Field, int, ints, msg, str } from './onnx-proto.ts';
import { attributes, constant, type GraphNode, readGraph, writeGraph } from './line-model.ts';

/** Activation ranges by tensor name: [lowest, highest] seen on the calibration lines. */
export type Ranges = Record<string, [number, number]>;

/** Operators whose opset-9 definition is the one of opset 11 (Slice aside, which is converted). */
const SAME_IN_11 = new Set(['Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Concat', 'Constant', 'Conv', 'Div', 'GlobalAveragePool', 'HardSigmoid', 'MatMul', 'Mul', 'Pow', 'ReduceMean', 'Relu', 'Reshape', 'Shape', 'Sigmoid', 'Softmax', 'Sqrt', 'Squeeze', 'Sub', 'Transpose']);

const FLOAT = 1;
const UINT8 = 2;
const INT8 = 3;
const INT32 = 6;
const INT64 = 7;

function tensorNode(name: string, type: number, dims: readonly number[], raw: Uint8Array): GraphNode {
  const tensor = [...dims.map((d) => int(1, d)), int(2, type), str(8, name), { no: 9, wire: 2, raw }];
  return { inputs: [], outputs: [name], op: 'Constant', rest: [str(4, 'Constant'), msg(5, [str(1, 'value'), msg(5, tensor), int(20, 4)])] };
}

function floats(values: readonly number[]): Uint8Array {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return raw;
}

function int32s(values: readonly number[]): Uint8Array {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return raw;
}

/** uint8 scale and zero point covering [lo, hi] and 0. */
function activation([lo, hi]: [number, number]): { scale: number; zero: number } {
  const low = Math.min(lo, 0);
  const high = Math.max(hi, 0);
  const scale = high > low ? (high - low) / 255 : 1;
  return { scale: Math.fround(scale), zero: Math.min(255, Math.max(0, Math.round(-low / scale))) };
}

/** Slice of opset 9 (attributes) as Slice of opset 10+ (inputs): the attributes' int64 varints become int64 tensors. */
function sliceWithInputs(n: GraphNode, at: number): GraphNode[] {
  const a = attributes(n);
  const out: GraphNode[] = [];
  const inputs = [n.inputs[0]!];
  for (const name of ['starts', 'ends', 'axes']) {
    const fields = a.get(name)?.filter((f) => f.no === 8) ?? [];
    if (fields.length === 0) {
      if (name === 'axes') break;
      throw new Error(`a Slice without ${name}`);
    }
    const count = ints(fields, 8).length;
    // TensorProto's int64_data (field 7) is packed varints, and an attribute's ints are varints, packed or one a field.
    const tensor = [int(1, count), int(2, INT64), str(8, `slice${at}_${name}`), { no: 7, wire: 2, raw: Uint8Array.from(fields.flatMap((f) => [...f.raw])) }];
    out.push({ inputs: [], outputs: [`slice${at}_${name}`], op: 'Constant', rest: [str(4, 'Constant'), msg(5, [str(1, 'value'), msg(5, tensor), int(20, 4)])] });
    inputs.push(`slice${at}_${name}`);
  }
  const rest = n.rest.filter((f) => f.no !== 5);
  return [...out, { inputs, outputs: n.outputs, op: 'Slice', rest }];
}

/** The 1×1 convolution as QuantizeLinear → QLinearConv → DequantizeLinear, or null if it is not one to quantise. */
function quantised(n: GraphNode, k: number, consts: Map<string, GraphNode>, ranges: Ranges): GraphNode[] | null {
  if (n.op !== 'Conv') return null;
  const a = attributes(n);
  const kernel = ints(a.get('kernel_shape') ?? [], 8);
  const group = ints(a.get('group') ?? [], 3)[0] ?? 1;
  const inRange = ranges[n.inputs[0]!];
  const outRange = ranges[n.outputs[0]!];
  const wNode = consts.get(n.inputs[1] ?? '');
  const bNode = n.inputs[2] === undefined ? undefined : consts.get(n.inputs[2]);
  if (kernel.length !== 2 || kernel.some((x) => x !== 1) || group !== 1 || !inRange || !outRange || !wNode) return null;
  const w = constant(wNode);
  const b = bNode ? constant(bNode) : null;
  if (!w || (bNode && !b)) return null;
  const channels = w.dims[0]!;
  const per = w.data.length / channels;
  const x = activation(inRange);
  const y = activation(outRange);
  const wScale: number[] = [];
  const wq = new Int8Array(w.data.length);
  const bias: number[] = [];
  for (let c = 0; c < channels; c++) {
    let most = 0;
    for (let i = c * per; i < (c + 1) * per; i++) most = Math.max(most, Math.abs(w.data[i]!));
    const s = Math.fround(most > 0 ? most / 127 : 1);
    wScale.push(s);
    for (let i = c * per; i < (c + 1) * per; i++) wq[i] = Math.max(-127, Math.min(127, Math.round(w.data[i]! / s)));
    bias.push(Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round((b?.data[c] ?? 0) / (x.scale * s)))));
  }
  const p = `q${k}_`;
  const convAttributes = n.rest.filter((f) => f.no === 5);
  return [
    tensorNode(`${p}xs`, FLOAT, [], floats([x.scale])),
    tensorNode(`${p}xz`, UINT8, [], Uint8Array.of(x.zero)),
    tensorNode(`${p}w`, INT8, w.dims, new Uint8Array(wq.buffer)),
    tensorNode(`${p}ws`, FLOAT, [channels], floats(wScale)),
    tensorNode(`${p}wz`, INT8, [channels], new Uint8Array(channels)),
    tensorNode(`${p}ys`, FLOAT, [], floats([y.scale])),
    tensorNode(`${p}yz`, UINT8, [], Uint8Array.of(y.zero)),
    tensorNode(`${p}b`, INT32, [channels], int32s(bias)),
    { inputs: [n.inputs[0]!, `${p}xs`, `${p}xz`], outputs: [`${p}xq`], op: 'QuantizeLinear', rest: [str(4, 'QuantizeLinear')] },
    { inputs: [`${p}xq`, `${p}xs`, `${p}xz`, `${p}w`, `${p}ws`, `${p}wz`, `${p}ys`, `${p}yz`, `${p}b`], outputs: [`${p}yq`], op: 'QLinearConv', rest: [str(4, 'QLinearConv'), ...convAttributes] },
    { inputs: [`${p}yq`, `${p}ys`, `${p}yz`], outputs: n.outputs, op: 'DequantizeLinear', rest: [str(4, 'DequantizeLinear')] },
  ];
}

/** The float model (already rewritten by line-model.ts) with its measured 1×1 convolutions in int8; throws when it cannot. */
export function quantizeModel(bytes: Uint8Array, ranges: Ranges): { bytes: Uint8Array; convolutions: number } {
  const { model, graph, nodes } = readGraph(bytes);
  const opsets = model.filter((f) => f.no === 8).map((f) => decode(f.raw));
  const onnx = opsets.find((o) => !o.some((f) => f.no === 1 && f.raw.length > 0));
  const version = onnx ? ints(onnx, 2)[0] : undefined;
  if (version === undefined || version < 9 || version > 11) throw new Error(`the line model is at opset ${version ?? 'unknown'}, not 9-11`);
  const unknown = nodes.find((n) => n.op !== 'Slice' && !SAME_IN_11.has(n.op));
  if (unknown) throw new Error(`the line model has a ${unknown.op} operator, which the int8 rewrite does not know`);
  const consts = new Map(nodes.filter((n) => n.op === 'Constant').map((n) => [n.outputs[0]!, n]));
  let convolutions = 0;
  const used = new Set<string>();
  const out = nodes.flatMap((n, at) => {
    if (n.op === 'Slice' && version < 10) return sliceWithInputs(n, at);
    const q = quantised(n, at, consts, ranges);
    if (!q) return [n];
    convolutions++;
    used.add(n.inputs[1]!);
    if (n.inputs[2]) used.add(n.inputs[2]);
    return q;
  });
  const kept = out.filter((n) => n.op !== 'Constant' || !used.has(n.outputs[0]!));
  // The default domain's opset import (OperatorSetIdProto: 1 domain, 2 version) moves to 11.
  const newModel: Field[] = model.map((f) => (f.no === 8 && !decode(f.raw).some((x) => x.no === 1 && x.raw.length > 0) ? msg(8, [int(2, 11)]) : f));
  return { bytes: writeGraph(newModel, graph, kept), convolutions };
}
