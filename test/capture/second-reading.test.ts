/**
 * @module The second reading (capture/second-reading.ts), end to end with the real
 * page engine: a receipt photo whose date is printed faint (light grey beside black
 * print) loses the date to Tesseract's global threshold; the second reading, with
 * adaptive thresholding, finds it, and only the missing field is taken from it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { demoProject } from '../../src/core/demo-project.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import type { CaptureResult } from '../../src/core/capture.ts';
import { createEngines } from '../../src/pipeline/engines.ts';
import { createProcessor } from '../../src/pipeline/processor.ts';
import { resultKey } from '../../src/core/task-files.ts';
import { captureStages } from '../../src/pipeline/stages.ts';
import { secondReadingStage } from '../../src/pipeline/capture/second-reading.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { withTempDir } from '../pages/fixtures.ts';

const engines = await createEngines({ threads: 2 });
after(() => engines.close());

const LINES = ['ACME TRADING SDN BHD', 'NO 5, JALAN BUNGA 3,', '43000 KAJANG, SELANGOR', 'Coffee 4.50', 'TOTAL RM 4.50'];

async function receiptPhoto(dateFill: string): Promise<Buffer> {
  const text = (s: string, y: number, fill: string) => `<text x="40" y="${y}" font-family="DejaVu Sans Mono" font-size="32" fill="${fill}">${s}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="700"><rect width="100%" height="100%" fill="white"/>${LINES.map((l, i) => text(l, 80 + i * 60, 'black')).join('')}${text('DATE 05/01/2018', 80 + LINES.length * 60, dateFill)}</svg>`;
  return sharp(Buffer.from(svg)).jpeg().withMetadata({ density: 200 }).toBuffer();
}

function demo(): Project {
  const parsed = parseProject(demoProject());
  assert.ok(parsed.ok);
  return parsed.project;
}

async function capture(photo: Buffer, withSecondReading: boolean): Promise<Map<string, unknown>> {
  return withTempDir(async (dir) => {
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    await blobs.put('uploads/t1', photo);
    const stages = captureStages().filter((s) => withSecondReading || s !== secondReadingStage);
    const process = createProcessor({ blobs, engines, captureStages: stages });
    await process({ taskId: 't1', accountId: 'a', project: demo(), tags: {}, fileKey: 'uploads/t1', phase: 'capture', signal: new AbortController().signal });
    const result = JSON.parse((await blobs.read(resultKey('t1'))).toString('utf8')) as CaptureResult;
    assert.equal(result.documents[0]?.document_type, 'Receipt');
    return new Map(result.documents[0]?.fields.map((f) => [f.name, f.value]));
  });
}

test('a faint date lost by the first reading is found by the second', async () => {
  const photo = await receiptPhoto('#c8c8c8');
  const first = await capture(photo, false);
  assert.equal(first.get('date'), null, 'the global threshold drops the faint date');
  const both = await capture(photo, true);
  assert.equal(both.get('date'), '2018-01-05');
  // What the first reading found stays as it was.
  for (const name of ['company', 'address', 'total']) assert.deepEqual(both.get(name), first.get(name), name);
});

test('a document with every required field found is not read again', async () => {
  let reread = 0;
  const counting = { ...engines, pages: { ...engines.pages, rereadPage: (...args: Parameters<typeof engines.pages.rereadPage>) => (reread++, engines.pages.rereadPage(...args)) } };
  await withTempDir(async (dir) => {
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    await blobs.put('uploads/t2', await receiptPhoto('black'));
    await createProcessor({ blobs, engines: counting })({ taskId: 't2', accountId: 'a', project: demo(), tags: {}, fileKey: 'uploads/t2', phase: 'capture', signal: new AbortController().signal });
    const result = JSON.parse((await blobs.read(resultKey('t2'))).toString('utf8')) as CaptureResult;
    assert.equal(result.documents[0]?.fields.find((f) => f.name === 'date')?.value, '2018-01-05');
  });
  assert.equal(reread, 0);
});

test('a conversion-only project (no document types) reads no page a second time', async () => {
  const parsed = parseProject({ name: 'Scans', validation: { mode: 'never' } });
  assert.ok(parsed.ok);
  let reread = 0;
  const counting = { ...engines, pages: { ...engines.pages, rereadPage: (...args: Parameters<typeof engines.pages.rereadPage>) => (reread++, engines.pages.rereadPage(...args)) } };
  await withTempDir(async (dir) => {
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    // The faint date that a receipt project reads a second time for (the first test).
    await blobs.put('uploads/t3', await receiptPhoto('#c8c8c8'));
    await createProcessor({ blobs, engines: counting })({ taskId: 't3', accountId: 'a', project: parsed.project, tags: {}, fileKey: 'uploads/t3', phase: 'capture', signal: new AbortController().signal });
    const result = JSON.parse((await blobs.read(resultKey('t3'))).toString('utf8')) as CaptureResult;
    assert.deepEqual(result.pages.map((p) => p.source), ['ocr']);
  });
  assert.equal(reread, 0);
});
