/**
 * @module The HTTP contract (docs/architecture.md#http-api) over real HTTP, against a service wired as
 * `docket serve` wires it, once per store: the Aluma walkthrough, the client-action
 * rules and races, account isolation, idempotency and paging. The same cases run
 * through Prism's strict proxy (contract-prism.test.ts): `front` puts it between
 * the suite and the service; file downloads still go straight to the service.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestService, waitForTask, type TestService } from '../helpers/service.ts';
import { makePdf, EXAMPLE_TAGS } from '../helpers/fixtures.ts';
import type { StoreKind } from '../helpers/stores.ts';

type Json = Record<string, any>;

export async function createProject(s: TestService, body: Json): Promise<string> {
  const res = await s.api('/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as Json).id;
}

export async function upload(s: TestService, projectId: string, file: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return s.api(`/tasks?project_id=${projectId}`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...headers }, body: new Uint8Array(file) });
}

/** Something between the suite and the service (Prism), with its own fetch. */
export interface ContractFront {
  name: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface ContractOptions {
  front?: (service: TestService) => Promise<ContractFront>;
  /** Rounds of the concurrent-starts race (200 straight to the service). */
  rounds?: number;
}

/** fetch through the front with the service's bearer token, as `TestService.api` does straight. */
async function frontFetch(service: TestService, front: ContractFront, path: string, init: RequestInit & { token?: string | null }): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? await service.token() : init.token;
  if (token) headers.set('authorization', `Bearer ${token}`);
  return front.fetch(path, { ...init, headers });
}

