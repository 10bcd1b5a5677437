/**
 * @module The client side of the database chaos test: uploads sent without pause by a
 * few loops (each retrying a refused document with the same Idempotency-Key, as the
 * 503 contract asks), a `/health` watcher, and the export of every accepted task
 * through the API once the database is back. Every answer is recorded with the phase
 * of the outage it fell in, so the test can assert on them and report the figures.
 */
import { randomUUID } from 'node:crypto';

/** No request may take longer than this: a hang is a failure, not a slow answer. */
export const REQUEST_BOUND_MS = 20_000;

export interface Attempt {
  phase: string;
  /** HTTP status, or 'error' / 'timeout' when no answer came. */
  status: number | 'error' | 'timeout';
  ms: number;
  retryAfter: string | null;
  type: string | null;
  detail: string;
}

export interface Client {
  url: string;
  auth: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function login(url: string, clientId: string, secret: string): Promise<Client> {
  const res = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: clientId, client_secret: secret }) });
  const token = ((await res.json()) as { access_token: string }).access_token;
  return { url, auth: { authorization: `Bearer ${token}` } };
}

export async function createProject(c: Client): Promise<string> {
  const res = await fetch(`${c.url}/projects`, { method: 'POST', headers: { ...c.auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Chaos', validation: { mode: 'never' } }) });
  return ((await res.json()) as { id: string }).id;
}

export interface Load {
  accepted: string[];
  attempts: Attempt[];
  /** Lets every loop finish the document it is on (so none is left half-known), then stops. */
  stop(): Promise<void>;
  /** Stops at once, documents half-sent or not (after a failure). */
  abandon(): void;
}

export function startUploads(c: Client, projectId: string, body: Uint8Array<ArrayBuffer>, phase: () => string, loops = 2, pauseMs = 250): Load {
  const accepted: string[] = [];
  const attempts: Attempt[] = [];
  let stopping = false;
  let abandoned = false;
  async function send(key: string): Promise<boolean> {
    const started = Date.now();
    const at = phase();
    try {
      const res = await fetch(`${c.url}/tasks?project_id=${projectId}`, {
        method: 'POST', headers: { ...c.auth, 'content-type': 'application/pdf', 'idempotency-key': key }, body, signal: AbortSignal.timeout(REQUEST_BOUND_MS),
      });
      const text = await res.text();
      const json = (() => { try { return JSON.parse(text) as { id?: string; type?: string; detail?: string }; } catch { return {}; } })();
      attempts.push({ phase: at, status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), type: json.type ?? null, detail: json.detail ?? text.slice(0, 200) });
      if (res.status === 202 && json.id) {
        accepted.push(json.id);
        return true;
      }
    } catch (err) {
      const e = err as Error;
      attempts.push({ phase: at, status: e.name === 'TimeoutError' ? 'timeout' : 'error', ms: Date.now() - started, retryAfter: null, type: null, detail: `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` });
    }
    return false;
  }
  async function loop(): Promise<void> {
    while (!stopping) {
      const key = randomUUID();
      // The same key until it is accepted: a retry after a lost COMMIT cannot make a second task.
      while (!abandoned && !(await send(key))) await sleep(300);
      await sleep(pauseMs);
    }
  }
  const running = Promise.all(Array.from({ length: loops }, loop));
  return {
    accepted,
    attempts,
    async stop() {
      stopping = true;
      await running;
    },
    abandon() {
      stopping = true;
      abandoned = true;
    },
  };
}

export interface HealthSample {
  at: number;
  status: number | 'error';
  body: string;
}

export function watchHealth(url: string, everyMs = 250): { samples: HealthSample[]; stop(): Promise<void> } {
  const samples: HealthSample[] = [];
  let stopping = false;
  const running = (async () => {
    while (!stopping) {
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
        samples.push({ at: Date.now(), status: res.status, body: await res.text() });
      } catch (err) {
        samples.push({ at: Date.now(), status: 'error', body: (err as Error).message });
      }
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    async stop() {
      stopping = true;
      await running;
    },
  };
}

async function call(c: Client, path: string, method = 'GET'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${c.url}${path}`, { method, headers: c.auth, signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, json };
}

/**
 * Waits for each task to be ready for export, then exports it (start and complete the
 * export client action). Returns the tasks' final states as the API reports them.
 */
export async function exportAll(c: Client, ids: string[], deadlineMs: number): Promise<Map<string, string>> {
  const final = new Map<string, string>();
  const deadline = Date.now() + deadlineMs;
  const queue = [...ids];
  async function one(id: string): Promise<void> {
    for (;;) {
      const t = await call(c, `/tasks/${id}`);
      const state = String(t.json.state);
      if (state === 'pending:start_client_action' && t.json.client_action === 'export') break;
      if (['completed', 'failed', 'canceled', 'timed-out'].includes(state)) {
        final.set(id, state);
        return;
      }
      if (Date.now() > deadline) throw new Error(`task ${id} still ${state} at the deadline`);
      await sleep(250);
    }
    const spec = await call(c, `/tasks/${id}/start_client_action?action=export`, 'POST');
    if (spec.status !== 200) throw new Error(`start export of ${id}: ${spec.status} ${JSON.stringify(spec.json)}`);
    const done = await call(c, `/tasks/${id}/complete_client_action?action=export`, 'POST');
    if (done.status !== 200) throw new Error(`complete export of ${id}: ${done.status} ${JSON.stringify(done.json)}`);
    final.set(id, String(done.json.state));
  }
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await one(id);
  }));
  return final;
}
