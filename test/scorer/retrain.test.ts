/**
 * @module Retraining a project's scorer (core/scorer/retrain.ts, pipeline/scorer-retrain.ts):
 * what a project teaches moves the weights and a version that ranks its held-out
 * documents at least as well is promoted; one that ranks them worse than the version
 * in use is kept but not promoted, and says so; the retrainer stores examples, waits
 * for `every` new ones, retrains in a worker thread and reports its CPU time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import shipped from '../../src/core/scorer/shipped-examples.json' with { type: 'json' };
import { heldOut, retrain, topScore, type ShippedExamples } from '../../src/core/scorer/retrain.ts';
import { learnsScorer, withLearnedScorer, type LearnedDocument } from '../../src/core/scorer/learning.ts';
import type { ScorerExample, ScorerWeights } from '../../src/core/scorer/model.ts';
import { builtinScorer } from '../../src/core/scorer/settings.ts';
import { inMemoryScorerLearning } from '../../src/core/scorer/in-memory-learning.ts';
import { createRetrainer } from '../../src/pipeline/scorer-retrain.ts';
import { captureSettings, parseProject } from '../../src/core/project.ts';
import { demoProject } from '../../src/core/demo-project.ts';

/** A total field whose right candidate is the one marked `mine` (a feature the shipped examples never show), placed last so `hand_rank` points elsewhere. */
function field(marked: 'right' | 'wrong'): ScorerExample {
  return { kind: 'total', candidates: [{ hand_rank: 1, mine: marked === 'wrong' ? 1 : 0 }, { hand_rank: 0.5 }, { hand_rank: 0.2, mine: marked === 'right' ? 1 : 0 }], right: 2 };
}

function documents(n: number, mark: (seq: number) => 'right' | 'wrong'): LearnedDocument[] {
  return Array.from({ length: n }, (_, i) => ({ seq: i + 1, learned_at: i, examples: [field(mark(i + 1)), field(mark(i + 1))] }));
}

test('a project whose own documents teach a new sign is retrained to it and the version is promoted', () => {
  const docs = documents(30, () => 'right');
  const out = retrain({ shipped: shipped as ShippedExamples, documents: docs, current: { version: null, weights: builtinScorer() }, version: 't' });
  assert.ok((out.weights.kinds.total?.weights.mine ?? 0) > 1, JSON.stringify(out.weights.kinds.total?.weights));
  assert.equal(out.report.held_out.fields, 12, 'one document in five, two fields each');
  assert.equal(out.report.held_out.score, 1);
  assert.equal(out.report.held_out.current_score, 0, 'the shipped weights follow hand_rank');
  assert.equal(out.report.promoted, true);
  assert.match(out.report.reason, /^promoted: held-out 1 against 0, Brier .* for the shipped weights$/);
  assert.equal(out.report.project_examples, 48, 'held-out documents never train');
  assert.ok(out.weights.calibration.total, 'calibrated out of fold');
});

test('a retrain that ranks the held-out documents worse than the version in use is not promoted, and says so', () => {
  // Training documents mark a wrong candidate; held-out ones the right one, which the version in use already ranks first.
  const docs = documents(30, (seq) => (heldOut({ seq }) ? 'right' : 'wrong'));
  const current: ScorerWeights = { ...builtinScorer(), kinds: { ...builtinScorer().kinds, total: { weights: { mine: 5 }, none: 0, examples: 1 } } };
  assert.equal(topScore(current, docs.filter(heldOut).flatMap((d) => d.examples)), 1);
  const out = retrain({ shipped: shipped as ShippedExamples, documents: docs, current: { version: 3, weights: current }, version: 't' });
  assert.equal(out.report.promoted, false);
  assert.ok((out.report.held_out.score ?? 1) < 1);
  assert.match(out.report.reason, /^not promoted: worse on the held-out documents \(held-out 0(\.\d+)? against 1, .* for version 3\)$/);
});

test('the retrainer keeps examples, retrains in a worker thread once `every` new ones are learned, and only for a project that learns its scorer', async () => {
  const store = inMemoryScorerLearning();
  const heard: unknown[] = [];
  const r = createRetrainer(store, { every: 8, clock: () => 42, onRetrained: (e) => heard.push(e) });
  for (let i = 0; i < 6; i++) await r.record('acc', 'other', false, [field('right'), field('right')], i);
  await r.idle();
  assert.equal((await store.versions('other')).length, 0, 'not `scorer: learned`: examples kept, no retrain');
  assert.equal((await store.documents('other')).length, 6);
  for (let i = 0; i < 3; i++) await r.record('acc', 'p', true, [field('right'), field('right')], i);
  await r.idle();
  assert.equal((await store.versions('p')).length, 0, '6 of 8 examples');
  await r.record('acc', 'p', true, [field('right'), field('right')], 3);
  await r.idle();
  const [first] = await store.versions('p');
  assert.deepEqual([first?.version, first?.through_seq, first?.promoted, first?.current], [1, 4, false, false]);
  assert.equal(first?.report.reason, 'not promoted: no held-out document yet to compare it on');
  assert.ok((first?.report.cpu_ms ?? 0) > 0, 'CPU time of the worker thread');
  for (let i = 4; i < 8; i++) await r.record('acc', 'p', true, [field('right'), field('right')], i);
  await r.idle();
  const [second] = await store.versions('p');
  assert.deepEqual([second?.version, second?.through_seq, second?.promoted, second?.current, second?.created_at], [2, 8, true, true, 42], second?.report.reason);
  assert.equal(second?.report.held_out.fields, 2);
  assert.equal(heard.length, 2);
  await r.record('acc', 'p', true, [], 99);
  assert.equal((await store.documents('p')).length, 8, 'a document with no example keeps nothing');
});

test('scorer: learned parses; a capture uses the current version, the shipped weights while there is none, and still retrains', async () => {
  const parsed = parseProject({ ...(demoProject() as Record<string, unknown>), scorer: 'learned' });
  assert.ok(parsed.ok);
  assert.equal(captureSettings(parsed.project).scorer, 'learned');
  const store = inMemoryScorerLearning();
  const cold = await withLearnedScorer(parsed.project, store, 'p');
  assert.equal((captureSettings(cold).scorer as ScorerWeights).version, builtinScorer().version);
  assert.equal(learnsScorer(cold), true);
  const w = { ...builtinScorer(), version: 'mine' };
  await store.addVersion('acc', 'p', { created_at: 1, through_seq: 1, promoted: true, report: { examples: 1, project_examples: 1, held_out: { fields: 1, score: 1, current_score: 1, brier: 0, current_brier: 0, current_version: null }, promoted: true, reason: 'promoted', cpu_ms: 1 }, weights: w });
  assert.equal((captureSettings(await withLearnedScorer(parsed.project, store, 'p')).scorer as ScorerWeights).version, 'mine');
  const builtin = parseProject({ ...(demoProject() as Record<string, unknown>), scorer: 'builtin' });
  assert.ok(builtin.ok);
  assert.equal(await withLearnedScorer(builtin.project, store, 'p'), builtin.project, 'other settings are left alone');
  assert.equal(learnsScorer(builtin.project), false);
});
