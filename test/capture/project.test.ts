import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { demoProject, DEMO_PROJECT_NAME } from '../../src/core/demo-project.ts';
import { documentTypeSchemas, parseProject, projectFromBundle, projectFromFile } from '../../src/core/project.ts';
import { patternProblem } from '../../src/core/project/pattern.ts';
import { readZip } from '../../src/core/project/zip.ts';

test('every problem is reported at once, each with its path', () => {
  const r = projectFromFile(`
name: X
separation: { mode: barcodes }
document_types:
  - name: Invoice
    fields:
      - { name: total, type: amount }
      - { name: n, type: text, extract: [{ label: No, pattern: "[" }], colour: red }
    rules: [{ check: "subtotal + total == total" }, { check: "total +* 2" }]
`);
  assert.equal(r.ok, false);
  if (r.ok) return;
  const paths = r.problems.map((p) => `${p.path}: ${p.message}`);
  assert.ok(paths.some((p) => p.startsWith('separation.mode: must be one of')));
  assert.ok(paths.some((p) => p.startsWith('document_types[0].fields[1].extract[0].pattern: invalid regex')));
  assert.ok(paths.includes('document_types[0].fields[1].colour: unknown key'));
  assert.ok(paths.includes('document_types[0].rules[0].check: unknown field "subtotal"'));
  assert.ok(paths.some((p) => p.startsWith('document_types[0].rules[1].check: invalid expression')));
});

test('patterns the linear-time engine cannot run are rejected; nested repeats it runs safely pass', () => {
  for (const bad of ['(a)\\1', 'a(?=b)', '(?<!x)y', 'a++', '(?>a)', 'x\\Z', '^(?:a+){1,1000}$', 'a{1001}']) assert.notEqual(patternProblem(bad, 'i'), null, bad);
  for (const ok of ['(a+)+$', '(a|aa)*b', '[A-Z0-9-]{4,}', '(?:[A-Z]{2} ?){1,8}', '^(\\d+)$', 'Invoice\\s*(?:No|#)\\s*(\\S+)']) assert.equal(patternProblem(ok, 'i'), null, ok);
  const r = parseProject({ name: 'x', document_types: [{ name: 'A', fields: [{ name: 'f', extract: [{ pattern: '(a)\\1' }] }] }] });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.problems[0]?.message ?? '', /unsupported regex: back-references/);
});

test('broken YAML is one problem, not a crash', () => {
  const r = projectFromFile('name: [unclosed');
  assert.equal(r.ok, false);
});

test('the demo project parses, carries a trained model and its schemas', () => {
  const r = parseProject(demoProject());
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  if (!r.ok) return;
  assert.equal(r.project.name, DEMO_PROJECT_NAME);
  assert.ok(r.project.capture?.model);
  assert.deepEqual(JSON.parse(JSON.stringify(r.project)), r.project, 'plain JSON');
  const schemas = documentTypeSchemas(r.project);
  assert.deepEqual(schemas.map((s) => s.name), ['Invoice', 'Receipt', 'Letter/Other']);
  assert.deepEqual(schemas[1]?.fields.map((f) => f.name), ['company', 'date', 'address', 'total']);
  assert.ok(schemas[0]?.fields.find((f) => f.name === 'line_items')?.columns?.length);
});

/** A zip built by hand (APPNOTE: local headers, central directory, end record), deflated entries. */
function zip(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, packed);
    centrals.push(central, n);
    offset += 30 + n.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

test('a bundle brings project.yaml, lookup lists and text samples (trained at once)', () => {
  const r = projectFromBundle(
    zip({
      'acme/project.yaml': 'name: ACME\ndocument_types:\n  - name: Invoice\n    fields: [{ name: supplier, extract: [{ lookup: suppliers }] }]\n  - name: Letter\n',
      'acme/lookups/suppliers.csv': 'name\nAcme Ltd\n"Globex, Inc"\n',
      'acme/samples/Invoice/a.txt': 'INVOICE number 1 total due',
      'acme/samples/Letter/a.txt': 'Dear Sir, yours sincerely',
      'acme/samples/Letter/scan.pdf': '%PDF-1.4',
    }),
  );
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  if (!r.ok) return;
  assert.deepEqual(r.project.capture?.lookups.suppliers, ['Acme Ltd', 'Globex, Inc']);
  assert.ok(r.project.capture?.model);
  assert.deepEqual(r.samples.map((s) => s.name), ['samples/Letter/scan.pdf']);
});

