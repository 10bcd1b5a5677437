/**
 * @module Calibration learned from validations (core/calibration-outcomes.ts, the validate
 * stage): outcomes are counted per confidence bin within a bound, a field's map needs
 * `MIN_OUTCOMES`, `max_field_error` sets its threshold only once the map can decide, a
 * field's own `confidence_threshold` still overrides, and the review, the rules, the reason
 * and the re-check of submitted results all compare the calibrated confidence with the
 * same threshold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALWAYS, calibrated, CELL_CAP, fieldCalibration, learnedThreshold, mappedThreshold, MIN_OUTCOMES, PRIOR_WEIGHT, recordOutcomes, type OutcomeCounts } from '../../src/core/calibration-outcomes.ts';
import { isVendorMemory } from '../../src/core/memory/model.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { captureSettings, parseProject, type Project } from '../../src/core/project.ts';
import type { CaptureResult, DocumentResult, FieldResult } from '../../src/core/capture.ts';
import { checkValidationResults } from '../../src/pipeline/capture/results.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import { validateDocument } from '../../src/pipeline/capture/stages.ts';

/** `n` outcomes of Receipt.total at `confidence`, `right` of them right. */
function teach(counts: OutcomeCounts | undefined, n: number, right: number, confidence: number, known = false): OutcomeCounts {
  let c = counts;
  for (let i = 0; i < n; i++) c = recordOutcomes(c, 'Receipt', known, [{ field: 'total', confidence, ok: i < right }]);
  return c as OutcomeCounts;
}

test('outcomes are counted per bin, per vendor kind, and a full cell is halved', () => {
  const c = teach(teach(undefined, 3, 2, 0.42), 1, 1, 0.97, true);
  assert.deepEqual(c['Receipt.total']?.new[8], [3, 2, 1.26]);
  assert.deepEqual(c['Receipt.total']?.known[19], [1, 1, 0.97]);
  const full = teach(undefined, CELL_CAP + 1, CELL_CAP + 1, 0.5);
  const values = full['Receipt.total']?.new.reduce((s, b) => s + b[0], 0) ?? 0;
  assert.ok(values <= CELL_CAP / 2 + 1, `${values} values kept`);
  assert.ok(isVendorMemory({ version: 1, vendors: [], calibration: full }));
  assert.ok(!isVendorMemory({ version: 1, vendors: [], calibration: { 'Receipt.total': { known: [[1, 'x', 0]], new: [] } } }));
});

test('a field is calibrated from MIN_OUTCOMES outcomes of both vendor kinds, each kind leaning on the other where it has few', () => {
  assert.equal(fieldCalibration(teach(undefined, MIN_OUTCOMES - 1, 20, 0.6), 'Receipt', 'total', false), null);
  const half = MIN_OUTCOMES / 2 + 1;
  const both = teach(teach(undefined, half, 5, 0.6), half, half, 0.96, true);
  const known = fieldCalibration(both, 'Receipt', 'total', true);
  assert.equal(known?.own, false, 'known alone has too few');
  assert.equal(known?.map.values, half);
  assert.equal(learnedThreshold(known, 0.5), null, 'a kind with too few of its own shows a confidence but sets no threshold');
  // At 0.6 only new vendors' values were seen (5 right of 11): a known vendor's 0.6 takes their rate; at 0.96 its own 11 right values outweigh the prior of PRIOR_WEIGHT at that rate.
  assert.ok(Math.abs(calibrated(known?.map, 0.6) - 6 / 13) < 0.01, `0.6 → ${calibrated(known?.map, 0.6)}`);
  assert.ok(Math.abs(calibrated(known?.map, 0.96) - (11 + PRIOR_WEIGHT * (6 / 13)) / (11 + PRIOR_WEIGHT)) < 0.01, `0.96 → ${calibrated(known?.map, 0.96)}`);
  const own = teach(both, MIN_OUTCOMES, MIN_OUTCOMES, 0.96, true);
  assert.equal(fieldCalibration(own, 'Receipt', 'total', true)?.own, true);
  assert.equal(fieldCalibration(own, 'Receipt', 'total', true)?.map.values, half + MIN_OUTCOMES);
});

test('a hand threshold maps to the rate of the first block above it; a block straddling it is reviewed', () => {
  const map = { x: [0, 0.5, 0.9], y: [0.3, 0.7, 0.97], n: [10, 10, 30], values: 50 };
  assert.equal(mappedThreshold(map, 0.5), 0.7);
  assert.equal(mappedThreshold(map, 0.55), 0.97, '0.55 falls inside the block from 0.5: its values earn 0.7 on both sides of it');
  assert.equal(mappedThreshold(map, 0), 0.3);
  assert.equal(mappedThreshold(map, 0.93), 0.97, 'within the last block\'s first bin');
  assert.equal(mappedThreshold(map, 0.97), ALWAYS);
});

