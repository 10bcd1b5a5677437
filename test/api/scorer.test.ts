/**
 * @module The scorer-version routes on a whole service (SQLite, wired as `docket serve`):
 * samples keep their scorer examples (derived data only), a retrain runs in the worker
 * thread and shows in `GET …/scorer` with its held-out score, rollback goes back to the
 * shipped weights and then answers 409, a project that learned nothing answers 422 to a
 * retrain, an unknown project 404, and erasing the memory erases the examples and versions.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, type TestService } from '../helpers/service.ts';
import { makePdf } from '../helpers/fixtures.ts';
import { scorerLearning } from '../../src/cli/wire.ts';

let s: TestService;
before(async () => {
  s = await startTestService('sqlite');
});
after(async () => {
  await s?.close();
});

function receipt(i: number): string[] {
  return [`SHOP NUMBER ${i} SDN BHD`, `GST ID: 00153176${String(1000 + i)}`, 'TAX INVOICE', `DATE: 0${1 + (i % 9)}/03/2018`, `PEN BLUE 1 X ${i}.50 ${i}.50`, `SUBTOTAL ${i}.50`, `TOTAL AMOUNT (RM): ${i + 10}.50`, 'CASH 100.00', 'THANK YOU'];
}

async function teach(i: number): Promise<number> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(await makePdf(1, receipt(i)))], { type: 'application/pdf' }), 'receipt.pdf');
  form.set('fields', JSON.stringify({ company: `SHOP NUMBER ${i} SDN BHD`, total: `${i + 10}.50` }));
  form.set('type', 'Receipt');
  return (await s.api(`/projects/${s.demoProjectId}/samples`, { method: 'POST', body: form })).status;
}

test('samples keep scorer examples; a retrain shows with its held-out score; rollback goes back to the shipped weights, then 409', async () => {
  for (let i = 1; i <= 6; i++) assert.equal(await teach(i), 201);
  const docs = await s.rt.store.scorer.documents(s.demoProjectId);
  assert.equal(docs.length, 6);
  assert.ok(docs.every((d) => d.examples.every((e) => e.kind !== '' && e.candidates.every((c) => Object.values(c).every((v) => typeof v === 'number')))), 'numbers only');
  assert.ok(!JSON.stringify(docs).includes('SHOP'), 'no text of the document');
  let shown = (await (await s.api(`/projects/${s.demoProjectId}/scorer`)).json()) as Record<string, any>;
  assert.equal(shown.learned.documents, 6);
  assert.equal(shown.learned.pending, shown.learned.examples);
  assert.equal(shown.in_use, null);
  assert.deepEqual(shown.versions, []);
  const started = await s.api(`/projects/${s.demoProjectId}/scorer/retrain`, { method: 'POST' });
  assert.equal(started.status, 202);
  await scorerLearning(s.rt).learner.idle();
  shown = (await (await s.api(`/projects/${s.demoProjectId}/scorer`)).json()) as Record<string, any>;
  assert.equal(shown.versions.length, 1);
  const v = shown.versions[0];
  assert.equal(v.version, 1);
  assert.equal(v.held_out.fields, 2, 'the fifth document, two fields');
  assert.equal(typeof v.held_out.score, 'number');
  assert.equal(v.held_out.current_version, null);
  assert.match(v.reason, /promoted/);
  assert.ok(v.cpu_ms > 0);
  assert.equal(shown.learned.pending, 0);
  if (v.promoted) {
    assert.equal(shown.in_use, 1);
    const back = await s.api(`/projects/${s.demoProjectId}/scorer/rollback`, { method: 'POST' });
    assert.deepEqual(await back.json(), { from: 1, to: null });
  }
  const none = await s.api(`/projects/${s.demoProjectId}/scorer/rollback`, { method: 'POST' });
  assert.equal(none.status, 409);
  assert.equal(((await none.json()) as { type: string }).type, '/problems/no_scorer_version');
  shown = (await (await s.api(`/projects/${s.demoProjectId}/scorer`)).json()) as Record<string, any>;
  assert.equal(shown.in_use, null);
  assert.equal(await s.api(`/projects/${s.demoProjectId}/memory`, { method: 'DELETE' }).then((r) => r.status), 204);
  assert.deepEqual(await s.rt.store.scorer.documents(s.demoProjectId), []);
  assert.deepEqual(await s.rt.store.scorer.versions(s.demoProjectId), []);
});

test('bad input: a retrain with nothing learned is 422, an unknown project 404', async () => {
  const res = await s.api(`/projects/${s.demoProjectId}/scorer/retrain`, { method: 'POST' });
  assert.equal(res.status, 422);
  assert.equal(((await res.json()) as { type: string }).type, '/problems/nothing_learned');
  for (const path of ['/projects/AAAAAAAAAAAAAAAAAAAAAA/scorer', '/projects/nope/scorer']) assert.equal((await s.api(path)).status, 404);
  assert.equal((await s.api('/projects/AAAAAAAAAAAAAAAAAAAAAA/scorer/rollback', { method: 'POST' })).status, 404);
});
