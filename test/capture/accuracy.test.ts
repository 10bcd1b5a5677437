import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoProject } from '../../src/core/demo-project.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import { fitThreshold, fitThresholds } from '../../src/core/project/thresholds.ts';
import { addressCandidates } from '../../src/pipeline/capture/address.ts';
import { digitLookalikes, findAmounts, findDates } from '../../src/pipeline/capture/normalize.ts';
import { keyValuePairs } from '../../src/pipeline/capture/pairs.ts';
import { emptyDocument } from '../../src/pipeline/capture/stages.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { totalCandidates } from '../../src/pipeline/capture/total.ts';
import { addDocument, newEvaluation } from '../../scripts/eval-compare.ts';
import { textPage } from './pages.ts';
import { runCaptureStages } from './run-stages.ts';

function demo(): Project {
  const r = parseProject(demoProject());
  assert.ok(r.ok);
  return (r as { project: Project }).project;
}

/** The fields of a receipt page typed `Receipt`, as the production stages from `extract` on leave them. */
async function receiptFields(lines: string[]): Promise<Map<string, { value: unknown; confidence: number }>> {
  const doc = { ...emptyDocument(0, { first: 0, last: 0, confidence: 1 }, 0.8), document_type: 'Receipt' };
  const result = await runCaptureStages(demo(), [textPage(0, lines, 0.95)], [doc], 'extract');
  return new Map((result.documents[0]?.fields ?? []).map((f) => [f.name, { value: f.value, confidence: f.confidence }]));
}

test('look-alike letters inside numbers are read as digits, the text length unchanged; words stay', () => {
  assert.equal(digitLookalikes('TOTAL RM 3O.9O'), 'TOTAL RM 30.90');
  assert.equal(digitLookalikes('Date 2O18/O3/12'), 'Date 2018/03/12');
  for (const keep of ['SDN BHD', 'B1 unit', 'S$8.20', 'A1B2', '10:21', 'BOX 12 OF 3']) assert.equal(digitLookalikes(keep), keep);
  assert.equal(findAmounts('TOTAL 12.5O')[0]?.value.value, 12.5);
  assert.equal(findDates('2O18-O5-01')[0]?.value, '2018-05-01');
  assert.equal(digitLookalikes('x 3O.9O').length, 'x 3O.9O'.length);
  // A day's leading 0 read as O is a day only before a month's name.
  assert.equal(findDates('O5 Mar 2018 18:24')[0]?.value, '2018-03-05');
  assert.deepEqual(findDates('O5 units 2018'), []);
});

test('two dates one digit apart: the winner is a misread of the same date, so it is not accepted', async () => {
  const head = ['ACME TRADING SDN BHD', 'NO 5, JALAN BUNGA 3,', '43000 KAJANG, SELANGOR'];
  const tail = ['Coffee   4.50', 'TOTAL   RM 4.50', 'CASH   5.00', 'CHANGE   0.50'];
  const one = (await receiptFields([...head, 'DATE: 2016/05/01 14:11', ...tail])).get('date');
  const two = (await receiptFields([...head, 'DATE: 2016/06/01 14:11', ...tail, '002-2016/05/01 14:13'])).get('date');
  assert.equal(one?.value, '2016-05-01');
  // The learned scorer's confidence is a calibrated probability, halved for a misread (extract.ts): below the lone date's.
  assert.ok((two?.confidence ?? 1) < (one?.confidence ?? 0), `${two?.confidence} vs ${one?.confidence}`);
  const threshold = demo().capture?.document_types.find((t) => t.name === 'Receipt')?.fields.find((f) => f.name === 'date')?.confidence_threshold ?? 1;
  assert.ok((two?.confidence ?? 1) < threshold, 'below the review threshold');
  assert.ok((one?.confidence ?? 0) >= threshold, 'a lone labelled date is accepted');
});

