/**
 * @module The line reader's model made cheaper to run, with the same arithmetic: an
 * exact rewrite of the ONNX graph, done in memory when the reader opens (line-runtime.ts);
 * nothing is written to disk or fetched.
 *
 * Why: PP-OCRv4's backbone (PP-LCNetV3), as exported by paddle2onnx at opset 9, follows
 * each of its 28 convolutions with a learnable scalar affine (`Mul`, `Add`), a hard-swish
 * spelt as four element-wise operators (`Add 3`, `Clip 0..6`, `Mul`, `Div 6`), and a
 * second scalar affine. ONNX Runtime fuses none of them, so on a 640 px line the
 * element-wise operators took 38 % of the run and the convolutions 45 % (its profiler,
 * native CPU build, one thread). Three rewrites, each exact up to float rounding:
 * - a convolution followed by `× s + b` takes them into its weights and bias (W·s, B·s + b);
 * - `x · clip(x + 3, 0, 6) / 6` becomes `x · HardSigmoid(x)` (α = 1/6, β = 0.5), two
 *   operators instead of four;
 * - `× s + b` before a 1×1 convolution without padding goes into that convolution
 *   (W·s, B + b·ΣW); before a padded convolution it stays, since the padding's zeros are
 *   not shifted by b.
 * On the shipped model: 28 + 28 + 12 rewrites, a 640 px line read in 69 ms instead of 87
 * (320 px: 28 against 36 ms), the class probabilities within 2e-6 of the original's
 * (docs/pages.md "Line reader"; test/pages/line-model.test.ts).
 */
import { asInt, asString, decode, encode, type Field, float32, int, ints, msg, str } from './onnx-proto.ts';

export interface GraphNode {
  inputs: string[];
  outputs: string[];
  op: string;
  /** The node's other fields (name, attributes, domain), written back as they were. */
  rest: Field[];
}

export interface Tensor {
  dims: number[];
  data: Float32Array;
}

/** How many of each rewrite were made. */
export interface Rewrites {
  convAffine: number;
  hardSwish: number;
  affineConv: number;
}

function parseNode(buf: Uint8Array): GraphNode {
  const fields = decode(buf);
  const of = (no: number) => fields.filter((f) => f.no === no).map(asString);
  return { inputs: of(1), outputs: of(2), op: of(4)[0] ?? '', rest: fields.filter((f) => f.no !== 1 && f.no !== 2) };
}

function writeNode(n: GraphNode): Uint8Array {
  return encode([...n.inputs.map((i) => str(1, i)), ...n.outputs.map((o) => str(2, o)), ...n.rest]);
}

/** The node's attributes by name, each as its fields (AttributeProto: 2 f, 3 i, 5 t, 8 ints). */
export function attributes(n: GraphNode): Map<string, Field[]> {
  const out = new Map<string, Field[]>();
  for (const f of n.rest) {
    if (f.no !== 5) continue;
    const a = decode(f.raw);
    const name = a.find((x) => x.no === 1);
    if (name) out.set(asString(name), a);
  }
  return out;
}

function floatAttr(n: GraphNode, name: string): number | undefined {
  const f = attributes(n).get(name)?.find((x) => x.no === 2);
  return f ? new DataView(f.raw.buffer, f.raw.byteOffset, 4).getFloat32(0, true) : undefined;
}

