/**
 * @module The safe evaluator for cross-field rules (`subtotal + tax == total`). A
 * project file is untrusted input, so expressions are parsed by this small
 * recursive-descent parser into a tree and walked: no `eval`, no `Function`, no
 * property access, no loops, so every evaluation ends in time linear in the
 * expression's size (at most `MAX_EXPRESSION_LENGTH` characters).
 *
 * Grammar: `or := and ('||' and)*`, `and := not ('&&' not)*`, `not := '!' not | cmp`,
 * `cmp := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?`, `sum := prod (('+'|'-') prod)*`,
 * `prod := unary (('*'|'/') unary)*`, `unary := '-' unary | atom`,
 * `atom := number | name | name '.' name | func '(' args ')' | '(' or ')'`.
 * Functions: abs, min, max, round(x[, digits]), sum(table.column) (a column with no
 * values has no sum, as an empty field has no value: 0 would be a made-up amount that
 * fails every comparison with a real total), count(table),
 * coalesce(a, b, …) (the first argument that has a value: a rule can compare with
 * a field a document may lack, such as an e-invoice's line total, and fall back to
 * one every document has).
 * `==` and `!=` compare numbers within the rule's tolerance.
 */

export const MAX_EXPRESSION_LENGTH = 500;
const FUNCTIONS = new Set(['abs', 'min', 'max', 'round', 'sum', 'count', 'coalesce']);

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'ref'; name: string; column: string | null }
  | { k: 'un'; op: '-' | '!'; a: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'call'; fn: string; args: Expr[] };

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/(),.<>!]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new ExpressionError(`unexpected character "${src.slice(pos).trim()[0]}" at ${pos + 1}`);
    out.push((m[1] ?? m[2] ?? m[3]) as string);
    pos = TOKEN.lastIndex;
  }
  return out;
}

export function parseExpression(src: string): Expr {
  if (src.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const t = tokenize(src);
  let i = 0;
  const peek = (): string | undefined => t[i];
  const take = (want?: string): string => {
    const tok = t[i];
    if (tok === undefined) throw new ExpressionError(want ? `expected "${want}" at the end` : 'unexpected end');
    if (want !== undefined && tok !== want) throw new ExpressionError(`expected "${want}", found "${tok}"`);
    i++;
    return tok;
  };
  const isName = (s: string | undefined): boolean => s !== undefined && /^[A-Za-z_]/.test(s);
  const chain = (next: () => Expr, ops: string[]): Expr => {
    let a = next();
    while (ops.includes(peek() ?? '')) {
      const op = take();
      a = { k: 'bin', op, a, b: next() };
    }
    return a;
  };
  const atom = (): Expr => {
    const tok = take();
    if (/^\d/.test(tok)) return { k: 'num', v: Number(tok) };
    if (tok === '(') {
      const e = or();
      take(')');
      return e;
    }
    if (!isName(tok)) throw new ExpressionError(`unexpected "${tok}"`);
    if (peek() === '(') {
      if (!FUNCTIONS.has(tok)) throw new ExpressionError(`unknown function "${tok}"`);
      take('(');
      const args: Expr[] = [];
      if (peek() !== ')') {
        args.push(or());
        while (peek() === ',') {
          take(',');
          args.push(or());
        }
      }
      take(')');
      if (args.length === 0) throw new ExpressionError(`${tok}() needs an argument`);
      return { k: 'call', fn: tok, args };
    }
    if (peek() === '.') {
      take('.');
      const col = take();
      if (!isName(col)) throw new ExpressionError(`expected a column name after "${tok}."`);
      return { k: 'ref', name: tok, column: col };
    }
    return { k: 'ref', name: tok, column: null };
  };
  const unary = (): Expr => (peek() === '-' ? (take(), { k: 'un', op: '-', a: unary() }) : atom());
  const prod = (): Expr => chain(unary, ['*', '/']);
  const sum = (): Expr => chain(prod, ['+', '-']);
  const cmp = (): Expr => {
    const a = sum();
    if (['==', '!=', '<', '<=', '>', '>='].includes(peek() ?? '')) return { k: 'bin', op: take(), a, b: sum() };
    return a;
  };
  const not = (): Expr => (peek() === '!' ? (take(), { k: 'un', op: '!', a: not() }) : cmp());
  const and = (): Expr => chain(not, ['&&']);
  const or = (): Expr => chain(and, ['||']);
  if (t.length === 0) throw new ExpressionError('empty expression');
  const e = or();
  if (i < t.length) throw new ExpressionError(`unexpected "${t[i]}"`);
  return e;
}

/** The field names an expression reads. */
export function expressionFields(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.k === 'ref') out.add(e.name);
  else if (e.k === 'un') expressionFields(e.a, out);
  else if (e.k === 'bin') {
    expressionFields(e.a, out);
    expressionFields(e.b, out);
  } else if (e.k === 'call') for (const a of e.args) expressionFields(a, out);
  return out;
}

