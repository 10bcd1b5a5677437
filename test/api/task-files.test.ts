/**
 * @module A task's files over a whole lifecycle, on a service wired as `docket serve`
 * wires it (SQLite): every file a task gets lives under the roots core/task-files.ts
 * names, and the purge leaves nothing of it; and completing validation extracts
 * nothing in the request: the worker's finish phase applies the person's results,
 * extracting again the document whose type changed.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestService, waitForTask, type TestService } from '../helpers/service.ts';
import { makePdf } from '../helpers/fixtures.ts';
import { createProject, upload } from './contract.ts';
import { startServices, stopServices } from '../../src/cli/wire.ts';
import { taskPrefix, uploadKey } from '../../src/core/task-files.ts';
import { blobTaskResults } from '../../src/core/task-results.ts';

type Json = Record<string, any>;

const PROJECT = {
  name: 'Retype', validation: { mode: 'always' }, separation: { mode: 'none' },
  document_types: [
    { name: 'Note', classify: { keywords: ['invoice'] }, fields: [{ name: 'note', type: 'text' }] },
    { name: 'Invoice', classify: { keywords: ['purchase'] }, fields: [{ name: 'number', extract: [{ label: ['Invoice No'], pattern: '(INV-\\d+)' }] }] },
  ],
  export: [{ format: 'json' }, { format: 'csv' }, { format: 'original' }],
};

const json = { 'content-type': 'application/json' };

/** Every blob key (file, not folder) whose path names the task. */
async function keysOf(s: TestService, id: string): Promise<string[]> {
  const root = join(s.db.dataDir, 'blobs');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).filter((k) => k.includes(id)).sort();
}

async function heldForValidation(s: TestService, project: string, pdf: Buffer): Promise<string> {
  const task = (await (await upload(s, project, pdf)).json()) as Json;
  const ready = await waitForTask(s, task.id, (t) => t.state === 'pending:start_client_action' || t.state === 'failed', 60_000);
  assert.equal(ready.client_action, 'validation', JSON.stringify(ready));
  const spec = (await (await s.api(`/tasks/${task.id}/start_client_action?action=validation`, { method: 'POST' })).json()) as Json;
  assert.deepEqual(spec.documents.map((d: Json) => d.pages), [[0, 1]]);
  assert.notEqual(spec.documents[0].document_type, 'Invoice', 'capture did not find the type the person will choose');
  return task.id;
}