/** A Constant node's float tensor (TensorProto: 1 dims, 2 data type, 4 float data, 9 raw data); null if not float. */
export function constant(n: GraphNode): Tensor | null {
  const t = attributes(n).get('value')?.find((x) => x.no === 5);
  if (n.op !== 'Constant' || !t) return null;
  const fields = decode(t.raw);
  const type = fields.find((f) => f.no === 2);
  if (!type || asInt(type) !== 1) return null;
  const dims = ints(fields, 1);
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  const raw = fields.find((f) => f.no === 9);
  const packed = raw?.raw ?? concat(fields.filter((f) => f.no === 4).map((f) => f.raw));
  if (packed.length !== size * 4) return null;
  const view = new DataView(packed.buffer, packed.byteOffset, packed.length);
  for (let i = 0; i < size; i++) data[i] = view.getFloat32(i * 4, true);
  return { dims, data };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function constantNode(output: string, t: Tensor): GraphNode {
  const raw = new Uint8Array(t.data.length * 4);
  const view = new DataView(raw.buffer);
  t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  const tensor = [...t.dims.map((d) => int(1, d)), int(2, 1), str(8, output), { no: 9, wire: 2, raw }];
  return { inputs: [], outputs: [output], op: 'Constant', rest: [str(4, 'Constant'), msg(5, [str(1, 'value'), msg(5, tensor), int(20, 4)])] };
}

/** Rewrites the model's graph (see the module comment); a model without these patterns comes back unchanged. */
export function simplifyModel(bytes: Uint8Array): { bytes: Uint8Array; rewrites: Rewrites } {
  const read = readGraph(bytes);
  const { model, graph } = read;
  let nodes = read.nodes;
  const outputs = new Set(graph.filter((f) => f.no === 12).map((f) => decode(f.raw).find((x) => x.no === 1)).flatMap((f) => (f ? [asString(f)] : [])));
  const rewrites: Rewrites = { convAffine: 0, hardSwish: 0, affineConv: 0 };

  const consts = new Map<string, GraphNode>();
  for (const n of nodes) if (n.op === 'Constant') consts.set(n.outputs[0]!, n);
  const tensors = new Map<string, Tensor | null>();
  const tensor = (name: string): Tensor | null => {
    if (!tensors.has(name)) tensors.set(name, consts.has(name) ? constant(consts.get(name)!) : null);
    return tensors.get(name)!;
  };
  const setTensor = (name: string, t: Tensor) => {
    tensors.set(name, t);
    consts.set(name, constantNode(name, t));
  };
  let users = new Map<string, GraphNode[]>();
  const index = () => {
    users = new Map();
    for (const n of nodes) for (const i of n.inputs) users.set(i, [...(users.get(i) ?? []), n]);
  };
  /** The one node reading `name`, if exactly one does and it is not a graph output. */
  const only = (name: string, op: string): GraphNode | null => {
    const u = users.get(name);
    return u?.length === 1 && u[0]!.op === op && !outputs.has(name) ? u[0]! : null;
  };
  /** The scalar constant `n` combines its other input with, if it is one. */
  const scalar = (n: GraphNode, x: string): number | null => {
    const other = n.inputs.filter((i) => i !== x);
    const t = other.length === 1 && n.inputs.length === 2 ? tensor(other[0]!) : null;
    return t && t.data.length === 1 ? t.data[0]! : null;
  };
  /** Weights and bias of a convolution that alone reads them. */
  const weights = (conv: GraphNode): { w: Tensor; b: Tensor } | null => {
    const [, wn, bn] = conv.inputs;
    const w = wn ? tensor(wn) : null;
    const b = bn ? tensor(bn) : null;
    return w && b && users.get(wn!)?.length === 1 && users.get(bn!)?.length === 1 ? { w, b } : null;
  };
  const dropped = new Set<GraphNode>();

  index();
  for (const conv of nodes.filter((n) => n.op === 'Conv')) {
    const mul = only(conv.outputs[0]!, 'Mul');
    const s = mul && scalar(mul, conv.outputs[0]!);
    const add = mul && s !== null ? only(mul.outputs[0]!, 'Add') : null;
    const b = add && scalar(add, mul!.outputs[0]!);
    const wb = weights(conv);
    if (!add || b === null || b === undefined || s === null || !wb) continue;
    setTensor(conv.inputs[1]!, { dims: wb.w.dims, data: wb.w.data.map((v) => v * s) });
    setTensor(conv.inputs[2]!, { dims: wb.b.dims, data: wb.b.data.map((v) => v * s + b) });
    conv.outputs = [add.outputs[0]!];
    dropped.add(mul!).add(add);
    rewrites.convAffine++;
  }
  nodes = nodes.filter((n) => !dropped.has(n));

  index();
  const replaced = new Map<GraphNode, GraphNode[]>();
  for (const add of nodes.filter((n) => n.op === 'Add')) {
    const x = add.inputs.find((i) => !tensor(i));
    if (x === undefined || scalar(add, x) !== 3) continue;
    const clip = only(add.outputs[0]!, 'Clip');
    if (!clip || floatAttr(clip, 'min') !== 0 || floatAttr(clip, 'max') !== 6 || clip.inputs.length !== 1) continue;
    const mul = only(clip.outputs[0]!, 'Mul');
    if (!mul || !mul.inputs.includes(x)) continue;
    const div = only(mul.outputs[0]!, 'Div');
    if (!div || scalar(div, mul.outputs[0]!) !== 6 || div.inputs[0] !== mul.outputs[0]) continue;
    const sigmoid = { inputs: [x], outputs: [clip.outputs[0]!], op: 'HardSigmoid', rest: [str(4, 'HardSigmoid'), msg(5, [str(1, 'alpha'), float32(2, 1 / 6), int(20, 1)]), msg(5, [str(1, 'beta'), float32(2, 0.5), int(20, 1)])] };
    replaced.set(add, [sigmoid, { inputs: [x, clip.outputs[0]!], outputs: [div.outputs[0]!], op: 'Mul', rest: [str(4, 'Mul')] }]);
    dropped.add(clip).add(mul).add(div);
    rewrites.hardSwish++;
  }
  nodes = nodes.flatMap((n) => replaced.get(n) ?? (dropped.has(n) ? [] : [n]));

  index();
  for (const mul of nodes.filter((n) => n.op === 'Mul')) {
    const x = mul.inputs.find((i) => !tensor(i));
    const s = x === undefined ? null : scalar(mul, x);
    const add = s === null ? null : only(mul.outputs[0]!, 'Add');
    const b = add ? scalar(add, mul.outputs[0]!) : null;
    const conv = add && b !== null ? only(add.outputs[0]!, 'Conv') : null;
    const a = conv ? attributes(conv) : null;
    const wb = conv ? weights(conv) : null;
    if (!conv || !a || !wb || s === null || b === null || conv.inputs[0] !== add!.outputs[0]) continue;
    const kernel = ints(a.get('kernel_shape') ?? [], 8);
    const group = a.get('group')?.find((f) => f.no === 3);
    if (kernel.some((k) => k !== 1) || ints(a.get('pads') ?? [], 8).some((p) => p !== 0) || (group && asInt(group) !== 1)) continue;
    const perOut = wb.w.data.length / wb.b.data.length;
    setTensor(conv.inputs[1]!, { dims: wb.w.dims, data: wb.w.data.map((v) => v * s) });
    setTensor(conv.inputs[2]!, { dims: wb.b.dims, data: wb.b.data.map((v, o) => v + b * wb.w.data.subarray(o * perOut, (o + 1) * perOut).reduce((t, w) => t + w, 0)) });
    conv.inputs[0] = x!;
    dropped.add(mul).add(add!);
    rewrites.affineConv++;
  }
  nodes = nodes.filter((n) => !dropped.has(n)).map((n) => (n.op === 'Constant' ? consts.get(n.outputs[0]!)! : n));
  index();
  // Constants nothing reads any more (the scalars of the affines folded away).
  nodes = nodes.filter((n) => n.op !== 'Constant' || users.has(n.outputs[0]!) || outputs.has(n.outputs[0]!));

  return { bytes: writeGraph(model, graph, nodes), rewrites };
}

/** The model's fields (ModelProto: 7 graph, 8 opset imports), its graph's fields and the graph's nodes. */
export function readGraph(bytes: Uint8Array): { model: Field[]; graph: Field[]; nodes: GraphNode[] } {
  const model = decode(bytes);
  const at = model.find((f) => f.no === 7);
  if (!at) throw new Error('the model file has no graph');
  const graph = decode(at.raw);
  return { model, graph, nodes: graph.filter((f) => f.no === 1).map((f) => parseNode(f.raw)) };
}

/** The model with its graph's nodes replaced by `nodes`; every other field as it was. */
export function writeGraph(model: readonly Field[], graph: readonly Field[], nodes: readonly GraphNode[]): Uint8Array {
  const newGraph: Field[] = [...nodes.map((n) => ({ no: 1, wire: 2, raw: writeNode(n) })), ...graph.filter((f) => f.no !== 1)];
  return encode(model.map((f) => (f.no === 7 ? msg(7, newGraph) : f)));
}
