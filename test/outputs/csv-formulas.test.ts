/**
 * @module CSV formula injection (OWASP, CSV Injection): a text cell that a spreadsheet
 * would run as a formula is written with a leading `'`, numbers typed as numbers are
 * left alone, and `formulas: allow` writes everything as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExportSettings, type CsvExport } from '../../src/core/export-settings.ts';
import type { CaptureResult } from '../../src/core/capture.ts';
import { buildExportData } from '../../src/pipeline/outputs/data.ts';
import { renderCsv, csvCell } from '../../src/pipeline/outputs/csv.ts';

function field(name: string, type: string, value: unknown) {
  return { name, type, value, text: null, confidence: 0.9, areas: [], valid: true, messages: [], needs_confirmation: false } as CaptureResult['documents'][number]['fields'][number];
}

const result: CaptureResult = {
  pages: [{ index: 0, width: 612, height: 792, source: 'text' }],
  documents: [{
    index: 0, pages: [0, 0], document_type: 'Invoice', type_confidence: 0.95, type_needs_confirmation: false,
    boundary_confidence: 1, boundary_needs_review: false, messages: [],
    fields: [
      field('vendor', 'text', '=HYPERLINK("http://evil.example","click")'),
      field('total', 'amount', -12.5),
      field('note', 'text', '-12.50'),
      field('ref', 'text', '@SUM(A1)'),
      field('plus', 'text', '+1'),
      field('tab', 'text', '\tx'),
      field('plain', 'text', 'a=b'),
    ],
  }],
  actions: [],
  needs_validation: false,
};
const data = buildExportData({ taskId: 'T1', taskName: 'scan', projectName: 'P', tags: {} }, result);

function setting(raw: Record<string, unknown>): CsvExport {
  const parsed = parseExportSettings([raw]);
  assert.deepEqual(parsed.problems, []);
  return parsed.settings[0] as CsvExport;
}

test('text cells starting with = + - @ tab or CR get a leading quote; numbers do not', () => {
  const csv = renderCsv(data, setting({ format: 'csv', columns: ['vendor', 'total', 'note', 'ref', 'plus', 'tab', 'plain'], header: false }));
  assert.equal(csv, `"'=HYPERLINK(""http://evil.example"",""click"")",-12.5,'-12.50,'@SUM(A1),'+1,'\tx,a=b\r\n`);
  assert.equal(csvCell('\r=1+1', ','), `"'\r=1+1"`);
});

test('formulas: allow writes the cells as they are', () => {
  const csv = renderCsv(data, setting({ format: 'csv', columns: ['vendor', 'note', 'ref'], header: false, formulas: 'allow' }));
  assert.equal(csv, '"=HYPERLINK(""http://evil.example"",""click"")",-12.50,@SUM(A1)\r\n');
});

test('formulas takes only escape or allow', () => {
  const parsed = parseExportSettings([{ format: 'csv', formulas: 'yes' }]);
  assert.deepEqual(parsed.problems.map((p) => p.path), ['export[0].formulas']);
  assert.equal(setting({ format: 'csv' }).formulas, 'escape');
});