test('max_field_error decides once the map can vouch for it or holds 1 / error values', () => {
  // 60 right at 0.95, 40 half right at 0.5: at 5 % the upper block is vouched for, at 1 % not yet (60 < 98 right in a row).
  const c = teach(teach(undefined, 40, 20, 0.5), 60, 60, 0.95);
  const map = fieldCalibration(c, 'Receipt', 'total', false);
  const t5 = learnedThreshold(map, 0.05);
  assert.ok(t5 !== null && t5 > 0.95 && t5 < 1, `threshold ${t5}`);
  assert.equal(learnedThreshold(map, 0.01), ALWAYS, '100 values and none vouched for at 1 %: always reviewed');
  assert.equal(learnedThreshold(fieldCalibration(teach(undefined, 50, 50, 0.95), 'Receipt', 'total', false), 0.01), null, '50 right: the hand threshold still applies');
  assert.ok(MIN_OUTCOMES <= 50);
  assert.equal(learnedThreshold(map, undefined), null);
});

function receipt(confidence: number): DocumentResult {
  return { index: 0, pages: [0, 0], document_type: 'Receipt', type_confidence: 0.99, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, messages: [],
    fields: [{ name: 'total', type: 'amount', value: 12.5, text: '12.50', confidence, areas: [], valid: true, messages: [], needs_confirmation: false }] };
}

function project(edit: (d: Record<string, unknown>) => void): Project {
  const d = demoProject() as Record<string, unknown>;
  edit(d);
  const p = parseProject(d);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.project;
}

test('the validate stage calibrates a field and reviews it by max_field_error', () => {
  const counts = teach(teach(undefined, 40, 20, 0.5), 60, 60, 0.95);
  const noHand = withoutHand(0.05);
  const low = receipt(0.5);
  validateDocument(noHand, captureSettings(noHand), low, '2026-12-07', undefined, { counts, known: false });
  assert.equal(low.fields[0]?.raw_confidence, 0.5);
  assert.ok(Math.abs((low.fields[0]?.confidence ?? 0) - 21 / 42) < 0.001, `calibrated ${low.fields[0]?.confidence}`);
  assert.equal(low.fields[0]?.needs_confirmation, true);
  const high = receipt(0.95);
  validateDocument(noHand, captureSettings(noHand), high, '2026-12-07', undefined, { counts, known: false });
  assert.equal(high.fields[0]?.needs_confirmation, false, `calibrated ${high.fields[0]?.confidence}, right 61 in 62`);
  assert.equal(high.fields[0]?.review_threshold, learnedThreshold(fieldCalibration(counts, 'Receipt', 'total', false), 0.05));
});

/** A copy of the demo with no field's own threshold, and `max_field_error`. */
function withoutHand(maxError: number): Project {
  return project((d) => {
    d.validation = { mode: 'when_needed', confidence_threshold: 0.9, max_field_error: maxError };
    for (const t of d.document_types as { fields: Record<string, unknown>[] }[]) for (const f of t.fields) delete f.confidence_threshold;
  });
}

test('a hand threshold is compared, mapped by the calibration, with the calibrated confidence shown, and the reason gives both numbers', () => {
  const counts = teach(teach(undefined, 40, 20, 0.5), 60, 60, 0.95);
  const hand = project((d) => { d.validation = { mode: 'when_needed', confidence_threshold: 0.9, max_field_error: 0.05 }; });
  const own = captureSettings(hand).document_types.find((t) => t.name === 'Receipt')?.fields.find((f) => f.name === 'total')?.confidence_threshold;
  assert.ok(typeof own === 'number' && own > 0.5 && own < 0.85, `the demo's receipt total threshold ${own}`);
  // Raw 0.85 is above the hand threshold, but it falls in the block of values right half the time: the field is reviewed, against 0.98.
  const mid = receipt(0.85);
  validateDocument(hand, captureSettings(hand), mid, '2026-12-07', undefined, { counts, known: false });
  const f = mid.fields[0];
  assert.equal(f?.raw_confidence, 0.85);
  assert.ok(Math.abs((f?.confidence ?? 1) - 0.5) < 0.001, `calibrated ${f?.confidence}`);
  assert.ok(Math.abs((f?.review_threshold ?? 0) - 61 / 62) < 0.001, `threshold ${f?.review_threshold}`);
  assert.equal(f?.needs_confirmation, true);
  assert.equal(f?.confirmation_reason, 'confidence 50 % (below 98 %)');
  const high = receipt(0.96);
  validateDocument(hand, captureSettings(hand), high, '2026-12-07', undefined, { counts, known: false });
  assert.equal(high.fields[0]?.needs_confirmation, false);
});

