/**
 * @module Fuzzy matching: the bounded similarity used by label search must agree
 * with the plain one wherever the plain one reaches the bound, and give 0 elsewhere
 * (a change in label matching would change every label-anchored field).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levenshtein, similarity, similarityAtLeast } from '../../src/pipeline/capture/fuzzy.ts';

function mutate(word: string, edits: number, rand: () => number): string {
  let w = word;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (w.length + 1));
    const c = 'abcdefghijklmnopqrstuvwxyz01 '[Math.floor(rand() * 29)] as string;
    const kind = Math.floor(rand() * 3);
    w = kind === 0 ? w.slice(0, at) + c + w.slice(at) : kind === 1 ? w.slice(0, at) + w.slice(at + 1) : w.slice(0, at) + c + w.slice(at + 1);
  }
  return w;
}

test('similarityAtLeast equals similarity at or above the bound and 0 below it', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const labels = ['total', 'invoice number', 'date of issue', 'amount due', 'subtotal', 'tax', 'bill to', 'rechnungsnummer'];
  let above = 0;
  for (let i = 0; i < 5000; i++) {
    const label = labels[i % labels.length] as string;
    const gram = mutate(label, Math.floor(rand() * 5), rand);
    for (const min of [0.5, 0.8, 0.9]) {
      const plain = similarity(gram, label);
      const bounded = similarityAtLeast(gram, label, min);
      if (plain >= min) {
        above++;
        assert.equal(bounded, plain, `${gram} vs ${label} at ${min}`);
      } else assert.equal(bounded, 0, `${gram} vs ${label} at ${min}`);
    }
  }
  assert.ok(above > 3000, `enough pairs above the bound to mean something (${above})`);
});

test('levenshtein gives up past its bound, and counts exactly within it', () => {
  assert.equal(levenshtein('tota1', 'total'), 1);
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(levenshtein('kitten', 'sitting', 2), 3);
  assert.equal(similarityAtLeast('', '', 0.8), 1);
  assert.equal(similarityAtLeast('tota1', 'total', 0.8), 0.8);
  assert.equal(similarityAtLeast('t0ta1', 'total', 0.8), 0);
});