describe('task files (sqlite)', () => {
  let s: TestService;
  let project: string;
  let pdf: Buffer;

  before(async () => {
    s = await startTestService('sqlite');
    project = await createProject(s, PROJECT);
    pdf = await makePdf(2);
  });
  after(async () => s?.close());

  test('completing validation extracts nothing in the request; the finish phase extracts the retyped document', async () => {
    const id = await heldForValidation(s, project, pdf);
    await s.services.worker!.stop();
    const results = blobTaskResults(s.rt.blobs);
    const captured = await results.read(id);
    assert.ok(captured);
    const retyped = { documents: [{ pages: [0, 1], document_type: 'Invoice', fields: {} }] };
    const bad = await s.api(`/tasks/${id}/complete_client_action?action=validation`, { method: 'POST', headers: json, body: JSON.stringify({ documents: [{ pages: [0, 1], document_type: 'Bill' }] }) });
    assert.equal(bad.status, 422, 'a submission that is wrong in itself is still answered in the request');
    assert.equal(await results.readCorrections(id), null, 'a refused submission records nothing');
    const done = await s.api(`/tasks/${id}/complete_client_action?action=validation`, { method: 'POST', headers: json, body: JSON.stringify(retyped) });
    assert.equal(done.status, 200, await done.clone().text());
    // No worker runs: whatever the stored result says now is what the request did to it.
    const stored = await results.read(id);
    assert.deepEqual(stored, captured, 'the request left the captured result alone');
    assert.deepEqual(await results.readCorrections(id), retyped, 'the request recorded the submission for the worker');
    const again = await startServices(s.rt, true);
    try {
      const exported = await waitForTask(s, id, (t) => t.client_action === 'export' || t.state === 'failed', 60_000);
      assert.equal(exported.state, 'pending:start_client_action', JSON.stringify(exported.error));
      const xspec = (await (await s.api(`/tasks/${id}/start_client_action?action=export`, { method: 'POST' })).json()) as Json;
      assert.deepEqual(xspec.documents.map((d: Json) => [d.document_type, d.fields.number]), [['Invoice', 'INV-1001']], 'the worker extracted the retyped document');
      assert.equal(await results.readCorrections(id), null, 'the corrections were applied and dropped');
      assert.equal((await s.api(`/tasks/${id}/complete_client_action?action=export`, { method: 'POST' })).status, 200);
    } finally {
      await stopServices(again);
    }
  });

  test('a rule only the extracted values break sends the task back to validation, marked', async () => {
    const strict = structuredClone(PROJECT) as Json;
    strict.name = 'Retype strict';
    strict.document_types[1].fields[0].rules = { min_length: 20 };
    const strictProject = await createProject(s, strict);
    const again = await startServices(s.rt, true);
    try {
      const id = await heldForValidation(s, strictProject, pdf);
      const retyped = JSON.stringify({ documents: [{ pages: [0, 1], document_type: 'Invoice', fields: {} }] });
      const done = await s.api(`/tasks/${id}/complete_client_action?action=validation`, { method: 'POST', headers: json, body: retyped });
      assert.equal(done.status, 200, 'the rule needs the extracted value, which the request does not have');
      const back = await waitForTask(s, id, (t) => (t.state === 'pending:start_client_action' && t.client_action === 'validation') || t.client_action === 'export' || t.state === 'failed', 60_000);
      assert.equal(back.client_action, 'validation', JSON.stringify(back));
      const spec = (await (await s.api(`/tasks/${id}/start_client_action?action=validation`, { method: 'POST' })).json()) as Json;
      const field = spec.documents[0].fields.find((f: Json) => f.name === 'number') ?? spec.documents[0].fields.number;
      assert.equal(spec.documents[0].document_type, 'Invoice');
      assert.equal(field.value, 'INV-1001');
      assert.equal(field.valid, false);
      const refused = await s.api(`/tasks/${id}/complete_client_action?action=validation`, { method: 'POST', headers: json, body: retyped });
      assert.equal(refused.status, 422, 'now the value is stored, the same submission is refused in the request');
      assert.equal(((await refused.json()) as Json).problems[0].path, 'documents[0].fields.number');
    } finally {
      await stopServices(again);
    }
  });

  test('every file of a task lives under its roots, and the purge leaves nothing of it', async () => {
    const again = await startServices(s.rt, true);
    try {
      const id = await heldForValidation(s, project, pdf);
      for (const n of [0, 1]) {
        const image = await s.api(`/tasks/${id}/files/page-${n}`);
        assert.equal(image.status, 200);
        await image.arrayBuffer();
      }
      const documents = [{ pages: [0, 1], document_type: 'Note', fields: { note: 'checked' } }];
      const done = await s.api(`/tasks/${id}/complete_client_action?action=validation`, { method: 'POST', headers: json, body: JSON.stringify({ documents }) });
      assert.equal(done.status, 200, await done.clone().text());
      await waitForTask(s, id, (t) => t.client_action === 'export' || t.state === 'failed', 60_000);
      const xspec = (await (await s.api(`/tasks/${id}/start_client_action?action=export`, { method: 'POST' })).json()) as Json;
      assert.equal(xspec.files.length, 3, 'JSON, CSV and the original');
      const keys = await keysOf(s, id);
      const prefix = `${taskPrefix(id)}/`;
      // A short spool has no pages.index.json (core/page-set.ts).
      for (const k of ['result.json', 'pages.jsonl', 'page-images/0.png', 'page-images/1.png', 'outputs/0', 'outputs/1']) {
        assert.ok(keys.includes(prefix + k), `${k} is stored: ${keys.join(', ')}`);
      }
      assert.deepEqual(keys.filter((k) => !k.startsWith(prefix) && k !== uploadKey(id)), [], 'no file of the task outside its roots');
      assert.equal((await s.api(`/tasks/${id}/complete_client_action?action=export`, { method: 'POST' })).status, 200);
      assert.deepEqual(await keysOf(s, id), [], 'the purge left nothing');
    } finally {
      await stopServices(again);
    }
  });
});