test('total: a labelled total that contradicts cash minus change competes with it and loses confidence', () => {
  const agree = totalCandidates(documentLines([textPage(0, ['TOTAL ROUNDED   RM 30.90', 'CASH   RM 51.00', 'CHANGE   RM 20.10'], 0.95)]));
  const clash = totalCandidates(documentLines([textPage(0, ['TOTAL ROUNDED   RM 30.96', 'CASH   RM 51.00', 'CHANGE   RM 20.10'], 0.95)]));
  const top = (c: typeof agree): { value: unknown; score: number } => [...c].sort((a, b) => b.score - a.score)[0] as never;
  assert.equal(top(agree).value, 30.9);
  assert.equal(top(clash).value, 30.96);
  assert.ok(top(clash).score < 0.7 * top(agree).score, `${top(clash).score} vs ${top(agree).score}`);
  assert.ok(clash.some((c) => c.value === 30.9 && c.score <= 0.5), 'cash − change is a candidate');
  const garbled = totalCandidates(documentLines([textPage(0, ['Tota |   RM 30. 9)', 'TOTAL ROUNDED   RM 30.96'], 0.95)]));
  assert.ok(garbled.length === 2, 'an OCR-split "Tota |" label still counts');
});

test('address: a labelled phone or an e-mail line ends the block', () => {
  const lines = documentLines([textPage(0, ['MYNEWS', 'LOUNGE 2, GROUND FLOOR,', 'JALAN PJU 14/74,', '47301 PETALING JAYA SELANGOR', 'careline : 1800 88 1231', 'help@mynews.com.my'], 0.95)]);
  assert.equal(addressCandidates(lines)[0]?.value, 'LOUNGE 2, GROUND FLOOR, JALAN PJU 14/74, 47301 PETALING JAYA SELANGOR');
});

test('key_values: labels without a colon pair with the value right of them; names, dates and two labels side by side do not', () => {
  const page = textPage(0, [
    'COUPON REQUEST',
    'MEDIA TYPE      direct mail, 2 inserts',
    'CUSTOMER SHIPPING NUMBER 198-1160006',
    'Susan Smith 335-7733',
    'SEPTEMBER 22, 1997',
    'Date:      3/18/97',
    '',
    '',
    'Fax Number      Voice Number',
  ]);
  const pairs = keyValuePairs(documentLines([page])).map((p) => `${p.key} → ${p.value}`);
  assert.ok(pairs.includes('MEDIA TYPE → direct mail, 2 inserts'), pairs.join('; '));
  assert.ok(pairs.includes('CUSTOMER SHIPPING NUMBER → 198-1160006'), pairs.join('; '));
  assert.ok(pairs.includes('Date → 3/18/97'), pairs.join('; '));
  assert.ok(!pairs.some((p) => /Fax Number|Susan|SEPTEMBER/.test(p)), pairs.join('; '));
});

test('thresholds: the most confident wrong value plus the margin, rounded up; a floor; too few values fit nothing', () => {
  const rows = (wrong: number[], right: number[]): { confidence: number; ok: boolean }[] => [...wrong.map((c) => ({ confidence: c, ok: false })), ...right.map((c) => ({ confidence: c, ok: true }))];
  const fit = fitThreshold(rows([0.37, 0.2], [0.42, 0.45, 0.5, 0.6, 0.7, 0.9, 0.95, 0.97, 0.3]));
  assert.equal(fit.threshold, 0.5);
  assert.deepEqual([fit.accepted, fit.wrong, fit.values], [6, 0, 11]);
  assert.equal(fitThreshold(rows([], [0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99])).threshold, 0.4, 'no wrong value: the floor');
  assert.equal(fitThreshold(rows([0.95], [0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99])).threshold, 1.05, 'a confident wrong value: always reviewed');
  assert.equal(fitThreshold(rows([], [0.9, 0.95, 0.99])).threshold, null);
  assert.equal(fitThreshold(rows([0.45], Array(9).fill(0.9))).threshold, 0.55, '0.45 + 0.1 is 0.55, not 0.6 by float noise');
  assert.deepEqual([...fitThresholds(new Map([['Receipt.date', rows([0.3], Array(9).fill(0.8))]])).keys()], ['Receipt.date']);
});

test('eval: labelled outcomes are kept per type and field for --fit', () => {
  const ev = newEvaluation();
  const field = (name: string, value: unknown, confidence: number) => ({ name, type: 'text', value, text: null, confidence, areas: [], valid: true, messages: [], needs_confirmation: false }) as never;
  const doc = { ...emptyDocument(0, { first: 0, last: 0, confidence: 1 }, 0.8), document_type: 'Receipt', fields: [field('company', 'ACME', 0.9), field('total', 5, 0.7)] };
  addDocument(ev, { company: 'ACME', total: '6.00' }, doc, true);
  assert.deepEqual(ev.outcomes.get('Receipt.company'), [{ confidence: 0.9, ok: true }]);
  assert.deepEqual(ev.outcomes.get('Receipt.total'), [{ confidence: 0.7, ok: false }]);
});