export function apiContract(kind: StoreKind, skip: false | string, options: ContractOptions = {}): void {
  const via = options.front ? ' through a proxy' : '';
  const rounds = options.rounds ?? 200;
  describe(`HTTP API contract (${kind})${via}`, { skip }, () => {
    /** The service as the suite talks to it (through the front, if any). */
    let s: TestService;
    /** The service itself, for downloads: a proxy may re-encode binary answers. */
    let direct: TestService;
    let front: ContractFront | undefined;
    let exportProject: string;
    let pdf: Buffer;

    before(async () => {
      direct = await startTestService(kind);
      front = await options.front?.(direct);
      s = front ? { ...direct, api: async (path, init = {}) => frontFetch(direct, front!, path, init) } : direct;
      exportProject = await createProject(s, { name: 'Export only', validation: { mode: 'never' } });
      pdf = await makePdf(2);
    });
    after(async () => {
      await front?.close();
      await direct?.close();
    });

    test('the Aluma walkthrough: token → create (202) → export → download → complete → purged', async () => {
      const created = await upload(s, exportProject, pdf, { 'X-Aluma-Tags': EXAMPLE_TAGS });
      assert.equal(created.status, 202);
      const task = (await created.json()) as Json;
      assert.equal(created.headers.get('location'), `/tasks/${task.id}`);
      assert.match(task.id, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(task.name, 'AB3947853');
      assert.equal(task.state, 'queued');
      assert.equal(task.project_id, exportProject);
      assert.equal(task.project_name, 'Export only');
      assert.equal(typeof task.file_collection_id, 'string');
      assert.match(task.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(task.tags.file_path, 'C:\\inbox');
      const ready = await waitForTask(s, task.id, (t) => t.state !== 'queued' && t.state !== 'running');
      assert.equal(ready.state, 'pending:start_client_action', JSON.stringify(ready.error));
      assert.equal(ready.client_action, 'export');
      assert.equal(ready.documents_count >= 1, true);
      const listed = (await (await s.api('/tasks?state=pending:start_client_action&client_action=export')).json()) as Json;
      assert.ok(listed.tasks.some((t: Json) => t.id === task.id));
      const started = await s.api(`/tasks/${task.id}/start_client_action?action=export`, { method: 'POST' });
      assert.equal(started.status, 200);
      const spec = (await started.json()) as Json;
      assert.equal(spec.task.state, 'pending:complete_client_action');
      assert.ok(spec.lease_expires_at);
      assert.ok(spec.files.length >= 2, 'the original and a data file');
      const original = spec.files.find((f: Json) => f.content_type === 'application/pdf' && f.file_name === '00001.pdf');
      assert.ok(original, JSON.stringify(spec.files));
      const download = await direct.api(new URL(original.url).pathname);
      assert.equal(download.status, 200);
      assert.deepEqual(Buffer.from(await download.arrayBuffer()), pdf);
      const data = spec.files.find((f: Json) => f.content_type === 'application/json');
      const json = (await (await direct.api(new URL(data.url).pathname)).json()) as Json;
      assert.ok(Array.isArray(json.documents));
      const done = await s.api(`/tasks/${task.id}/complete_client_action?action=export`, { method: 'POST' });
      assert.equal(done.status, 200);
      assert.equal(((await done.json()) as Json).state, 'completed');
      const after = (await (await s.api(`/tasks/${task.id}`)).json()) as Json;
      assert.equal(after.state, 'completed', 'the record stays readable');
      const left = await readdir(join(s.db.dataDir, 'blobs', 'tasks')).catch(() => [] as string[]);
      assert.equal(left.includes(task.id), false, 'the blob folder is gone');
      const uploads = await readdir(join(s.db.dataDir, 'blobs', 'uploads')).catch(() => [] as string[]);
      assert.equal(uploads.includes(task.id), false, 'the uploaded file is gone');
      const gone = await s.api(new URL(original.url).pathname);
      assert.equal(gone.status, 410, 'the files were deleted when the task ended');
      assert.equal(((await gone.json()) as Json).type, '/problems/gone');
    });

    test('validation mode always: validation first, corrected results, then export', async () => {
      const project = await createProject(s, {
        name: 'Always review', validation: { mode: 'always' }, separation: { mode: 'none' },
        document_types: [{ name: 'Note', classify: { keywords: ['invoice'] }, fields: [{ name: 'note', type: 'text' }] }],
      });
      const task = (await (await upload(s, project, pdf)).json()) as Json;
      const ready = await waitForTask(s, task.id, (t) => t.state === 'pending:start_client_action' || t.state === 'failed');
      assert.equal(ready.client_action, 'validation');
      assert.equal((await s.api(`/tasks/${task.id}/start_client_action?action=export`, { method: 'POST' })).status, 409);
      const spec = (await (await s.api(`/tasks/${task.id}/start_client_action?action=validation`, { method: 'POST' })).json()) as Json;
      assert.equal(spec.pages.length, 2);
      assert.ok(spec.pages[0].image_url.endsWith(`/tasks/${task.id}/files/page-0`));
      assert.ok(Array.isArray(spec.documents) && Array.isArray(spec.actions));
      const bad = await s.api(`/tasks/${task.id}/complete_client_action?action=validation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documents: [{ pages: [0, 5] }] }) });
      assert.equal(bad.status, 422);
      const problem = (await bad.json()) as Json;
      assert.equal(problem.type, '/problems/invalid_results');
      assert.ok(problem.problems.some((p: Json) => p.path === 'documents[0].pages'));
      assert.equal(((await (await s.api(`/tasks/${task.id}`)).json()) as Json).state, 'pending:complete_client_action', 'a 422 keeps the lease');
      const documents = [{ pages: [0, 0], document_type: 'Note', fields: { note: 'first' } }, { pages: [1, 1], document_type: 'Note', fields: { note: 'second' } }];
      const ok = await s.api(`/tasks/${task.id}/complete_client_action?action=validation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documents }) });
      assert.equal(ok.status, 200, await ok.clone().text());
      const validated = (await ok.json()) as Json;
      assert.deepEqual([validated.state, validated.substate], ['running', 'validated'], 'Aluma sees running; docket says the outputs are still to build');
      const exported = await waitForTask(s, task.id, (t) => t.client_action === 'export' || t.state === 'failed');
      assert.equal(exported.state, 'pending:start_client_action');
      assert.equal(exported.documents_count, 2);
      const xspec = (await (await s.api(`/tasks/${task.id}/start_client_action?action=export`, { method: 'POST' })).json()) as Json;
      assert.deepEqual(xspec.documents.map((d: Json) => [d.pages, d.fields.note]), [[[0, 0], 'first'], [[1, 1], 'second']]);
    });

    test(`8 concurrent starts on one task: exactly one 200, the rest 409 — ${rounds} rounds`, async () => {
      const task = (await (await upload(s, exportProject, pdf)).json()) as Json;
      await waitForTask(s, task.id, (t) => t.state === 'pending:start_client_action');
      for (let round = 0; round < rounds; round++) {
        const answers = await Promise.all(Array.from({ length: 8 }, () => s.api(`/tasks/${task.id}/start_client_action?action=export`, { method: 'POST' })));
        const codes = answers.map((r) => r.status).sort();
        assert.deepEqual(codes, [200, 409, 409, 409, 409, 409, 409, 409], `round ${round}`);
        const conflict = (await answers.find((r) => r.status === 409)!.json()) as Json;
        assert.equal(conflict.state, 'pending:complete_client_action');
        await Promise.all(answers.filter((r) => r.status === 200).map((r) => r.arrayBuffer()));
        assert.equal((await s.api(`/tasks/${task.id}/cancel_client_action?action=export`, { method: 'POST' })).status, 200);
      }
    });

    test('client actions: wrong state or action is 409 naming the state; extend, cancel, fail', async () => {
      const task = (await (await upload(s, exportProject, pdf)).json()) as Json;
      await waitForTask(s, task.id, (t) => t.state === 'pending:start_client_action');
      const wrong = await s.api(`/tasks/${task.id}/complete_client_action?action=export`, { method: 'POST' });
      assert.equal(wrong.status, 409);
      const body = (await wrong.json()) as Json;
      assert.equal(body.type, '/problems/wrong_state');
      assert.equal(body.state, 'pending:start_client_action');
      assert.match(body.detail, /pending:start_client_action/);
      assert.equal((await s.api(`/tasks/${task.id}/start_client_action?action=validation`, { method: 'POST' })).status, 409);
      assert.equal((await s.api(`/tasks/${task.id}/start_client_action?action=bogus`, { method: 'POST' })).status, 400);
      const started = (await (await s.api(`/tasks/${task.id}/start_client_action?action=export`, { method: 'POST' })).json()) as Json;
      await new Promise((r) => setTimeout(r, 1100));
      const extended = (await (await s.api(`/tasks/${task.id}/extend_client_action?action=export`, { method: 'POST' })).json()) as Json;
      assert.ok(Date.parse(extended.lease_expires_at) > Date.parse(started.lease_expires_at));
      const failed = await s.api(`/tasks/${task.id}/fail_client_action?action=export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'target system rejected it' }) });
      const f = (await failed.json()) as Json;
      assert.equal(f.state, 'failed');
      assert.deepEqual(f.error, { code: 'client_failed', message: 'target system rejected it' });
      assert.equal((await s.api(`/tasks/${task.id}/cancel`, { method: 'POST' })).status, 409);
      const events = await s.rt.store.tasks.events(task.id);
      assert.deepEqual(events.map((e) => e.to_state), ['queued', 'running', 'pending:start_client_action', 'pending:complete_client_action', 'failed']);
      assert.ok(events.every((e) => e.actor && e.reason));
    });

    test('cancel a queued or pending task; its file is deleted at once', async () => {
      const task = (await (await upload(s, exportProject, pdf)).json()) as Json;
      const res = await s.api(`/tasks/${task.id}/cancel`, { method: 'POST' });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as Json).state, 'canceled');
      const t = await s.rt.store.tasks.getById(task.id);
      assert.notEqual(t?.purged_at, null);
      assert.equal(await s.rt.blobs.exists(`uploads/${task.id}`), false);
    });

    test('Idempotency-Key returns the same task for a repeat', async () => {
      const headers = { 'Idempotency-Key': `k-${Date.now()}` };
      const a = (await (await upload(s, exportProject, pdf, headers)).json()) as Json;
      const second = await upload(s, exportProject, pdf, headers);
      assert.equal(second.status, 202);
      assert.equal(((await second.json()) as Json).id, a.id);
      const other = await createProject(s, { name: 'Other' });
      assert.equal((await upload(s, other, pdf, headers)).status, 409);
    });

    test('paging: limit and next cursor walk every task once, oldest first', async () => {
      const project = await createProject(s, { name: 'Paging', validation: { mode: 'never' } });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(((await (await upload(s, project, pdf)).json()) as Json).id);
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const page = (await (await s.api(`/tasks?project_id=${project}&limit=2${next ? `&after=${next}` : ''}`)).json()) as Json;
        seen.push(...page.tasks.map((t: Json) => t.id));
        next = page.next;
      } while (next);
      assert.deepEqual(seen, ids);
      assert.equal((await s.api('/tasks?limit=0')).status, 400);
      assert.equal((await s.api('/tasks?state=nope')).status, 400);
      assert.equal((await s.api('/tasks?after=garbage')).status, 400);
    });
  });
}
