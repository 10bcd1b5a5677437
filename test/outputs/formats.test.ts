/** @module The data outputs rendered from one export data model: CSV (RFC 4180), XML, and sandboxed Mustache templates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { parseExportSettings, type CsvExport, type TemplateExport } from '../../src/core/export-settings.ts';
import type { CaptureResult } from '../../src/core/capture.ts';
import { buildExportData, EXPORT_SCHEMA } from '../../src/pipeline/outputs/data.ts';
import { renderCsv } from '../../src/pipeline/outputs/csv.ts';
import { renderXml } from '../../src/pipeline/outputs/xml.ts';
import { renderTemplate } from '../../src/pipeline/outputs/template.ts';

function field(name: string, type: string, value: unknown) {
  return { name, type, value, text: null, confidence: 0.9, areas: [], valid: true, messages: [], needs_confirmation: false } as CaptureResult['documents'][number]['fields'][number];
}

const result: CaptureResult = {
  pages: [{ index: 0, width: 612, height: 792, source: 'text' }, { index: 1, width: 612, height: 792, source: 'ocr' }],
  documents: [
    {
      index: 0, pages: [0, 0], document_type: 'Invoice', type_confidence: 0.95, type_needs_confirmation: false,
      boundary_confidence: 1, boundary_needs_review: false, messages: [],
      fields: [
        field('vendor', 'text', 'ACME, "Best" Ltd'),
        field('total', 'amount', 12.5),
        field('__proto__', 'text', 'odd name'),
        field('lines', 'table', [{ description: 'Bolt\nM6', qty: 2 }, { description: ' Nut', qty: 4 }]),
      ],
    },
    {
      index: 1, pages: [1, 1], document_type: null, type_confidence: 0, type_needs_confirmation: false,
      boundary_confidence: 0.8, boundary_needs_review: false, messages: [], fields: [field('total', 'amount', null)],
    },
  ],
  actions: [],
  needs_validation: false,
};
const data = buildExportData({ taskId: 'T1', taskName: 'scan', projectName: 'P', tags: { file_name: 'scan.pdf' } }, result);

function setting<T>(raw: Record<string, unknown>): T {
  const parsed = parseExportSettings([raw]);
  assert.deepEqual(parsed.problems, []);
  return parsed.settings[0] as T;
}

test('the data model keeps odd field names as fields and carries the schema version', () => {
  assert.equal(data.schema, EXPORT_SCHEMA);
  assert.equal(Object.getPrototypeOf(data.documents[0]?.fields), Object.prototype);
  assert.equal(data.documents[0]?.fields.__proto__, 'odd name');
  assert.equal(JSON.parse(JSON.stringify(data)).documents[0].fields.__proto__, 'odd name');
});

test('CSV per document: header, CRLF, quoting per RFC 4180', () => {
  const csv = renderCsv(data, setting<CsvExport>({ format: 'csv' }));
  assert.equal(csv,
    'document_index,document_type,first_page,last_page,vendor,total,__proto__\r\n' +
    '0,Invoice,0,0,"ACME, ""Best"" Ltd",12.5,odd name\r\n' +
    '1,,1,1,,,\r\n');
});

test('CSV per line item with a semicolon delimiter and chosen columns', () => {
  const csv = renderCsv(data, setting<CsvExport>({ format: 'csv', rows: 'line_item', delimiter: ';' }));
  assert.equal(csv,
    'document_index;document_type;first_page;last_page;vendor;total;__proto__;line_index;description;qty\r\n' +
    '0;Invoice;0;0;"ACME, ""Best"" Ltd";12.5;odd name;0;"Bolt\nM6";2\r\n' +
    '0;Invoice;0;0;"ACME, ""Best"" Ltd";12.5;odd name;1;" Nut";4\r\n');
  const picked = renderCsv(data, setting<CsvExport>({ format: 'csv', rows: 'line_item', columns: ['vendor', 'qty'], header: false }));
  assert.equal(picked, '"ACME, ""Best"" Ltd",2\r\n"ACME, ""Best"" Ltd",4\r\n');
});

test('XML parses back to the same documents and fields', () => {
  const xml = renderXml(data);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['document', 'field', 'row', 'cell', 'tag'].includes(name) }).parse(xml);
  assert.equal(parsed.export['@_schema'], EXPORT_SCHEMA);
  const [first, second] = parsed.export.document;
  assert.equal(first['@_document_type'], 'Invoice');
  assert.equal(first.field[0]['#text'], 'ACME, "Best" Ltd');
  assert.equal(first.field[3].row[0].cell[0]['#text'], 'Bolt\nM6');
  assert.equal(second['@_document_type'], '');
});

test('templates render fields, loop over documents and escape only when asked', () => {
  const text = renderTemplate(data, setting<TemplateExport>({
    format: 'template',
    template: '{{task.name}}:{{#documents}} [{{index}} {{document_type}}{{^document_type}}unknown{{/document_type}} {{fields.vendor}}]{{/documents}}',
  }));
  assert.equal(text, 'scan: [0 Invoice ACME, "Best" Ltd] [1 unknown ]');
  const html = renderTemplate(data, setting<TemplateExport>({ format: 'template', template: '{{documents.0.fields.vendor}}', escape: 'html' }));
  assert.equal(html, 'ACME, &quot;Best&quot; Ltd');
  const one = renderTemplate(data, setting<TemplateExport>({ format: 'template', scope: 'document', template: '{{#fields_list}}{{name}}={{value}};{{/fields_list}}|{{fields.total}}' }));
  assert.match(one, /^vendor=ACME, "Best" Ltd;total=12\.5;__proto__=odd name;lines=\[\{"description":"Bolt\\nM6","qty":2\},/);
});

test('templates cannot reach prototypes, constructors or partials', () => {
  const probes = [
    '{{constructor}}', '{{constructor.name}}', '{{__proto__}}', '{{task.constructor.constructor}}',
    '{{documents.constructor}}', '{{#documents}}{{constructor.name}}{{hasOwnProperty}}{{/documents}}',
    '{{documents.0.fields.total.constructor}}', '{{toString}}', '{{task.name.constructor}}', '{{> constructor}}',
    '{{#documents.map}}x{{/documents.map}}', '{{task.tags.valueOf}}',
  ];
  for (const template of probes) {
    assert.equal(renderTemplate(data, setting<TemplateExport>({ format: 'template', template })), '', template);
  }
});
