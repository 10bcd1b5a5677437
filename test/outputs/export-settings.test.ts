/** @module Parsing of a project's `export:` section: defaults, scopes and every problem reported with its path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EXPORT, parseExportSettings } from '../../src/core/export-settings.ts';

test('no export section gives the JSON data file and the original', () => {
  const { settings, problems } = parseExportSettings(undefined);
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, DEFAULT_EXPORT);
});

test('a per-document name template makes the output per document', () => {
  const { settings, problems } = parseExportSettings([
    { format: 'json', name: '{task_name}_{document_index}.json' },
    { format: 'searchable_pdf' },
    { format: 'csv', rows: 'line_item', delimiter: 'tab' },
    { format: 'template', template: 'Total: {{fields.total}}', scope: 'document' },
  ]);
  assert.deepEqual(problems, []);
  assert.equal(settings[0]?.scope, 'document');
  assert.deepEqual(settings[1], { format: 'searchable_pdf', name: '{task_name}_{document_index}.pdf', scope: 'document' });
  assert.equal(settings[2]?.format === 'csv' && settings[2].delimiter, '\t');
  assert.equal(settings[2]?.scope, 'task');
  assert.equal(settings[3]?.name, '{task_name}_{document_index}.txt');
});

test('every problem is reported with its path', () => {
  const { settings, problems } = parseExportSettings([
    { format: 'json' },
    { format: 'docx' },
    { format: 'csv', delimiter: '""', rows: 'page' },
    { format: 'template' },
    { format: 'json', name: '{task_name}_{document_index}.json', scope: 'task' },
    { format: 'xml', name: '{nope}.xml' },
    { format: 'original', scope: 'document' },
    'json',
  ]);
  assert.deepEqual(settings, []);
  assert.deepEqual(problems.map((p) => p.path), [
    'export[1].format',
    'export[2].rows',
    'export[2].delimiter',
    'export[3].template',
    'export[4].name',
    'export[5].name',
    'export[6].scope',
    'export[7]',
  ]);
  assert.match(problems[0]?.message ?? '', /must be one of json, csv, xml, template, searchable_pdf, original/);
});

test('an export section that is not a list is one problem', () => {
  assert.deepEqual(parseExportSettings({ format: 'json' }, 'x').problems, [{ path: 'x', message: 'must be a list of outputs' }]);
});