test('zip limits: path traversal, bombs and garbage are refused', () => {
  assert.throws(() => readZip(zip({ '../evil.txt': 'x' })), /unsafe entry name/);
  assert.throws(() => readZip(zip({ 'big.txt': 'a'.repeat(10_000) }), { maxEntries: 10, maxEntryBytes: 1000, maxTotalBytes: 1000 }), /larger than/);
  assert.equal(projectFromBundle(new Uint8Array([1, 2, 3])).ok, false);
  const noProject = projectFromBundle(zip({ 'readme.txt': 'hi' }));
  assert.equal(noProject.ok, false);
});

test('ocr.line_reading: uncertain unless the project says, checked like any setting', () => {
  const plain = parseProject({ name: 'x', document_types: [{ name: 'A' }] });
  assert.ok(plain.ok);
  if (plain.ok) assert.deepEqual(plain.project.capture?.ocr, { line_reading: 'uncertain' });
  const off = parseProject({ name: 'x', ocr: { line_reading: 'off' }, document_types: [{ name: 'A' }] });
  assert.ok(off.ok);
  if (off.ok) assert.equal(off.project.capture?.ocr.line_reading, 'off');
  const bad = parseProject({ name: 'x', ocr: { line_reading: 'sometimes', engine: 'x' }, document_types: [{ name: 'A' }] });
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  const paths = bad.problems.map((p) => `${p.path}: ${p.message}`);
  assert.ok(paths.some((p) => p.startsWith('ocr.line_reading: must be one of')), paths.join('\n'));
  assert.ok(paths.includes('ocr.engine: unknown key'), paths.join('\n'));
});

test('separation.patch_codes: all six unless the project names some; unknown ones are problems with their paths', () => {
  const all = parseProject({ name: 'x', separation: { mode: 'patch_code' }, document_types: [{ name: 'A' }] });
  assert.ok(all.ok);
  if (all.ok) assert.deepEqual(all.project.capture?.separation.patch_codes, ['1', '2', '3', '4', '6', 'T']);
  const some = parseProject({ name: 'x', separation: { mode: 'patch_code', patch_codes: [2, 't', 'T'] }, document_types: [{ name: 'A' }] });
  assert.ok(some.ok);
  if (some.ok) assert.deepEqual(some.project.capture?.separation.patch_codes, ['2', 'T']);
  const bad = parseProject({ name: 'x', separation: { mode: 'patch_code', patch_codes: ['T', 5] }, document_types: [{ name: 'A' }] });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.deepEqual(bad.problems.map((p) => p.path), ['separation.patch_codes[1]']);
  const none = parseProject({ name: 'x', separation: { mode: 'patch_code', patch_codes: [] }, document_types: [{ name: 'A' }] });
  assert.equal(none.ok, false);
  if (!none.ok) assert.deepEqual(none.problems.map((p) => `${p.path}: ${p.message}`), ['separation.patch_codes: must name at least one patch code']);
});

test('the published JSON Schema accepts the demo project and a patch-code project, and rejects an unknown patch', async () => {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const schema = JSON.parse(await readFile(new URL('../../docs/project.schema.json', import.meta.url), 'utf8')) as object;
  const validate = new Ajv2020({ strict: false }).compile(schema);
  assert.ok(validate(demoProject()), JSON.stringify(validate.errors));
  assert.ok(validate({ name: 'x', separation: { mode: 'patch_code', patch_codes: ['T', 2] } }), JSON.stringify(validate.errors));
  assert.equal(validate({ name: 'x', separation: { mode: 'patch_code', patch_codes: ['5'] } }), false);
});
