import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, ExpressionError, expressionFields, parseExpression } from '../../src/core/project/expression.ts';

const values: Record<string, number | number[] | null> = { subtotal: 100, tax: 20, total: 120.004, missing: null };
const resolve = (name: string, column: string | null) => (column ? [1, 2, 3.5] : (values[name] ?? null));

test('arithmetic and comparison with a tolerance', () => {
  assert.equal(evaluate(parseExpression('subtotal + tax == total'), resolve, 0.01), true);
  assert.equal(evaluate(parseExpression('subtotal + tax == total'), resolve, 0), false);
  assert.equal(evaluate(parseExpression('subtotal * 1.2 - total'), resolve) as number < 0.01, true);
  assert.equal(evaluate(parseExpression('-(tax) < 0 && !(tax > 100) || total == 0'), resolve), true);
  assert.equal(evaluate(parseExpression('round(total, 2) == 120'), resolve), true);
  assert.equal(evaluate(parseExpression('max(subtotal, tax, 3) + min(1, 2) + abs(-1)'), resolve), 102);
});

test('table columns sum and count', () => {
  assert.equal(evaluate(parseExpression('sum(lines.amount)'), resolve), 6.5);
  assert.equal(evaluate(parseExpression('count(lines.amount)'), resolve), 3);
});

test('an empty field makes the result unknown (null), not false', () => {
  assert.equal(evaluate(parseExpression('missing + tax == total'), resolve), null);
  assert.equal(evaluate(parseExpression('tax / 0'), resolve), null);
});

test('the fields an expression reads', () => {
  assert.deepEqual([...expressionFields(parseExpression('a + b.c == sum(d.e) && f'))].sort(), ['a', 'b', 'd', 'f']);
});

test('bad expressions are rejected with a reason', () => {
  const bad = ['', 'a +', 'a == == b', 'a; b', 'eval(a)', 'a[0]', '"x" == a', '(a + b', 'a + b)', 'process.exit()', 'x'.repeat(501)];
  for (const src of bad) assert.throws(() => parseExpression(src), ExpressionError, src);
});

test('a dotted name is a table column read through the resolver, never a property access', () => {
  assert.equal(evaluate(parseExpression('constructor.prototype'), () => null), null);
});