/** The document of a task captured with `calibration`, and its re-check with nothing changed by the person. */
async function recheck(p: Project, doc: DocumentResult, calibration: { counts: OutcomeCounts; known: boolean }): Promise<DocumentResult | undefined> {
  validateDocument(p, captureSettings(p), doc, '2026-12-07', undefined, calibration);
  const result: CaptureResult = { pages: [{ index: 0, width: 600, height: 800, source: 'ocr' }], documents: [doc], actions: [], needs_validation: false };
  const checked = await checkValidationResults({ project: p, result, pages: pagesInMemory([]), submitted: { documents: [{ pages: [0, 0], document_type: doc.document_type, fields: {} }] } });
  assert.ok(checked.ok, JSON.stringify(checked));
  return checked.ok ? checked.result.documents[0] : undefined;
}

test('the re-check of submitted results compares the calibrated confidence with the threshold capture used', async () => {
  // 100 right values at 0.8: calibrated 0.99, which vouches for 5 %; the project's own threshold (0.9) is above the raw 0.8.
  const counts = teach(undefined, 100, 100, 0.8);
  const p = withoutHand(0.05);
  const doc = receipt(0.8);
  const again = await recheck(p, structuredClone(doc), { counts, known: false });
  validateDocument(p, captureSettings(p), doc, '2026-12-07', undefined, { counts, known: false });
  assert.equal(doc.fields[0]?.needs_confirmation, false, 'capture accepts it');
  assert.equal(again?.fields[0]?.needs_confirmation, false, 'and so does the re-check');
  assert.equal(again?.fields[0]?.review_threshold, doc.fields[0]?.review_threshold);
  assert.equal(again?.fields[0]?.confidence, doc.fields[0]?.confidence);
});

test('a rule that names an unsure total uses the same calibrated confidence and threshold as the review', () => {
  const counts: OutcomeCounts = {};
  let c: OutcomeCounts | undefined = counts;
  for (let i = 0; i < 100; i++) c = recordOutcomes(c, 'Invoice', false, [{ field: 'subtotal', confidence: 0.8, ok: true }]);
  const p = withoutHand(0.05);
  const doc = invoice(0.8);
  validateDocument(p, captureSettings(p), doc, '2026-12-07', undefined, { counts: c as OutcomeCounts, known: false });
  const by = new Map(doc.fields.map((f) => [f.name, f]));
  const subtotal = by.get('subtotal');
  assert.ok((subtotal?.confidence ?? 0) >= (subtotal?.review_threshold ?? 1), `calibrated ${subtotal?.confidence} against ${subtotal?.review_threshold}`);
  assert.equal(subtotal?.valid, true, 'a subtotal the review accepts is not the one the rule blames');
  assert.equal(by.get('line_items')?.valid, false, 'the table is what to check');
  // Without the calibration the raw 0.8 is below the project's 0.9: the subtotal is the unsure one, named with the number compared.
  const cold = invoice(0.8);
  validateDocument(p, captureSettings(p), cold, '2026-12-07');
  const s = cold.fields.find((f) => f.name === 'subtotal');
  assert.equal(s?.valid, false);
  assert.match(s?.messages[0] ?? '', /check subtotal \(read with 80 % confidence\)/);
});

/** An invoice whose lines each add up (quantity × unit price) but sum to 119.50, against a subtotal 149.50 read at `confidence`. */
function invoice(confidence: number): DocumentResult {
  const f = (name: string, type: string, value: FieldResult['value'], conf = 1): FieldResult => ({ name, type, value, text: null, confidence: conf, areas: [], valid: true, messages: [], needs_confirmation: false });
  const rows = [{ description: 'Widget', quantity: 4, unit_price: 25, amount: 100 }, { description: 'Bolt', quantity: 10, unit_price: 1.95, amount: 19.5 }];
  return { index: 0, pages: [0, 0], document_type: 'Invoice', type_confidence: 0.99, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, messages: [],
    fields: [f('subtotal', 'amount', 149.5, confidence), f('tax', 'amount', 29.9), f('total', 'amount', 179.4), f('line_items', 'table', rows)] };
}
