/**
 * @module The child process that prepares the line reader's model (line-runtime.ts): reads the
 * model file, rewrites it (line-model.ts) and, when asked, builds the int8 model
 * (line-model-int8.ts), cuts its output to each step's best class (line-model-head.ts),
 * hands the bytes back and ends.
 *
 * Why a process of its own: the rewrite decodes the whole graph into JavaScript objects
 * and copies its tensors (~70 MB of byte arrays for a 10.8 MB model). Done in the reader's
 * thread, which lives while there is work, it had the 500-page G4 TIFF of bench/memory
 * peak at 478 MB RSS (idle engine 267 MB) where the code before the rewrite peaked at
 * 431 MB (idle 216). In a thread of its own that ended, V8's heap went but glibc kept the
 * byte arrays' freed memory in its arenas: the idle engine was still ~40 MB over the
 * model opened unrewritten (242 against 200 MB, steps measured in docs/pages.md
 * "Memory"). A child process gives all of it back when it exits: 210 MB.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { quantizeModel, type Ranges } from './line-model-int8.ts';
import { simplifyModel } from './line-model.ts';
import { withBestClass } from './line-model-head.ts';

export interface PreparedModel {
  float: Uint8Array;
  int8?: Uint8Array;
  /** Why there is no int8 model when one was asked for. */
  why?: string;
}

const RANGES = new URL('./line-model-ranges.json', import.meta.url);

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

/** The model rewritten, or as it is where the rewrite cannot read it (the runtimes then say why). */
function simplified(bytes: Uint8Array): Uint8Array {
  try {
    return simplifyModel(bytes).bytes;
  } catch {
    return bytes;
  }
}

/** The rewritten float model with its 1×1 convolutions in int8, if the ranges were measured on this model. */
function int8(float: Uint8Array): { int8?: Uint8Array; why?: string } {
  try {
    const measured = JSON.parse(readFileSync(RANGES, 'utf8')) as { model: string; ranges: Ranges };
    if (createHash('sha256').update(float).digest('hex') !== measured.model) {
      return { why: 'int8: the activation ranges were measured on another model (scripts/line-model-ranges.ts)' };
    }
    return { int8: quantizeModel(float, measured.ranges).bytes };
  } catch (err) {
    return { why: `int8: ${message(err)}` };
  }
}

/** The model giving each step's best class and probability (line-model-head.ts), or as it is where it cannot. */
function headed(bytes: Uint8Array): Uint8Array {
  try {
    return withBestClass(bytes);
  } catch {
    return bytes;
  }
}

export function prepareModel(model: string, precision: 'int8' | 'float'): PreparedModel {
  const float = simplified(readFileSync(model));
  // The int8 ranges are pinned to the float model without the new head (its checksum), so the head goes on last.
  const quantized = precision === 'int8' ? int8(float) : {};
  return { float: headed(float), ...quantized, ...(quantized.int8 && { int8: headed(quantized.int8) }) };
}

/** The flag that makes this file, started as a child process (line-runtime.ts), prepare the model it is given. */
export const PREPARE_FLAG = '--prepare-line-model';

if (process.send && process.argv[2] === PREPARE_FLAG) {
  const [model, precision] = [process.argv[3]!, process.argv[4] === 'int8' ? ('int8' as const) : ('float' as const)];
  let answer: { ok: PreparedModel } | { error: string };
  try {
    answer = { ok: prepareModel(model, precision) };
  } catch (err) {
    answer = { error: message(err) };
  }
  // Ends once the answer is written to the channel: nothing of the rewrite outlives it.
  process.send(answer, () => process.exit(0));
}
