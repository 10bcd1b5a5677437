/**
 * @module Calibration learned from validations (core/calibration-outcomes.ts, the validate
 * stage): outcomes are counted per confidence bin within a bound, a field's map needs
 * `MIN_OUTCOMES`, `max_field_error` sets its threshold only once the map can decide, and a
 * field's own `confidence_threshold` still overrides on the raw confidence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALWAYS, CELL_CAP, fieldCalibration, learnedThreshold, MIN_OUTCOMES, recordOutcomes, type OutcomeCounts } from '../../src/core/calibration-outcomes.ts';
import { isVendorMemory } from '../../src/core/memory/model.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { captureSettings, parseProject, type Project } from '../../src/core/project.ts';
import type { DocumentResult } from '../../src/core/capture.ts';
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

test('a field is calibrated from MIN_OUTCOMES outcomes, its own vendor kind first, else pooled', () => {
  assert.equal(fieldCalibration(teach(undefined, MIN_OUTCOMES - 1, 20, 0.6), 'Receipt', 'total', false), null);
  const half = MIN_OUTCOMES / 2 + 1;
  const pooled = teach(teach(undefined, half, 5, 0.6), half, half, 0.96, true);
  const both = fieldCalibration(pooled, 'Receipt', 'total', true);
  assert.equal(both?.map.values, 2 * half, 'known alone has too few: both pooled');
  assert.equal(learnedThreshold(both, 0.5), null, 'a pooled map shows a confidence but sets no threshold');
  const own = teach(pooled, MIN_OUTCOMES, MIN_OUTCOMES, 0.96, true);
  assert.deepEqual(fieldCalibration(own, 'Receipt', 'total', true)?.map.values, half + MIN_OUTCOMES);
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

test('the validate stage calibrates a field and reviews it by max_field_error; a hand threshold overrides on the raw confidence', () => {
  const counts = teach(teach(undefined, 40, 20, 0.5), 60, 60, 0.95);
  const noHand = project((d) => {
    d.validation = { mode: 'when_needed', confidence_threshold: 0.9, max_field_error: 0.05 };
    for (const t of d.document_types as { fields: Record<string, unknown>[] }[]) for (const f of t.fields) delete f.confidence_threshold;
  });
  const low = receipt(0.5);
  validateDocument(noHand, captureSettings(noHand), low, '2026-12-07', undefined, { counts, known: false });
  assert.equal(low.fields[0]?.raw_confidence, 0.5);
  assert.ok(Math.abs((low.fields[0]?.confidence ?? 0) - 21 / 42) < 0.001, `calibrated ${low.fields[0]?.confidence}`);
  assert.equal(low.fields[0]?.needs_confirmation, true);
  const high = receipt(0.95);
  validateDocument(noHand, captureSettings(noHand), high, '2026-12-07', undefined, { counts, known: false });
  assert.equal(high.fields[0]?.needs_confirmation, false, `calibrated ${high.fields[0]?.confidence}, right 61 in 62`);
  // The demo project's total keeps its hand threshold (0.8) on the raw confidence.
  const hand = project((d) => { d.validation = { mode: 'when_needed', confidence_threshold: 0.9, max_field_error: 0.05 }; });
  const mid = receipt(0.85);
  validateDocument(hand, captureSettings(hand), mid, '2026-12-07', undefined, { counts, known: false });
  assert.equal(mid.fields[0]?.needs_confirmation, false, 'raw 0.85 above the hand 0.8');
  assert.ok((mid.fields[0]?.confidence ?? 1) < 0.6, 'the confidence shown is the calibrated one');
});
