/**
 * @module A bare e-invoice XML as a task body, through the real processor (page engine,
 * filesystem blob store, the demo project): it is sniffed by content, rendered to a
 * readable PDF that carries the XML byte for byte (read back with qpdf), read by the page
 * engine, and exported with the XML as the original. XML that is not an invoice, or
 * hostile, fails the task with `invalid_einvoice` and the reason; other text with
 * `unsupported_file_type`.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { createEngines } from '../../src/pipeline/engines.ts';
import { createProcessor } from '../../src/pipeline/processor.ts';
import { openStoredPages } from '../../src/core/page-set.ts';
import { renderedPdfKey, resultKey } from '../../src/core/task-files.ts';
import type { CaptureResult } from '../../src/core/capture.ts';
import { parseProject } from '../../src/core/project.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { withRenderedXml } from '../../src/pipeline/einvoice/bare-xml.ts';
import { writeCii } from '../../src/core/einvoice/write-cii.ts';
import { writeUbl } from '../../src/core/einvoice/write-ubl.ts';
import { qpdfAttachments, skipXmlTools } from '../helpers/xml-tools.ts';
import { fullInvoice } from './samples.ts';

const engines = await createEngines({ threads: 1 });
after(() => engines.close());
const dir = await mkdtemp(join(tmpdir(), 'docket-bare-xml-'));
after(() => rm(dir, { recursive: true, force: true }));
const blobs = createFsBlobStore(dir);

function project(exportSettings: unknown) {
  const parsed = parseProject({ ...demoProject(), export: exportSettings });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.project;
}

async function run(taskId: string, body: string | Uint8Array, phase: 'capture' | 'finish', exportSettings: unknown = [{ format: 'original' }]) {
  const fileKey = `uploads/${taskId}`;
  if (phase === 'capture') await blobs.put(fileKey, typeof body === 'string' ? Buffer.from(body) : body);
  const process = createProcessor({ blobs, engines });
  return process({ taskId, accountId: 'a', project: project(exportSettings), tags: { task_name: taskId }, fileKey, phase, signal: new AbortController().signal });
}

async function pageText(taskId: string): Promise<string> {
  const pages = await openStoredPages(blobs, taskId);
  assert.ok(pages);
  const all = await pages.range(0, pages.count - 1);
  return all.flatMap((p) => p.words.map((w) => w.text)).join(' ');
}

for (const [syntax, xml] of [['UBL', writeUbl(fullInvoice())], ['CII', writeCii(fullInvoice())]] as const) {
  test(`a bare ${syntax} invoice is rendered, read by the page engine and exported with its XML as the original`, { skip: skipXmlTools('qpdf') }, async () => {
    const id = `bare-${syntax}`;
    const outcome = await run(id, xml, 'capture');
    assert.equal(outcome.documents_count, 1);
    const text = await pageText(id);
    for (const word of ['RE-2026-0042', 'Lieferant', 'Kunden', '529.87', 'DE75512108001245126199']) assert.ok(text.includes(word), `${word} in the rendered pages: ${text}`);

    // The fields come from the attached XML (the e-invoice stage), not from reading the rendered page.
    const result = JSON.parse((await blobs.read(resultKey(id))).toString('utf8')) as CaptureResult;
    const fields = Object.fromEntries(result.documents[0]!.fields.map((f) => [f.name, f]));
    assert.equal(result.documents[0]!.document_type, 'Invoice');
    for (const [name, value] of [['invoice_number', 'RE-2026-0042'], ['invoice_date', '2026-11-30'], ['supplier', 'Lieferant GmbH'], ['buyer', 'Kunden AG Mitte'], ['total', 529.87], ['iban', 'DE75512108001245126199']] as const) {
      assert.equal(fields[name]?.value, value, name);
      assert.equal(fields[name]?.confidence, 1, name);
      assert.equal(fields[name]?.source, 'einvoice', name);
    }
    assert.equal(outcome.action, 'export', 'nothing to review: every field is exact and the arithmetic holds');

    const rendered = await blobs.read(renderedPdfKey(id));
    const name = syntax === 'UBL' ? 'xrechnung.xml' : 'factur-x.xml';
    const { listing, bytes } = qpdfAttachments(rendered, name);
    assert.match(listing, new RegExp(`^${name.replace('.', '\\.')} -> `, 'm'));
    assert.equal(bytes.toString('utf8'), xml, 'the attachment is the upload, byte for byte');

    const finished = await run(id, xml, 'finish', [{ format: 'original' }, { format: 'searchable_pdf' }]);
    const [original, pdf] = finished.outputs;
    assert.deepEqual([original?.file_name, original?.content_type, original?.kind], [`${id}.xml`, 'application/xml', 'original']);
    assert.equal((await blobs.read(original!.blob_key)).toString('utf8'), xml);
    assert.equal(pdf?.content_type, 'application/pdf');

    const png = await withRenderedXml((await blobs.localFile(`uploads/${id}`)).path, (p) => engines.pages.renderPageImage(p, 'pdf', 0, { dpi: 50, format: 'png' }));
    assert.ok(png && png.subarray(1, 4).toString('latin1') === 'PNG', 'the portal can draw the page');
  });
}

test('XML that is not an invoice, or is hostile, fails with invalid_einvoice and the reason; other text with unsupported_file_type', async () => {
  const cases: [string, string, RegExp][] = [
    ['not-invoice', '<?xml version="1.0"?><Order xmlns="urn:example:order"><ID>1</ID></Order>', /not a CII or UBL invoice/],
    ['xxe', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;</Invoice>`, /DTD/],
    ['truncated', writeUbl(fullInvoice()).slice(0, 900), /not well-formed/],
  ];
  for (const [id, body, reason] of cases) {
    await assert.rejects(run(id, body, 'capture'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'invalid_einvoice', `${id}: ${e.message}`);
      assert.match(e.message, reason);
      return true;
    });
  }
  const big = Buffer.alloc(21 * 1024 * 1024, 0x20);
  Buffer.from(writeUbl(fullInvoice()).slice(0, 400)).copy(big);
  await assert.rejects(run('too-big', big, 'capture'), (e: Error & { code?: string }) => e.code === 'invalid_einvoice' && /more than the limit/.test(e.message));
  await assert.rejects(run('text', 'just some text, not a document', 'capture'), (e: Error & { code?: string }) => e.code === 'unsupported_file_type');
});
