/** @module The outputs stage end to end on a real blob store: what each export setting produces, names, and the default. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { createEngines } from '../../src/pipeline/engines.ts';
import { outputsStage } from '../../src/pipeline/outputs/stage.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';
import type { DocumentResult } from '../../src/core/capture.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';

async function twoPagePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const text of ['Invoice 1', 'Receipt 2']) pdf.addPage([300, 400]).drawText(text, { x: 20, y: 350, size: 14 });
  return pdf.save();
}

function doc(index: number, type: string | null, total: number): DocumentResult {
  return {
    index, pages: [index, index], document_type: type, type_confidence: 1, type_needs_confirmation: false,
    boundary_confidence: 1, boundary_needs_review: false, messages: [],
    fields: [{ name: 'total', type: 'amount', value: total, text: String(total), confidence: 1, areas: [], valid: true, messages: [], needs_confirmation: false }],
  };
}

async function withContext(exportSettings: unknown, tags: Record<string, string>, run: (ctx: PipelineContext) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-outputs-'));
  const engines = await createEngines({ threads: 1 });
  try {
    const blobs = createFsBlobStore(dir);
    const fileKey = 'tasks/T1/file';
    await blobs.put(fileKey, await twoPagePdf());
    const ctx: PipelineContext = {
      taskId: 'T1', tags, blobs, fileKey, filePath: (await blobs.localFile(fileKey)).path, fileType: 'pdf', pageCount: 2, pages: pagesInMemory([]),
      project: { name: 'P', timeout_ms: null, client_action_timeout_ms: 1_800_000, validation: { mode: 'never', confidence_threshold: 0.9 }, definition: { name: 'P', export: exportSettings } },
      result: { pages: [], documents: [doc(0, 'Invoice', 12.5), doc(1, 'Invoice', 7)], actions: [], needs_validation: false },
      outputs: [], limits: DEFAULT_LIMITS, engines, signal: new AbortController().signal,
    };
    await run(ctx);
  } finally {
    await engines.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('without export settings: the JSON data file and the original', async () => {
  await withContext(undefined, { file_name: 'C:\\inbox\\scan 7.pdf' }, async (ctx) => {
    await outputsStage.run(ctx);
    assert.deepEqual(ctx.outputs.map((o) => [o.kind, o.file_name, o.content_type, o.document_index]), [
      ['data', 'scan 7.json', 'application/json', null],
      ['original', 'scan 7.pdf', 'application/pdf', null],
    ]);
    const json = JSON.parse((await ctx.blobs.read(ctx.outputs[0]!.blob_key)).toString('utf8'));
    assert.equal(json.schema, 'docket.export/v1');
    assert.deepEqual(json.documents.map((d: { fields: unknown }) => d.fields), [{ total: 12.5 }, { total: 7 }]);
    assert.equal(ctx.outputs[1]!.blob_key, ctx.fileKey);
  });
});

test('every data format, per task and per document, with names made unique', async () => {
  const settings = [
    { format: 'json', name: '{task_name}_{document_type}.json' },
    { format: 'csv', delimiter: ';', name: '{task_name}.csv' },
    { format: 'xml' },
    { format: 'template', name: '{tag.batch}/../{field.total}.txt', template: '{{document.document_type}} {{fields.total}}' },
  ];
  await withContext(settings, { task_name: 'B-17', batch: 'CON' }, async (ctx) => {
    await outputsStage.run(ctx);
    assert.deepEqual(ctx.outputs.map((o) => [o.file_name, o.document_index]), [
      ['B-17_Invoice.json', 0],
      ['B-17_Invoice (2).json', 1],
      ['B-17.csv', null],
      ['B-17.xml', null],
      ['CON_.._12.5.txt', 0],
      ['CON_.._7.txt', 1],
    ]);
    const text = await Promise.all(ctx.outputs.map(async (o) => (await ctx.blobs.read(o.blob_key)).toString('utf8')));
    assert.match(text[2]!, /^document_index;document_type;first_page;last_page;total\r\n0;Invoice;0;0;12\.5\r\n1;Invoice;1;1;7\r\n$/);
    assert.match(text[3]!, /<export schema="docket\.export\/v1">/);
    assert.equal(text[4], 'Invoice 12.5');
    for (const o of ctx.outputs) assert.equal(o.size, Buffer.byteLength(text[ctx.outputs.indexOf(o)]!));
  });
});

test('searchable PDF per document from the page engine', async () => {
  await withContext([{ format: 'searchable_pdf' }], { file_name: 'scan.pdf' }, async (ctx) => {
    await outputsStage.run(ctx);
    assert.deepEqual(ctx.outputs.map((o) => o.file_name), ['scan_0.pdf', 'scan_1.pdf']);
    for (const o of ctx.outputs) {
      const pdf = await PDFDocument.load(await ctx.blobs.read(o.blob_key));
      assert.equal(pdf.getPageCount(), 1);
    }
  });
});
