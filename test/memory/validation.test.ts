/**
 * @module Every completed validation teaches the project: the processor's finish phase
 * (pipeline/processor.ts) applies a person's corrections and then learns from the
 * corrected documents, unless the project turns learning off. Real file blob store,
 * real stages; the pages are stored as the pages stage stores them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoProject } from '../../src/core/demo-project.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import { inMemoryVendorStore } from '../../src/core/memory/in-memory-store.ts';
import { blobTaskResults } from '../../src/core/task-results.ts';
import { legacyPagesKey } from '../../src/core/task-files.ts';
import { createProcessor } from '../../src/pipeline/processor.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { runCaptureStages } from '../capture/run-stages.ts';
import { textPage } from '../capture/pages.ts';

function project(extra: Record<string, unknown> = {}): Project {
  const p = parseProject({ ...(demoProject() as Record<string, unknown>), ...extra });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.project;
}

const page = textPage(0, ['SANYU STATI0NERY SHOP', '(531384-M)', 'NO 31G, JALAN SETIA INDAH X U13/X', 'TEL: 03-33623086', 'TAX INVOICE', 'DATE: 05/03/2018   CASHIER: ANNE', 'PEN BLUE   2.50', 'TOTAL AMOUNT (RM):   2.50', 'THANK YOU'], 0.9);

async function finishValidated(p: Project) {
  const dir = await mkdtemp(join(tmpdir(), 'docket-memory-'));
  try {
    const blobs = createFsBlobStore(dir);
    const results = blobTaskResults(blobs);
    const memory = inMemoryVendorStore();
    const heard: { ms: number; ok: boolean }[] = [];
    await blobs.put(legacyPagesKey('T1'), Buffer.from(JSON.stringify([page])));
    // The processor opens the task's file before any phase (a scratch copy on a remote store); the pages come from the stored ones.
    await blobs.put('uploads/T1', Buffer.from('%PDF-1.4\n'));
    const result = await runCaptureStages(p, [page], [{ index: 0, pages: [0, 0], document_type: null, type_confidence: 0, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, fields: [], messages: [] }], 'classify');
    await results.write('T1', result);
    await results.writeCorrections('T1', { documents: [{ document_type: 'Receipt', pages: [0, 0], fields: { company: 'SANYU STATIONERY SHOP', date: '2018-03-05', total: '2.50' } }] });
    const process = createProcessor({ blobs, engines: { close: async () => {}, pages: null as never }, finishStages: [], memory, onLearned: (e) => heard.push({ ms: e.ms, ok: e.outcome?.ok ?? false }) });
    const outcome = await process({ taskId: 'T1', accountId: 'A', projectId: 'P', project: p, tags: {}, fileKey: 'uploads/T1', phase: 'finish', signal: new AbortController().signal });
    return { outcome, memory: await memory.load('P'), heard };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a completed validation teaches the vendor memory the corrected values', async () => {
  const { outcome, memory, heard } = await finishValidated(project());
  assert.equal(outcome.action, 'export');
  assert.equal(memory.vendors.length, 1);
  assert.equal(memory.vendors[0]?.fields.Receipt?.company?.held, 'SANYU STATIONERY SHOP', 'the corrected name, not the misread one');
  assert.ok(memory.vendors[0]?.fields.Receipt?.total?.labels.some((l) => l.value === 'total amount rm'));
  assert.equal(heard.length, 1);
  assert.ok(heard[0]?.ok && (heard[0]?.ms ?? 99) <= 50, `learned in ${heard[0]?.ms} ms`);
});

test('a completed validation teaches the calibration how right capture was, per field, for a new vendor', async () => {
  const { memory } = await finishValidated(project());
  const counts = (key: string) => {
    const bins = memory.calibration?.[key]?.new ?? [];
    return { values: bins.reduce((s, b) => s + b[0], 0), right: bins.reduce((s, b) => s + b[1], 0), known: (memory.calibration?.[key]?.known ?? []).reduce((s, b) => s + b[0], 0) };
  };
  // Capture read the name with a zero for the O: the person corrected it, so the company's confidence was wrong once.
  assert.deepEqual(counts('Receipt.company'), { values: 1, right: 0, known: 0 });
  assert.deepEqual(counts('Receipt.total'), { values: 1, right: 1, known: 0 });
  assert.deepEqual(counts('Receipt.date'), { values: 1, right: 1, known: 0 });
});

test('learning: false — a completed validation teaches nothing', async () => {
  const { memory, heard } = await finishValidated(project({ learning: false }));
  assert.equal(memory.vendors.length, 0);
  assert.equal(heard.length, 0);
});
