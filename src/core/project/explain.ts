/**
 * @module Why a cross-field rule failed, in words with the numbers behind it (docs/portal.md#validation-every-user:
 * "subtotal 41.31 + tax 8.68 ≠ total 49.90" instead of a bare "does not hold"). The
 * rule's expression tree (expression.ts) is printed back with each field's value beside
 * its name and the failed comparison negated. Only comparisons of sums and products are
 * explained; a rule joined with `&&`, `||` or `!` keeps its own message alone, since
 * printing every operand of a boolean would not say which one failed.
 */
import { evaluate, type Expr, type Resolver } from './expression.ts';

/** The failed form of each comparison: what held instead. */
const NEGATED: Record<string, string> = { '==': '≠', '!=': '=', '<': '≥', '<=': '>', '>': '≤', '>=': '<' };
const PRECEDENCE: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };

/** How a field's value reads in a message (an amount with two decimals, a date as ISO); null when empty. */
export type Display = (name: string, column: string | null) => string | null;

function words(name: string): string {
  return name.replace(/_/g, ' ');
}

function number(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function term(e: Expr, resolve: Resolver, display: Display, parent: number): string | null {
  switch (e.k) {
    case 'num':
      return String(e.v);
    case 'ref': {
      const shown = display(e.name, e.column);
      if (shown === null) return null;
      return e.column === null ? `${words(e.name)} ${shown}` : `sum of ${words(e.name)} ${words(e.column)} ${shown}`;
    }
    case 'call': {
      // coalesce(…) reads as the argument it took, so the message names that field.
      if (e.fn === 'coalesce') {
        const taken = e.args.find((a) => typeof evaluate(a, resolve) === 'number');
        return taken === undefined ? null : term(taken, resolve, display, parent);
      }
      const v = evaluate(e, resolve);
      if (typeof v !== 'number') return null;
      const arg = e.args[0];
      // A column's sum reads as the field shows it (an amount column with two decimals: 60.00, not 60).
      const sum = e.fn === 'sum' && arg?.k === 'ref' && arg.column !== null ? display(arg.name, arg.column) : null;
      if (sum !== null && arg?.k === 'ref') return `sum of ${words(arg.name)} ${words(arg.column ?? '')} ${sum}`;
      const what = e.args.length === 1 && arg?.k === 'ref' ? `${words(arg.name)}${arg.column ? ` ${words(arg.column)}` : ''}` : null;
      return what ? `${e.fn} of ${what} ${number(v)}` : `${e.fn}(…) ${number(v)}`;
    }
    case 'un': {
      if (e.op !== '-') return null;
      const a = term(e.a, resolve, display, 3);
      return a === null ? null : `−${a}`;
    }
    case 'bin': {
      const p = PRECEDENCE[e.op];
      if (p === undefined) return null;
      const a = term(e.a, resolve, display, p);
      const b = term(e.b, resolve, display, p + 1);
      if (a === null || b === null) return null;
      const s = `${a} ${e.op === '-' ? '−' : e.op === '*' ? '×' : e.op} ${b}`;
      return p < parent ? `(${s})` : s;
    }
  }
}

/**
 * The failed comparison with its values ("subtotal 41.31 + tax 8.68 ≠ total 49.90"),
 * or null when the rule is not a comparison of terms or reads an empty field.
 */
export function explainFailure(e: Expr, resolve: Resolver, display: Display): string | null {
  if (e.k !== 'bin' || NEGATED[e.op] === undefined) return null;
  const a = term(e.a, resolve, display, 0);
  const b = term(e.b, resolve, display, 0);
  return a === null || b === null ? null : `${a} ${NEGATED[e.op]} ${b}`;
}
