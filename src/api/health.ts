/**
 * @module `GET /health` and `GET /metrics`. Health is a list of checks, each answering
 * `{name, ok, detail}` (the database, the blob store, and any other dependency the composition root
 * adds with one line): 200 when every check passes, 503 naming each check and why
 * otherwise, so a load balancer takes the instance out while its database is away.
 * Metrics are in the Prometheus text format: request counts by route and status,
 * request durations, tasks created, and the process's memory. A handful of counters
 * do not justify a metrics library.
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHealth } from '../core/ports/database-health.ts';
import type { BlobStore } from '../core/ports/blob-store.ts';
import type { ApiDeps } from './deps.ts';
import { errors, PUBLIC, ref } from './schemas/common.ts';
import { Health } from './schemas/service.ts';

export interface HealthCheck {
  name: string;
  run(): Promise<{ ok: boolean; detail: string }>;
}

export interface HealthCheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** A check that does not answer within this counts as failed: /health itself must never hang. */
const CHECK_TIMEOUT_MS = 5000;

/** The database answers a round trip (`DatabaseHealth.ping`, itself bounded at 3 s). */
export function databaseCheck(database: DatabaseHealth): HealthCheck {
  return {
    name: 'database',
    async run() {
      const s = await database.ping();
      return { ok: s.ok, detail: s.ok ? s.detail : `${s.detail} (down since ${new Date(s.since).toISOString()})` };
    },
  };
}

/** The blob store answers (`BlobStore.check`: a one-key listing on S3, the folder on disk). */
export function blobStoreCheck(blobs: Pick<BlobStore, 'check'>): HealthCheck {
  return {
    name: 'blob_store',
    async run() {
      const t0 = Date.now();
      await blobs.check();
      return { ok: true, detail: `answered in ${Date.now() - t0} ms` };
    },
  };
}

async function runCheck(check: HealthCheck): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  try {
    return { name: check.name, ...(await Promise.race([check.run(), timeout])) };
  } catch (err) {
    return { name: check.name, ok: false, detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

interface Counters {
  requests: Map<string, number>;
  durationSum: number;
  durationCount: number;
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function registerHealthRoutes(app: FastifyInstance, deps: ApiDeps, checks: HealthCheck[], more?: () => Promise<string[]>): void {
  const counters: Counters = { requests: new Map(), durationSum: 0, durationCount: 0 };
  const started = deps.clock();

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `${req.method} ${route} ${reply.statusCode}`;
    counters.requests.set(key, (counters.requests.get(key) ?? 0) + 1);
    counters.durationSum += reply.elapsedTime / 1000;
    counters.durationCount++;
  });

  const health = (description: string) => ({ description, content: { 'application/json': { schema: ref(Health) } } });
  app.get('/health', {
    config: { public: true },
    schema: {
      operationId: 'getHealth', tags: ['service'], summary: 'Liveness and dependency checks', ...PUBLIC,
      description: 'Runs every check (the database, the disk, …) with a 5 s bound each: 200 when all pass, 503 naming each failed check and why.',
      response: { 200: health('Every check passes.'), 503: health('At least one check fails; `checks` says which and why.') },
    },
  }, async (_req, reply) => {
    const results = await Promise.all(checks.map(runCheck));
    const ok = results.every((c) => c.ok);
    return reply.code(ok ? 200 : 503).header('cache-control', 'no-store').send({
      status: ok ? 'ok' : 'unavailable',
      uptime_seconds: Math.round((deps.clock() - started) / 1000),
      checks: results,
    });
  });

  app.get('/metrics', {
    config: { public: true },
    schema: {
      operationId: 'getMetrics', tags: ['service'], summary: 'Prometheus metrics',
      description: 'Request counts and durations, and memory, in the Prometheus text format. Opened by its own token (DOCKET_METRICS_TOKEN), not an account\'s; 404 while none is configured.',
      security: [{ metrics: [] }],
      response: {
        200: { description: 'The metrics (text format 0.0.4).', content: { 'text/plain': { schema: { type: 'string' } } } },
        ...errors(401, 404),
      },
    },
  }, async (_req, reply) => {
    const lines = ['# HELP docket_http_requests_total HTTP requests by method, route and status.', '# TYPE docket_http_requests_total counter'];
    for (const [key, n] of counters.requests) {
      const [method, route, status] = key.split(' ');
      lines.push(`docket_http_requests_total{method="${label(method ?? '')}",route="${label(route ?? '')}",status="${status}"} ${n}`);
    }
    lines.push('# HELP docket_http_request_duration_seconds Time spent answering requests.', '# TYPE docket_http_request_duration_seconds summary');
    lines.push(`docket_http_request_duration_seconds_sum ${counters.durationSum}`, `docket_http_request_duration_seconds_count ${counters.durationCount}`);
    if (more) lines.push(...(await more()));
    const mem = process.memoryUsage();
    lines.push('# HELP docket_process_resident_memory_bytes Resident set size.', '# TYPE docket_process_resident_memory_bytes gauge', `docket_process_resident_memory_bytes ${mem.rss}`);
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
