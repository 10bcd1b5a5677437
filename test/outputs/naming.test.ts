/** @module Naming templates and file-name sanitisation: traversal, Windows device names, forbidden characters, length and collisions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeFileName, uniqueFileName } from '../../src/shared/file-names.ts';
import { NameAllocator, renderName, type NameContext } from '../../src/pipeline/outputs/naming.ts';
import type { ExportDocument } from '../../src/pipeline/outputs/data.ts';

const ctx = (tags: Record<string, string>): NameContext => ({ taskId: 'AAAAAAAAAAAAAAAAAAAAAA', tags, originalExtension: 'pdf' });
const doc: ExportDocument = {
  index: 2, document_type: 'Invoice', type_confidence: 1, pages: [3, 4],
  fields: { invoice_number: 'INV-7', total: 12.5, path: '../../etc/passwd', lines: [] }, field_details: [],
};

test('placeholders are filled from the task, its tags, the document and its fields', () => {
  const c = ctx({ task_name: 'AB3947853', file_name: 'scan 1.pdf', vendor: 'ACME' });
  assert.equal(renderName('{task_name}_{document_index}.pdf', c, doc), 'AB3947853_2.pdf');
  assert.equal(renderName('{tag.vendor}-{field.invoice_number}-{document_type}-{document_number}.json', c, doc), 'ACME-INV-7-Invoice-3.json');
  assert.equal(renderName('{file_name}', c, null), 'scan 1.pdf');
  assert.equal(renderName('{file_stem}.txt', c, null), 'scan 1.txt');
  assert.equal(renderName('{field.lines}{field.missing}.csv', c, doc), 'AAAAAAAAAAAAAAAAAAAAAA.csv');
});

test('the task name loses a document extension and falls back to the file name', () => {
  assert.equal(renderName('{task_name}.json', ctx({ file_name: 'C:\\inbox\\scan.TIFF' }), null), 'scan.json');
  assert.equal(renderName('{file_name}', ctx({ file_name: 'C:\\inbox\\scan.TIFF' }), null), 'scan.TIFF');
  assert.equal(renderName('{file_name}', ctx({}), null), 'AAAAAAAAAAAAAAAAAAAAAA.pdf');
});

test('values cannot climb out of the folder', () => {
  assert.equal(renderName('{field.path}.json', ctx({}), doc), '.._.._etc_passwd.json');
  assert.doesNotMatch(renderName('{tag.t}', ctx({ t: '../..' }), null), /[\\/]|^\.\.$/);
  for (const evil of ['..', '.', '...', '../', '..\\..\\x', '/etc/passwd', 'C:\\Windows\\win.ini', '\\\\server\\share']) {
    const name = sanitizeFileName(evil);
    assert.doesNotMatch(name, /[\\/]/);
    assert.notEqual(name, '..');
    assert.notEqual(name, '.');
  }
});

test('Windows device names are prefixed, with or without an extension, in any case', () => {
  for (const name of ['CON', 'con.txt', 'Nul.json', 'aux', 'PRN.pdf', 'COM1.csv', 'lpt9', 'COM¹.txt', 'con .txt']) {
    assert.match(sanitizeFileName(name), /^_/, name);
  }
  assert.equal(sanitizeFileName('CONTRACT.pdf'), 'CONTRACT.pdf');
  assert.equal(sanitizeFileName('COM10.txt'), 'COM10.txt');
});

test('forbidden characters, control characters and trailing dots or spaces go', () => {
  assert.equal(sanitizeFileName('a<b>c:d"e|f?g*h\u0001i.pdf'), 'a_b_c_d_e_f_g_h_i.pdf');
  assert.equal(sanitizeFileName('report. . '), 'report');
  assert.equal(sanitizeFileName('   '), 'unnamed');
  assert.equal(sanitizeFileName('.json'), 'unnamed.json');
});

test('long names are cut to 240 UTF-8 bytes, keeping the extension', () => {
  const name = sanitizeFileName(`${'é'.repeat(300)}.json`);
  assert.ok(Buffer.byteLength(name) <= 240);
  assert.ok(name.endsWith('é.json'));
});

test('collisions get (2), (3)… case-insensitively', () => {
  const names = new NameAllocator();
  assert.deepEqual(['a.json', 'A.json', 'a.json', 'b'].map((n) => names.allocate(n)), ['a.json', 'A (2).json', 'a (3).json', 'b']);
  assert.equal(uniqueFileName('x.pdf', new Set(['x.pdf', 'x (2).pdf'])), 'x (3).pdf');
});
