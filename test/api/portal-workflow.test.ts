/**
 * @module The validation portal's ways out and back over HTTP (docs/portal.md#validation-every-user):
 * reject with a project reason (fail, or the exception queue only admins see),
 * postpone to the end of one's own queue, give back (logged as such), and reopen a
 * submitted task while it waits for export — its outputs then built once more, not twice.
 * Each is a state-table event, so the timeline tells what happened. Run on SQLite and
 * PostgreSQL (skipped with the reason when no server answers, a failure under CI).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, waitForTask, type TestService } from '../helpers/service.ts';
import { skipPostgres, type StoreKind } from '../helpers/stores.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { INVOICE, makePages } from '../portal/support.ts';

type Json = Record<string, any>;
const json = { 'content-type': 'application/json' };

for (const [kind, skip] of [['sqlite', false], ['postgres', await skipPostgres()]] as [StoreKind, false | string][]) describe(`portal workflow (${kind})`, { skip }, () => {
  let s: TestService;
  let pdf: Buffer;

  async function project(reject: Json): Promise<string> {
    const res = await s.api('/projects', { method: 'POST', headers: json, body: JSON.stringify({ ...demoProject(), name: `Reject ${Math.random()}`, validation: { mode: 'always', reject } }) });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as Json).id;
  }

  async function held(projectId: string): Promise<string> {
    const res = await s.api(`/tasks?project_id=${projectId}`, { method: 'POST', body: new Uint8Array(pdf) });
    const id = ((await res.json()) as Json).id as string;
    await waitForTask(s, id, (t) => t.state === 'pending:start_client_action', 60_000);
    assert.equal((await s.api(`/tasks/${id}/start_client_action?action=validation`, { method: 'POST' })).status, 200);
    return id;
  }

  const post = (path: string, body?: Json) => s.api(path, { method: 'POST', ...(body ? { headers: json, body: JSON.stringify(body) } : {}) });
  const reasons = async (id: string) => ((await (await s.api(`/admin/tasks/${id}`)).json()) as Json).events.map((e: Json) => e.reason) as string[];

  before(async () => {
    s = await startTestService(kind);
    pdf = await makePages([INVOICE]);
  });
  after(async () => s?.close());

  test('reject: a reason outside the list is 400 and changes nothing; a listed one fails the task with it', async () => {
    const id = await held(await project({ reasons: ['Unreadable', 'Wrong supplier'] }));
    const bad = await post(`/tasks/${id}/validation/reject`, { reason: 'I do not like it' });
    assert.equal(bad.status, 400);
    assert.deepEqual(((await bad.json()) as Json).reasons, ['Unreadable', 'Wrong supplier']);
    const ok = await post(`/tasks/${id}/validation/reject`, { reason: 'Wrong supplier' });
    assert.equal(ok.status, 200, await ok.clone().text());
    const t = (await ok.json()) as Json;
    assert.equal(t.state, 'failed');
    assert.deepEqual(t.error, { code: 'rejected', message: 'Wrong supplier' });
  });

  test('reject to the exception queue: back in the queue, listed to admins apart from the waiting tasks', async () => {
    const id = await held(await project({ reasons: ['Needs a manager'], to: 'exception' }));
    const ok = await post(`/tasks/${id}/validation/reject`, { reason: 'Needs a manager' });
    assert.equal(((await ok.json()) as Json).state, 'pending:start_client_action');
    const queue = (await (await s.api('/portal/queue')).json()) as Json;
    assert.ok(!queue.waiting.some((t: Json) => t.id === id));
    assert.deepEqual(queue.exceptions.filter((t: Json) => t.id === id).map((t: Json) => t.exception_reason), ['Needs a manager']);
    assert.ok((await reasons(id)).includes('rejected to the exception queue: Needs a manager'));
  });

  test('postpone puts the task last in the postponer\'s queue; give back is logged as given back', async () => {
    const p = await project({});
    const first = await held(p);
    const second = await held(p);
    assert.equal((await post(`/tasks/${second}/validation/give_back`)).status, 200);
    assert.ok((await reasons(second)).includes('validation given back'));
    assert.equal((await post(`/tasks/${first}/validation/postpone`)).status, 200);
    const queue = (await (await s.api(`/portal/queue?project_id=${p}`)).json()) as Json;
    assert.deepEqual(queue.waiting.map((t: Json) => [t.id, t.postponed_by_me]), [[second, false], [first, true]]);
    assert.equal((await post(`/tasks/${first}/validation/postpone`)).status, 409, 'not held any more');
  });

  test('reopen: the submitter takes the task back before export; the outputs are built again, once', async () => {
    const id = await held(await project({}));
    const before = await waitForTask(s, id, (t) => t.state === 'pending:complete_client_action');
    assert.equal(before.client_action, 'validation');
    const documents = [{ pages: [0, 0], document_type: 'Invoice', fields: { total: '120.00' } }];
    const done = await post(`/tasks/${id}/complete_client_action?action=validation`, { documents });
    assert.equal(done.status, 200, await done.clone().text());
    await waitForTask(s, id, (t) => t.client_action === 'export', 60_000);
    const queue = (await (await s.api('/portal/queue')).json()) as Json;
    assert.ok(queue.submitted_by_me.some((t: Json) => t.id === id));
    const reopened = await post(`/tasks/${id}/validation/reopen`);
    assert.equal(reopened.status, 200, await reopened.clone().text());
    assert.deepEqual([((await reopened.clone().json()) as Json).state, ((await reopened.json()) as Json).client_action], ['pending:complete_client_action', 'validation']);
    assert.equal((await post(`/tasks/${id}/validation/reopen`)).status, 409, 'reopened already');
    const again = await post(`/tasks/${id}/complete_client_action?action=validation`, { documents: [{ ...documents[0], fields: { tax: '30.00', total: '130.00' } }] });
    assert.equal(again.status, 200, await again.clone().text());
    await waitForTask(s, id, (t) => t.client_action === 'export', 60_000);
    const exp = (await (await post(`/tasks/${id}/start_client_action?action=export`)).json()) as Json;
    assert.equal(exp.documents[0].fields.total, 130);
    const names = (exp.files as Json[]).map((f) => f.file_name);
    assert.ok(names.length > 0);
    assert.equal(new Set(names).size, names.length, `no output twice: ${names.join(', ')}`);
    assert.ok((await reasons(id)).includes('validation reopened by the person who submitted it'));
  });

  // The route schemas declare these (schemas/portal.ts): the serializer drops whatever a response schema leaves out.
  test('the answers carry what the portal\'s screens read: values and names in a task\'s detail, clients\' last use, reject reasons', async () => {
    const p = await project({ reasons: ['Unreadable'] });
    const id = await held(p);
    const done = await post(`/tasks/${id}/complete_client_action?action=validation`, { documents: [{ pages: [0, 0], document_type: 'Invoice', fields: { total: '120.00' } }] });
    assert.equal(done.status, 200, await done.clone().text());
    // The worker writes the corrected documents when it builds the outputs.
    await waitForTask(s, id, (t) => t.client_action === 'export', 60_000);
    const detail = (await (await s.api(`/admin/tasks/${id}`)).json()) as Json;
    assert.equal(detail.pages, 1);
    assert.deepEqual(detail.documents[0].fields.filter((f: Json) => f.name === 'total').map((f: Json) => [f.value, f.confirmed]), [[120, true]]);
    assert.ok(detail.events.every((e: Json) => typeof e.actor_name === 'string'));
    assert.ok(detail.events.some((e: Json) => e.actor.startsWith('client:') && e.actor_name !== e.actor), 'a client by its name');
    const clients = ((await (await s.api('/admin/clients')).json()) as Json).clients as Json[];
    assert.ok(clients.some((c) => typeof c.last_used_at === 'string'), 'the caller got a token');
    const queue = (await (await s.api(`/portal/queue?project_id=${p}`)).json()) as Json;
    assert.deepEqual(queue.projects.find((x: Json) => x.id === p)?.reject_reasons, ['Unreadable']);
  });
});
