/**
 * @module The learned candidate scorer (src/core/scorer/): the conditional logit learns
 * which features mark the right candidate, isotonic calibration and its expected
 * calibration error, and thresholds derived from `max_field_error`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidateProbabilities, trainScorer, type ScorerExample } from '../../src/core/scorer/model.ts';
import { calibrated, expectedCalibrationError, fitIsotonic, thresholdForError } from '../../src/core/scorer/calibration.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { generatedDocuments } from '../../src/core/demo-training.ts';
import { scorerExamples } from '../../src/pipeline/capture/examples.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { targetThreshold } from '../../src/core/scorer/settings.ts';

test('the conditional logit learns which feature marks the right candidate, and "none" when no candidate is right', () => {
  const examples: ScorerExample[] = [];
  for (let i = 0; i < 40; i++) {
    // The right value has the label beside it; a decoy is larger. Every fifth field has no right candidate.
    const none = i % 5 === 0;
    examples.push({ kind: 'amount', candidates: [{ label_left: none ? 0 : 1, largest: 0 }, { label_left: 0, largest: 1 }], right: none ? -1 : 0 });
  }
  const w = trainScorer(examples, 't1', 'test');
  const kind = w.kinds.amount;
  assert.ok(kind && (kind.weights.label_left ?? 0) > 1, JSON.stringify(kind));
  const { p, none } = candidateProbabilities(kind, [{ label_left: 1, largest: 0 }, { label_left: 0, largest: 1 }]);
  assert.ok((p[0] as number) > 0.7 && (p[0] as number) > (p[1] as number) && none < 0.3, JSON.stringify({ p, none }));
  assert.equal(trainScorer(examples.slice(0, 5), 't2', 'test').kinds.amount, undefined, 'fewer than 10 fields: no weights');
});

test('isotonic calibration maps confidence to the right rate, smoothed by the rule of succession; ECE measures the gap', () => {
  const outcomes = [...Array.from({ length: 20 }, (_, i) => ({ confidence: 0.3 + i * 0.001, ok: i % 2 === 0 })), ...Array.from({ length: 30 }, () => ({ confidence: 0.9, ok: true }))];
  const map = fitIsotonic(outcomes);
  assert.ok(Math.abs(calibrated(map, 0.31) - 11 / 22) < 0.05, String(calibrated(map, 0.31)));
  assert.equal(calibrated(map, 0.95), 31 / 32 > 0.96 ? Number((31 / 32).toFixed(4)) : NaN);
  assert.ok(expectedCalibrationError(outcomes) > 0.05);
  assert.ok(expectedCalibrationError(outcomes.map((o) => ({ ...o, confidence: calibrated(map, o.confidence) }))) < 0.05);
  // 30 right in a row vouch for about 3 % error, not 1 %.
  assert.equal(thresholdForError(map, 0.01), null);
  assert.equal(thresholdForError(map, 0.05), Number((31 / 32).toFixed(4)));
});

test('generated documents teach the shipped kinds, and their examples carry only numbers', () => {
  const parsed = parseProject(demoProject());
  assert.ok(parsed.ok);
  const settings = (parsed as { project: Project }).project.capture!;
  const docs = generatedDocuments(4);
  const examples = docs.flatMap((g) => scorerExamples(settings.document_types.find((t) => t.name === g.type)!, documentLines([g.page]), settings, g.fields));
  assert.ok(new Set(examples.map((e) => e.kind)).has('total') && new Set(examples.map((e) => e.kind)).has('name'));
  assert.ok(examples.filter((e) => e.right >= 0).length >= examples.length * 0.8, 'the right value is among the candidates');
  for (const e of examples) for (const c of e.candidates) for (const v of Object.values(c)) assert.equal(typeof v, 'number');
});

test('a project file: scorer none | builtin | weights, and validation.max_field_error with its problems', () => {
  const base = demoProject();
  const ok = (extra: Record<string, unknown>) => parseProject({ ...base, ...extra });
  const none = ok({ scorer: 'none' });
  assert.ok(none.ok && none.project.capture?.scorer === 'none');
  const bad = ok({ scorer: { format: 'x', kinds: { total: { weights: { a: 'b' }, none: 1 } } } });
  assert.ok(!bad.ok && bad.problems.some((p) => p.path === 'scorer.format') && bad.problems.some((p) => p.path === 'scorer.kinds.total.weights'));
  const target = ok({ scorer: 'builtin', validation: { max_field_error: 0.05 } });
  assert.ok(target.ok && target.project.validation.max_field_error === 0.05);
  const wrong = ok({ validation: { max_field_error: 2 } });
  assert.ok(!wrong.ok && wrong.problems.some((p) => p.path === 'validation.max_field_error'));
  const settings = target.ok ? target.project.capture! : null;
  const date = settings?.document_types.find((t) => t.name === 'Receipt')?.fields.find((f) => f.name === 'date');
  const t = target.ok && settings && date ? targetThreshold(target.project.validation.max_field_error, settings, date) : null;
  assert.ok(t !== null && t >= 0.5 && t <= 1.01, String(t));
  // With the hand scores (the default) there is no calibration to take a threshold from.
  const hand = ok({ validation: { max_field_error: 0.05 } });
  const handSettings = hand.ok ? hand.project.capture! : null;
  assert.equal(hand.ok && handSettings && date ? targetThreshold(0.05, handSettings, date) : 'unparsed', null);
});
