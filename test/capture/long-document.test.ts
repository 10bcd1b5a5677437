/**
 * @module A long document is extracted in parts of `EXTRACT_CHUNK_PAGES` pages
 * (long-document.ts) with memory bounded by one part: the parts' fields must come
 * out as one document's — header fields from the first page, a total from the
 * last, the one table from the page that has it — and parts that disagree on a
 * value must lower its confidence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProject, captureSettings, type Project } from '../../src/core/project.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import type { Page } from '../../src/core/page.ts';
import { emptyDocument } from '../../src/pipeline/capture/stages.ts';
import { EXTRACT_CHUNK_PAGES, extractStored } from '../../src/pipeline/capture/long-document.ts';
import { textPage } from './pages.ts';

function project(): Project {
  const r = parseProject({
    name: 'Long',
    document_types: [
      {
        name: 'Statement',
        classify: { keywords: ['statement'] },
        fields: [
          { name: 'number', extract: [{ label: ['Statement No'], pattern: '([A-Z0-9-]{4,})' }] },
          { name: 'total', type: 'amount', extract: [{ label: ['Grand total'] }] },
          { name: 'lines', type: 'table', columns: [{ name: 'description', header: ['Description'] }, { name: 'amount', type: 'amount', header: ['Amount'] }], end: '^Carried' },
        ],
      },
    ],
  });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return (r as { project: Project }).project;
}

function statement(pages: number, numberOnPage: (i: number) => string | null): Page[] {
  return Array.from({ length: pages }, (_, i) => {
    const lines = [`STATEMENT page ${i + 1}`];
    const number = numberOnPage(i);
    if (number) lines.push(`Statement No: ${number}`);
    // The item table sits on one page past the first part, as a table is read on one page.
    if (i === EXTRACT_CHUNK_PAGES + 3) lines.push('Description   Amount', 'Paper         12.50', 'Toner         80.00', 'Carried forward');
    if (i === pages - 1) lines.push('Grand total   99.00');
    return textPage(i, lines);
  });
}

async function extract(pages: Page[]) {
  const settings = captureSettings(project());
  const doc = { ...emptyDocument(0, { first: 0, last: pages.length - 1, confidence: 1 }, 0.5), document_type: 'Statement' };
  const fields = await extractStored(settings, doc, pagesInMemory(pages));
  return Object.fromEntries(fields.map((f) => [f.name, f]));
}

test('a document longer than one part reads as one document', async () => {
  const length = 2 * EXTRACT_CHUNK_PAGES + 10;
  const f = await extract(statement(length, (i) => (i === 0 ? 'ST-2041' : null)));
  assert.equal(f.number?.value, 'ST-2041');
  assert.deepEqual(f.number?.areas.map((a) => a.page), [0]);
  assert.equal(f.total?.value, 99);
  assert.deepEqual(f.total?.areas.map((a) => a.page), [length - 1]);
  assert.deepEqual(f.lines?.value, [
    { description: 'Paper', amount: 12.5 },
    { description: 'Toner', amount: 80 },
  ]);
  assert.deepEqual([...new Set(f.lines?.areas.map((a) => a.page))], [EXTRACT_CHUNK_PAGES + 3]);
});

test('parts that disagree halve the confidence and keep the other value as an alternative', async () => {
  const length = EXTRACT_CHUNK_PAGES + 5;
  const agree = await extract(statement(length, (i) => (i === 0 || i === length - 1 ? 'ST-2041' : null)));
  const differ = await extract(statement(length, (i) => (i === 0 ? 'ST-2041' : i === length - 1 ? 'ST-9999' : null)));
  assert.equal(agree.number?.value, 'ST-2041');
  assert.ok(differ.number?.value === 'ST-2041' || differ.number?.value === 'ST-9999');
  assert.ok((differ.number?.confidence ?? 1) <= (agree.number?.confidence ?? 0) / 2 + 1e-4, `${differ.number?.confidence} vs ${agree.number?.confidence}`);
  assert.ok(differ.number?.alternatives?.some((a) => a.value !== differ.number?.value));
});
