/**
 * @module A task's whole life driven over HTTP as a client would, for the multi-node
 * test and its single-node reference: upload (with an Idempotency-Key, so a retry
 * after a node died never makes a second task), validation when asked (the
 * specification sent back unchanged), export (every output downloaded and hashed),
 * completion. Every call is retried on another API node when one is down.
 */
import { createHash } from 'node:crypto';

type Json = Record<string, any>;

export interface Api {
  /** Base URLs of the API nodes; calls rotate over them. */
  urls: () => string[];
  token: string;
}

/** fetch with retries over the nodes: a refused connection or a 502/503 moves on after a short pause (at most `ms`). */
export async function call(api: Api, path: string, init: RequestInit = {}, ms = 120_000, prefer = Math.floor(Math.random() * 10)): Promise<Response> {
  const until = Date.now() + ms;
  for (let i = prefer; ; i++) {
    const urls = api.urls();
    const url = urls[i % urls.length] as string;
    try {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${api.token}`);
      const res = await fetch(`${url}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
      if (res.status !== 502 && res.status !== 503) return res;
      await res.arrayBuffer();
    } catch {
      // The node died or is restarting: the next one.
    }
    if (Date.now() > until) throw new Error(`${path}: no API node answered in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function token(url: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: clientId, client_secret: clientSecret }) });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function createProject(api: Api, project: Json): Promise<string> {
  const res = await call(api, '/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(project) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`project: ${res.status} ${await res.text()}`);
  return ((await res.json()) as Json).id as string;
}

/** Uploads through node `prefer` (modulo the node count) first. */
export async function upload(api: Api, projectId: string, file: Uint8Array, key: string, prefer?: number): Promise<string> {
  const res = await call(api, `/tasks?project_id=${projectId}`, {
    method: 'POST', headers: { 'content-type': 'application/pdf', 'idempotency-key': key }, body: new Uint8Array(file),
  }, 120_000, prefer);
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as Json).id as string;
}

/** What an export gave: each output's name and SHA-256, with the task's own id written as TASK. */
export type ExportDigest = Record<string, string>;

/** Moves the task on by one client step if it waits for one; the digest once exported, 'failed' if it failed, null meanwhile. */
export async function step(api: Api, id: string): Promise<ExportDigest | 'failed' | null> {
  const task = (await (await call(api, `/tasks/${id}`)).json()) as Json;
  if (task.state === 'failed' || task.state === 'timed-out' || task.state === 'canceled') return 'failed';
  // Completed without this client holding its digest: cannot happen unless the export was lost, which the caller counts as a mismatch.
  if (task.state === 'completed') return { lost: 'completed without an export seen' };
  // Held at the start of a step: this client started the action but the answer was lost with a killed node; give it back.
  if (task.state === 'pending:complete_client_action') {
    await call(api, `/tasks/${id}/cancel_client_action?action=${task.client_action}`, { method: 'POST' });
    return null;
  }
  if (task.state !== 'pending:start_client_action') return null;
  const action = task.client_action as string;
  const started = await call(api, `/tasks/${id}/start_client_action?action=${action}`, { method: 'POST' });
  // 409: another poller (or a retry whose answer was lost) holds it; it comes back after its lease.
  if (started.status === 409) return null;
  if (started.status !== 200) throw new Error(`start ${action} of ${id}: ${started.status} ${await started.text()}`);
  const spec = (await started.json()) as Json;
  if (action === 'validation') {
    const body = { documents: (spec.documents as Json[]).map((d) => ({ pages: d.pages, document_type: d.document_type ?? 'Other', fields: {} })) };
    const done = await call(api, `/tasks/${id}/complete_client_action?action=validation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (done.status !== 200) throw new Error(`validation of ${id}: ${done.status} ${await done.text()}`);
    return null;
  }
  const digest: ExportDigest = {};
  for (const file of (spec.files ?? []) as Json[]) {
    const res = await call(api, `/tasks/${id}/files/${file.id}`);
    if (res.status !== 200) return null;
    const bytes = Buffer.from(await res.arrayBuffer()).toString('latin1').split(id).join('TASK');
    digest[`${file.document_index ?? "-"}:${String(file.file_name).split(id).join("TASK")}`] = createHash('sha256').update(bytes, 'latin1').digest('hex');
  }
  const done = await call(api, `/tasks/${id}/complete_client_action?action=export`, { method: 'POST' });
  // A 409 after a retry: the first try took effect and its answer was lost with a killed node.
  const now = done.status === 200 ? null : ((await (await call(api, `/tasks/${id}`)).json()) as Json).state;
  if (done.status !== 200 && now !== 'completed') throw new Error(`export of ${id}: ${done.status} (${now})`);
  return digest;
}
