/**
 * @module The line model's output cut to what greedy CTC decoding uses: for each
 * column step, the best class and its probability, computed inside the model
 * (`ArgMax` and `ReduceMax` over the softmax's class axis, added as its outputs)
 * instead of handing all 6,625 class probabilities of every step to JavaScript.
 *
 * Why: for a 640 px line the model's output is 80 steps × 6,625 classes, 2.1 MB of
 * floats copied out of ONNX Runtime and scanned in JavaScript for each step's best
 * class; that scan took 4.0 ms a line at load 12 (1–2 ms quiet) against ~18 ms of CPU
 * for the model itself. Inside the model the same two reductions take a fraction of
 * the softmax before them (0.4 % of a run; ONNX Runtime's profiler, native, one
 * thread), and the CTC head itself (the `MatMul` to 6,625 classes) is 1.2 %, too
 * little to restrict to the Latin characters. The result is the same, not close:
 * `ArgMax` picks the first of equal maxima, as the loop in JavaScript did, and the
 * probability is the softmax's own value (test/pages/line-model.test.ts).
 */
import { asString, decode, type Field, int, msg, str } from './onnx-proto.ts';
import { readGraph, writeGraph } from './line-model.ts';

/** Output names of the two reductions, after the softmax's own output name. */
export const BEST_CLASS = '.best_class';
export const BEST_P = '.best_p';

/** A graph output of element type `elemType` (TensorProto.DataType: 1 float, 7 int64) and rank 2, sizes unnamed. */
function outputInfo(name: string, elemType: number): Field {
  const shape = msg(2, [msg(1, []), msg(1, [])]);
  return msg(12, [str(1, name), msg(2, [msg(1, [int(1, elemType), shape])])]);
}

/**
 * The model with its one output, a softmax over the last of three axes (lines × steps × classes), replaced by that
 * softmax's best class and probability per step; throws on a model of another shape (the caller keeps it as it is).
 */
export function withBestClass(bytes: Uint8Array): Uint8Array {
  const { model, graph, nodes } = readGraph(bytes);
  const outputs = graph.filter((f) => f.no === 12);
  const name = outputs.length === 1 ? decode(outputs[0]!.raw).find((f) => f.no === 1) : undefined;
  const out = name ? asString(name) : '';
  const softmax = nodes.find((n) => n.outputs.includes(out));
  if (!softmax || softmax.op !== 'Softmax') throw new Error('the line model does not end in one softmax');
  const attr = (key: string, type: number, field: Field) => msg(5, [str(1, key), field, int(20, type)]);
  // AttributeProto types: 2 INT (field 3), 7 INTS (field 8). The class axis is 2 at opset 9 (axes as an attribute).
  const reduceMax = { inputs: [out], outputs: [out + BEST_P], op: 'ReduceMax', rest: [str(4, 'ReduceMax'), attr('axes', 7, int(8, 2)), attr('keepdims', 2, int(3, 0))] };
  const argMax = { inputs: [out], outputs: [out + BEST_CLASS], op: 'ArgMax', rest: [str(4, 'ArgMax'), attr('axis', 2, int(3, 2)), attr('keepdims', 2, int(3, 0))] };
  const fields = [...graph.filter((f) => f.no !== 12), outputInfo(out + BEST_CLASS, 7), outputInfo(out + BEST_P, 1)];
  return writeGraph(model, fields, [...nodes, argMax, reduceMax]);
}
