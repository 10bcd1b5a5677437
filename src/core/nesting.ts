/**
 * @module How deeply a parsed YAML/JSON value nests, counted without recursion. A
 * project file nested a million levels deep parses (V8's JSON.parse is iterative) but
 * overflows the stack of every recursive walk after it — JSON.stringify, freezing,
 * schema checks — so it is measured here, with an explicit stack, and refused before
 * anything else touches it.
 */

/** Arrays and objects nested inside each other; a scalar is depth 0. Stops counting past `limit`. */
export function nestingDepth(value: unknown, limit = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return max;
}

/**
 * The depth of JSON text from its brackets, outside strings, before it is parsed: a
 * few milliseconds per MiB, and no 50-byte-per-level tree built for a file refused anyway.
 */
export function jsonTextDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
