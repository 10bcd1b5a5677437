/**
 * @module The upload-time check of a project pattern, run before the pattern is
 * compiled: project patterns run on RE2 (pattern.ts), which matches in time linear
 * in the input but rejects what it cannot run in linear time, and whose automaton
 * grows with counted repetitions. So a pattern is refused, with a reason a project
 * author can act on, when it
 *
 * - is longer than `MAX_PATTERN_LENGTH` characters;
 * - uses a construct RE2 has no linear-time form for: back-references (`\1`,
 *   `\k<name>`), lookahead and lookbehind (`(?=`, `(?!`, `(?<=`, `(?<!`), atomic
 *   groups (`(?>`), possessive quantifiers (`a++`), `\Z`;
 * - would expand past `MAX_EXPANDED_SIZE` atoms once counted repetitions are
 *   unrolled (`(?:a+){1,1000}` is a thousand copies of `a+`): RE2's program has one
 *   instruction per copy and its matching time is input × program. The estimate runs
 *   before compiling because compiling is itself linear in that size (438 ms for
 *   `[\p{L}\d]{1,1000}` here). The compiled program size is then capped exactly by
 *   pattern.ts (`MAX_PROGRAM_SIZE`).
 *
 * JavaScript's `\uXXXX` and `\u{X}` escapes are accepted and rewritten to RE2's
 * `\x{X}` (`toRe2Syntax`), so patterns written for `RegExp` keep working.
 */

export const MAX_PATTERN_LENGTH = 500;
/** Twice the compiled cap: the estimate counts a class or a group as one atom where RE2 may need two instructions. */
export const MAX_EXPANDED_SIZE = 1000;
/** RE2's own bound on `{n,m}`. */
export const MAX_REPEAT = 1000;

/** Constructs RE2 cannot run, found outside character classes, with what to write instead. */
const UNSUPPORTED: { test: RegExp; message: string }[] = [
  { test: /^\\[1-9]/, message: 'back-references (\\1) are not supported' },
  { test: /^\\k</, message: 'named back-references (\\k<name>) are not supported' },
  { test: /^\(\?[=!]/, message: 'lookahead ((?= or (?!) is not supported: capture the value in a group instead' },
  { test: /^\(\?<[=!]/, message: 'lookbehind ((?<= or (?<!) is not supported: put the text before the value outside a capture group' },
  { test: /^\(\?>/, message: 'atomic groups ((?>) are not supported' },
  { test: /^[*+?]\+/, message: 'possessive quantifiers (a++, a*+) are not supported' },
  { test: /^\\Z/, message: '\\Z is not supported: use $ (or \\z)' },
];

/** Rewrites JavaScript-only escapes (`\u00e9`, `\u{1F600}`) to RE2's `\x{…}`; everything else is kept as written. */
export function toRe2Syntax(source: string): string {
  return source.replace(/\\\\|\\u\{([0-9A-Fa-f]{1,6})\}|\\u([0-9A-Fa-f]{4})/g, (all: string, braced?: string, four?: string) => {
    const hex = braced ?? four;
    return hex === undefined ? all : `\\x{${hex}}`;
  });
}

interface Frame {
  size: number;
  last: number;
}

/** The repetition count a quantifier at `i` multiplies by, its length, or null when none is there. */
function quantifierAt(src: string, i: number): { len: number; times: number; count: number } | null {
  const c = src[i];
  if (c === '*' || c === '+' || c === '?') return { len: src[i + 1] === '?' ? 2 : 1, times: 1, count: 0 };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}\??/.exec(src.slice(i, i + 24));
  if (!m) return null;
  const n = Number(m[1]);
  const upper = m[3] !== undefined && m[3] !== '' ? Number(m[3]) : m[2] !== undefined ? n + 1 : n;
  return { len: m[0].length, times: Math.max(1, upper), count: Math.max(n, m[3] ? Number(m[3]) : n) };
}

/** Index just past the character class opening at `i` (`[`), honouring escapes and a leading `]` or `^]`. */
function classEnd(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  for (; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === '[' && src[j + 1] === ':') j = Math.max(j, src.indexOf(':]', j + 2) + 1);
    else if (src[j] === ']') return j + 1;
  }
  return src.length;
}

/** Index just past the escape at `i` (`\x{…}`, `\p{…}`, `\pL`, `\Q…\E` and the single-character ones). */
function escapeEnd(src: string, i: number): number {
  const next = src[i + 1];
  if ((next === 'x' || next === 'p' || next === 'P' || next === 'u') && src[i + 2] === '{') {
    const close = src.indexOf('}', i + 3);
    return close < 0 ? src.length : close + 1;
  }
  if (next === 'Q') {
    const close = src.indexOf('\\E', i + 2);
    return close < 0 ? src.length : close + 2;
  }
  if (next === 'x') return i + 4;
  if (next === 'u') return i + 6;
  if (next === 'p' || next === 'P') return i + 3;
  return i + 2;
}

/** A construct from `UNSUPPORTED`, or the expanded size too large; null when RE2 may be asked to compile. */
function shapeProblem(src: string): string | null {
  const stack: Frame[] = [{ size: 0, last: 0 }];
  const atom = (size: number): void => {
    const top = stack[stack.length - 1] as Frame;
    top.size += size;
    top.last = size;
  };
  for (let i = 0; i < src.length; ) {
    const rest = src.slice(i, i + 4);
    const bad = UNSUPPORTED.find((u) => u.test.test(rest));
    if (bad) return bad.message;
    const c = src[i];
    if (c === '\\') {
      i = escapeEnd(src, i);
      atom(1);
    } else if (c === '[') {
      i = classEnd(src, i);
      atom(1);
    } else if (c === '(') {
      const flagsOnly = /^\(\?[imsU-]*\)/.exec(src.slice(i, i + 12));
      if (flagsOnly) i += flagsOnly[0].length;
      else {
        stack.push({ size: 0, last: 0 });
        i++;
      }
    } else if (c === ')') {
      const group = stack.length > 1 ? (stack.pop() as Frame) : { size: 0, last: 0 };
      atom(group.size + 1);
      i++;
    } else if (c === '|') {
      (stack[stack.length - 1] as Frame).last = 0;
      i++;
    } else {
      const q = quantifierAt(src, i);
      if (q) {
        if (q.count > MAX_REPEAT) return `a repetition count above ${MAX_REPEAT}`;
        const top = stack[stack.length - 1] as Frame;
        top.size += top.last * (q.times - 1) + 1;
        top.last *= q.times;
        i += q.len;
      } else {
        atom(1);
        i++;
      }
    }
    if ((stack[0] as Frame).size > MAX_EXPANDED_SIZE || stack.some((f) => f.last > MAX_EXPANDED_SIZE)) {
      return `too large once its counted repetitions are unrolled (more than ${MAX_EXPANDED_SIZE} parts): lower the {n,m} counts`;
    }
  }
  return null;
}

/** A reason the pattern cannot be used (length, unsupported construct, size), or null. RE2's own syntax errors are found by compiling (pattern.ts). */
export function preCheck(source: string): string | null {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  return shapeProblem(source);
}
