/**
 * @module The memory capture stage end to end over the production stage list: a receipt
 * learned once makes the next receipt of the same vendor, its name misread by OCR, come
 * out with the validated name and a total read under the vendor's label, confident
 * enough to pass without review; `learning: false` turns it off; a sample whose labels
 * are nowhere on its page teaches nothing; learning one sample stays under 50 ms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentResult } from '../../src/core/capture.ts';
import type { Page } from '../../src/core/page.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import { inMemoryVendorStore } from '../../src/core/memory/in-memory-store.ts';
import type { VendorMemoryStore } from '../../src/core/ports/vendor-memory.ts';
import { learnDocument } from '../../src/pipeline/capture/memory-learn.ts';
import { captureStages } from '../../src/pipeline/stages.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';
import { textPage } from '../capture/pages.ts';

function project(extra: Record<string, unknown> = {}): Project {
  const p = parseProject({ ...(demoProject() as Record<string, unknown>), ...extra });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.project;
}

function receipt(name: string, date: string, total: string, items: number): Page {
  const lines = [name, '(531384-M)', 'NO 31G, JALAN SETIA INDAH X U13/X', '40170 SHAH ALAM, SELANGOR', 'TEL: 03-33623086', 'GST ID: 001531760640', 'TAX INVOICE', `DATE: ${date}   CASHIER: ANNE`];
  for (let i = 0; i < items; i++) lines.push(`ITEM ${i + 1} PEN BLUE   1 X 2.50   2.50`);
  lines.push(`TOTAL AMOUNT (RM):   ${total}`, `CASH   50.00`, 'THANK YOU, PLEASE COME AGAIN');
  return textPage(0, lines, 0.9);
}

async function capture(p: Project, page: Page, memory: VendorMemoryStore): Promise<DocumentResult> {
  const ctx: PipelineContext = {
    taskId: 'T', project: p, tags: {}, blobs: null as never, fileKey: 'uploads/T', filePath: '', fileType: 'png', pageCount: 1, pages: pagesInMemory([page]),
    result: { pages: [{ index: 0, width: page.width, height: page.height, source: page.source }], documents: [], actions: [], needs_validation: false },
    outputs: [], limits: DEFAULT_LIMITS, engines: { close: async () => {}, pages: null as never }, signal: new AbortController().signal,
    memory: { store: memory, projectId: 'P', accountId: 'A' },
  };
  const stages = captureStages();
  for (const stage of stages.slice(stages.findIndex((s) => s.name === 'separate'))) await stage.run(ctx);
  return ctx.result.documents[0] as DocumentResult;
}

const labels = { company: 'SANYU STATIONERY SHOP', date: '2018-03-05', address: 'NO 31G, JALAN SETIA INDAH X U13/X 40170 SHAH ALAM, SELANGOR', total: '12.50' };

test('a known vendor: validated name instead of the misread one, total under its label, no review needed', async () => {
  const p = project();
  const memory = inMemoryVendorStore();
  const taught = await learnDocument({ store: memory, accountId: 'A', projectId: 'P' }, p, { document_type: 'Receipt', pages: [0, 0] }, [receipt('SANYU STATIONERY SHOP', '05/03/2018', '12.50', 5)], labels, 1);
  assert.equal(taught.ok, true);
  const next = receipt('SANYU STATI0NERY SH0P', '19/04/2018', '7.50', 3);
  const cold = await capture(p, next, inMemoryVendorStore());
  const warm = await capture(p, next, memory);
  const field = (d: DocumentResult, n: string) => d.fields.find((f) => f.name === n);
  assert.notEqual(field(cold, 'company')?.value, 'SANYU STATIONERY SHOP');
  assert.equal(field(warm, 'company')?.value, 'SANYU STATIONERY SHOP');
  assert.ok((field(warm, 'company')?.confidence ?? 0) >= 0.95, `company confidence ${field(warm, 'company')?.confidence}`);
  assert.equal(field(warm, 'total')?.value, 7.5);
  assert.ok(warm.notes?.some((n) => /vendor memory: vendor .* recognised by .*tax_id/.test(n)));
  assert.equal(warm.fields.filter((f) => f.needs_confirmation).map((f) => f.name).join(), '', 'nothing to confirm');
  const off = await capture(project({ learning: false }), next, memory);
  assert.equal(field(off, 'company')?.value, field(cold, 'company')?.value, 'learning: false uses no memory');
});

test('a sample whose labels are nowhere on its page teaches nothing and names the fields', async () => {
  const memory = inMemoryVendorStore();
  const out = await learnDocument({ store: memory, accountId: 'A', projectId: 'P' }, project(), { document_type: 'Receipt', pages: [0, 0] }, [receipt('SANYU STATIONERY SHOP', '05/03/2018', '12.50', 2)], { company: 'ACME WIDGETS GMBH', total: '999.99' }, 1);
  assert.deepEqual(out, { ok: false, unmatched: ['company', 'total'] });
  assert.equal((await memory.load('P')).vendors.length, 0);
});

test('learning one sample takes at most 50 ms (a 60-line receipt, median of 21)', async () => {
  const p = project();
  const memory = inMemoryVendorStore();
  const page = receipt('SANYU STATIONERY SHOP', '05/03/2018', '12.50', 50);
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    await learnDocument({ store: memory, accountId: 'A', projectId: 'P' }, p, { document_type: 'Receipt', pages: [0, 0] }, [page], labels, i);
    times.push(performance.now() - t);
  }
  const median = times.sort((a, b) => a - b)[10] as number;
  assert.ok(median <= 50, `median ${median.toFixed(1)} ms`);
});