export type ExprValue = number | boolean | null;
/** Resolves a field (or a table column's cells) to numbers; null when the field has no value. */
export type Resolver = (name: string, column: string | null) => number | number[] | null;

/** Evaluates; null means "cannot tell" (a field it reads has no value). */
export function evaluate(e: Expr, resolve: Resolver, tolerance = 0): ExprValue {
  const num = (x: Expr): number | null => {
    const v = evaluate(x, resolve, tolerance);
    return typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null;
  };
  switch (e.k) {
    case 'num':
      return e.v;
    case 'ref': {
      const v = resolve(e.name, e.column);
      return Array.isArray(v) ? total(v) : v;
    }
    case 'un': {
      if (e.op === '!') {
        const v = evaluate(e.a, resolve, tolerance);
        return v === null ? null : !v;
      }
      const v = num(e.a);
      return v === null ? null : -v;
    }
    case 'call':
      return call(e, resolve, num);
    case 'bin': {
      if (e.op === '&&' || e.op === '||') {
        const a = evaluate(e.a, resolve, tolerance);
        const b = evaluate(e.b, resolve, tolerance);
        if (a === null || b === null) return null;
        return e.op === '&&' ? Boolean(a) && Boolean(b) : Boolean(a) || Boolean(b);
      }
      const a = num(e.a);
      const b = num(e.b);
      if (a === null || b === null) return null;
      const eps = tolerance + 1e-9;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0 ? null : a / b;
        case '==': return Math.abs(a - b) <= eps;
        case '!=': return Math.abs(a - b) > eps;
        case '<': return a < b - eps;
        case '<=': return a <= b + eps;
        case '>': return a > b + eps;
        case '>=': return a >= b - eps;
      }
      return null;
    }
  }
}

/** The sum of a column's values; null when it has none. */
function total(list: number[]): number | null {
  return list.length === 0 ? null : list.reduce((s, x) => s + x, 0);
}

function call(e: Extract<Expr, { k: 'call' }>, resolve: Resolver, num: (x: Expr) => number | null): ExprValue {
  if (e.fn === 'sum' || e.fn === 'count') {
    const arg = e.args[0] as Expr;
    if (arg.k !== 'ref') return num(arg);
    const v = resolve(arg.name, arg.column);
    if (v === null) return null;
    const list = Array.isArray(v) ? v : [v];
    return e.fn === 'sum' ? total(list) : list.length;
  }
  if (e.fn === 'coalesce') {
    // Lazily, so a resolver sees only the fields the value came from (rules.ts: which fields a failure rests on).
    for (const a of e.args) {
      const v = num(a);
      if (v !== null) return v;
    }
    return null;
  }
  const vals = e.args.map(num);
  if (vals.some((v) => v === null)) return null;
  const xs = vals as number[];
  if (e.fn === 'abs') return Math.abs(xs[0] as number);
  if (e.fn === 'min') return Math.min(...xs);
  if (e.fn === 'max') return Math.max(...xs);
  const f = 10 ** Math.max(0, Math.min(10, Math.trunc(xs[1] ?? 0)));
  return Math.round((xs[0] as number) * f) / f;
}
