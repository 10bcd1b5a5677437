import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoProject } from '../../src/core/demo-project.ts';
import { captureSettings, parseProject, type Project } from '../../src/core/project.ts';
import { fitCombination, probabilities, type HeldOut } from '../../src/core/project/calibrate.ts';
import { classifyText } from '../../src/pipeline/capture/classify.ts';
import { extractDocument } from '../../src/pipeline/capture/extract.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { addPairs, newEvaluation } from '../../scripts/eval-compare.ts';
import { textPage } from './pages.ts';

function demo(): Project {
  const r = parseProject(demoProject());
  assert.ok(r.ok);
  return (r as { project: Project }).project;
}

test('type confidence: a clear invoice and receipt are confident; a form and a bare text are not', () => {
  const s = captureSettings(demo());
  const invoice = classifyText(s, 'ACME Supplies Ltd\nINVOICE\nInvoice number 2024-118\nInvoice date 12/02/2024\nBill to Harbour Cafe\nDescription Quantity Unit price Amount\nPaper A4 5 4.20 21.00\nSubtotal 21.00\nVAT 4.20\nTotal due 25.20\nPlease pay by bank transfer to IBAN NL91ABNA0417164300');
  assert.equal(invoice.type, 'Invoice');
  assert.ok(invoice.confidence >= s.classification.confirm_threshold, String(invoice.confidence));
  const receipt = classifyText(s, 'SUNNY MART\nCashier: Lee\nMilk 1 3.50\nEggs 1 6.90\nTotal 10.40\nCash 20.00\nChange 9.60\nThank you please come again');
  assert.equal(receipt.type, 'Receipt');
  assert.ok(receipt.confidence >= s.classification.confirm_threshold, String(receipt.confidence));
  const form = classifyText(s, 'EMPLOYEE REQUEST FORM\nName of employee:\nDepartment:\nSignature of supervisor:\nApproved [ ] Rejected [ ]');
  // Forms are among the demo's Letter/Other samples (demo-samples.ts); what matters is that a form is no invoice or receipt.
  assert.ok(form.type === null || form.type === 'Letter/Other', JSON.stringify(form));
  const none = classifyText(s, 'lorem ipsum dolor');
  assert.ok(none.confidence < s.classification.confirm_threshold, JSON.stringify(none));
});

test('calibration: perfectly separable samples give a finite scale and "none" takes unseen evidence', () => {
  const rows: HeldOut[] = [];
  for (let i = 0; i < 10; i++) {
    rows.push({ truth: 0, evidence: { sims: [0.6 + i * 0.01, 0.1], rules: [2, 0] } });
    rows.push({ truth: 1, evidence: { sims: [0.1, 0.5 + i * 0.01], rules: [0, 2] } });
  }
  const c = fitCombination(rows, true);
  assert.ok(Number.isFinite(c.scale) && c.scale <= 50);
  const sure = probabilities(c, { sims: [0.6, 0.1], rules: [2, 0] });
  assert.ok((sure.p[0] as number) > 0.9 && (sure.p[0] as number) < 0.999, JSON.stringify(sure));
  const unseen = probabilities(c, { sims: [0.05, 0.05], rules: [0, 0] });
  assert.ok(unseen.none > 0.5, JSON.stringify(unseen));
});

test('a model stored before the joint fit (no none_logit) still classifies', () => {
  const p = demo();
  const s = captureSettings(p);
  const old = { ...s, model: s.model ? { ...s.model, none_logit: undefined, rule_weight: undefined, reference_similarity: 0.3 } : null };
  const c = classifyText(old, 'Dear Sir or Madam,\nThank you for your letter.\nYours sincerely,\nJ. Smith');
  assert.equal(c.best, 'Letter/Other');
});

test('key_values: pairs by geometry right of and below their key, as a table field', () => {
  const r = parseProject({ name: 'Forms', document_types: [{ name: 'Form', fields: [{ name: 'pairs', type: 'table', extract: [{ heuristic: 'key_values' }] }] }] });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  if (!r.ok) return;
  const s = captureSettings(r.project);
  const page = textPage(0, ['REQUEST FORM', 'Name:      John Smith', 'Date: 25/03/2024     Division: North', 'Remarks:', 'Ship before Friday']);
  const [field] = extractDocument(s.document_types[0] as never, documentLines([page]), s, 1);
  assert.deepEqual(field?.value, [
    { key: 'Name', value: 'John Smith' },
    { key: 'Date', value: '25/03/2024' },
    { key: 'Division', value: 'North' },
    { key: 'Remarks', value: 'Ship before Friday' },
  ]);
  const bad = parseProject({ name: 'x', document_types: [{ name: 'A', fields: [{ name: 'f', extract: [{ heuristic: 'key_values' }] }] }] });
  assert.equal(bad.ok, false);
});

test('pairing is scored against question/answer links by letters and digits', () => {
  const ev = newEvaluation();
  const truth = { form: [
    { id: 0, text: 'DATE:', label: 'question', linking: [[0, 1]] },
    { id: 1, text: '3/18/97', label: 'answer', linking: [[0, 1]] },
    { id: 2, text: 'TO:', label: 'question', linking: [[2, 3]] },
    { id: 3, text: 'K. A. Sparrow', label: 'answer', linking: [[2, 3]] },
  ] };
  addPairs(ev, truth, [{ key: 'Date', value: '3/18/97' }, { key: 'To', value: 'K. A. Sparow' }, { key: 'From', value: 'X' }]);
  assert.deepEqual(ev.pairs, { found: 3, gold: 2, matched: 1, near: 2, documents: 1 });
});
