/**
 * @module `GET /health` (is the process up, its database answering and its disk
 * writable above the free-space floor: `checks`, one `{name, ok, detail}` each) and `GET
 * /metrics` in the Prometheus text format: request counts by route and status,
 * request durations, tasks created, and the process's memory. A handful of counters
 * do not justify a metrics library.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { diskHealth } from './disk-guard.ts';

interface Counters {
  requests: Map<string, number>;
  durationSum: number;
  durationCount: number;
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function registerHealthRoutes(app: FastifyInstance, deps: ApiDeps, ping: () => Promise<void>): void {
  const counters: Counters = { requests: new Map(), durationSum: 0, durationCount: 0 };
  const started = deps.clock();

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `${req.method} ${route} ${reply.statusCode}`;
    counters.requests.set(key, (counters.requests.get(key) ?? 0) + 1);
    counters.durationSum += reply.elapsedTime / 1000;
    counters.durationCount++;
  });

  app.get('/health', { config: { public: true }, schema: { tags: ['service'], summary: 'Liveness and database check' } }, async (_req, reply) => {
    const checks = [await diskHealth(deps)];
    try {
      await ping();
      const ok = checks.every((c) => c.ok);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', uptime_seconds: Math.round((deps.clock() - started) / 1000), checks });
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', detail: (err as Error).message, checks });
    }
  });

  app.get('/metrics', { config: { public: true }, schema: { tags: ['service'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    const lines = ['# HELP docket_http_requests_total HTTP requests by method, route and status.', '# TYPE docket_http_requests_total counter'];
    for (const [key, n] of counters.requests) {
      const [method, route, status] = key.split(' ');
      lines.push(`docket_http_requests_total{method="${label(method ?? '')}",route="${label(route ?? '')}",status="${status}"} ${n}`);
    }
    lines.push('# HELP docket_http_request_duration_seconds Time spent answering requests.', '# TYPE docket_http_request_duration_seconds summary');
    lines.push(`docket_http_request_duration_seconds_sum ${counters.durationSum}`, `docket_http_request_duration_seconds_count ${counters.durationCount}`);
    const mem = process.memoryUsage();
    lines.push('# HELP docket_process_resident_memory_bytes Resident set size.', '# TYPE docket_process_resident_memory_bytes gauge', `docket_process_resident_memory_bytes ${mem.rss}`);
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
