/**
 * @module Project regexes run on document text, which an uploader does not control,
 * so a catastrophic pattern (ReDoS) must not reach a worker. Two bounds:
 *
 * 1. At parse time a pattern is rejected when an unboundedly repeated group (`*`,
 *    `+`, `{n,}`) holds another unbounded quantifier or an alternation — the star
 *    height > 1 and ambiguous-alternation shapes behind exponential backtracking
 *    (`(a+)+`, `(a|aa)*`, `(.*,)*x`). Back-references are rejected too (they make
 *    matching NP-hard). Bounded repeats such as `(?:[A-Z]{2} ?){1,8}` stay legal.
 * 2. At run time every match runs on at most `MAX_MATCH_INPUT` characters (one
 *    line or a short window), which caps the polynomial cases (`\d+\d+x`) left.
 */

export const MAX_MATCH_INPUT = 4000;
export const MAX_PATTERN_LENGTH = 500;

interface Group {
  unboundedInside: boolean;
  alternation: boolean;
}

/** Reads a quantifier at `i`; returns its length and whether it is unbounded, or null. */
function quantifierAt(src: string, i: number): { len: number; unbounded: boolean } | null {
  const c = src[i];
  if (c === '*' || c === '+') return { len: src[i + 1] === '?' ? 2 : 1, unbounded: true };
  if (c === '?') return { len: src[i + 1] === '?' ? 2 : 1, unbounded: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}\??/.exec(src.slice(i));
    if (!m) return null;
    const unbounded = m[2] !== undefined && (m[3] === undefined || m[3] === '');
    const big = m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000;
    return { len: m[0].length, unbounded: unbounded || big };
  }
  return null;
}

/** A reason the pattern is unsafe or invalid, or null when it may be used. */
export function regexProblem(source: string, flags = ''): string | null {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(source, flags);
  } catch (err) {
    return `invalid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  const stack: Group[] = [{ unboundedInside: false, alternation: false }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) return 'back-references are not allowed';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    const top = stack[stack.length - 1] as Group;
    if (c === '(') {
      stack.push({ unboundedInside: false, alternation: false });
      continue;
    }
    if (c === '|') {
      top.alternation = true;
      continue;
    }
    if (c === ')') {
      const group = stack.pop() as Group;
      const outer = stack[stack.length - 1] as Group;
      const q = quantifierAt(source, i + 1);
      if (q?.unbounded && (group.unboundedInside || group.alternation)) {
        return 'catastrophic backtracking: a repeated group holds another unbounded repeat or an alternation';
      }
      if (group.unboundedInside || q?.unbounded) outer.unboundedInside = true;
      if (q) i += q.len;
      continue;
    }
    const q = quantifierAt(source, i);
    if (q) {
      if (q.unbounded) top.unboundedInside = true;
      i += q.len - 1;
    }
  }
  return null;
}

/** Compiles a pattern already checked by `regexProblem`. */
export function compileSafe(source: string, flags = 'i'): RegExp {
  return new RegExp(source, flags.replace(/[gy]/g, ''));
}

/** The input a match may see: at most `MAX_MATCH_INPUT` characters. */
export function boundInput(text: string): string {
  return text.length > MAX_MATCH_INPUT ? text.slice(0, MAX_MATCH_INPUT) : text;
}
