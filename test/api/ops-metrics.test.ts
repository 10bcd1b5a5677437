/**
 * @module GET /metrics's operating lines on a service wired as `docket serve` wires it:
 * tasks per state, the oldest queued task's age, the worker busy ratio and the
 * blob-store calls, errors and seconds (ops-metrics.ts); and /health's blob-store check.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, waitForTask, type TestService } from '../helpers/service.ts';
import { makePdf } from '../helpers/fixtures.ts';

const TOKEN = 'metrics-token-0123456789';
let s: TestService;

before(async () => {
  s = await startTestService('sqlite', { DOCKET_METRICS_TOKEN: TOKEN, DOCKET_WORKERS: '1' });
});
after(() => s?.close());

const value = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

test('metrics count tasks per state, the queue age, the busy ratio and blob-store calls', async () => {
  const res = await s.api(`/tasks?project_id=${s.demoProjectId}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await makePdf(1)) });
  const id = ((await res.json()) as { id: string }).id;
  await waitForTask(s, id, (t) => t.state !== 'queued' && t.state !== 'running', 120_000);
  const text = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const states = text.split('\n').filter((l) => l.startsWith('docket_tasks{'));
  assert.equal(states.reduce((n, l) => n + Number(l.split(' ')[1]), 0), 1, states.join('\n'));
  assert.equal(value(text, 'docket_queue_oldest_age_seconds'), 0, 'nothing waits');
  const busy = value(text, 'docket_worker_busy_ratio');
  assert.ok(busy !== undefined && busy > 0 && busy <= 1, `busy ratio ${busy}`);
  assert.ok((value(text, 'docket_blob_operations_total{op="put"}') ?? 0) >= 3, 'the upload, the page spool and the result');
  assert.equal(value(text, 'docket_blob_errors_total{op="put"}'), 0);
  assert.ok((value(text, 'docket_blob_duration_seconds_sum{op="put"}') ?? -1) > 0);
  const health = (await (await fetch(`${s.url}/health`)).json()) as { checks: { name: string; ok: boolean }[] };
  assert.equal(health.checks.find((c) => c.name === 'blob_store')?.ok, true);
});
