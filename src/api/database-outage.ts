/**
 * @module What the API does while the database is away. Uploads are refused with
 * `database_unavailable` (503, `Retry-After`) before their body is read when the
 * database is already known to be down, so a client does not send 200 MB for nothing;
 * any other request that hits a lost connection gets the same answer through the error
 * handler instead of a 500.
 *
 * An upload whose task row could not be written leaves its file behind only until the
 * database answers again: a lost connection during COMMIT leaves it unknown whether the
 * row exists, so the file is deleted once a read shows that it does not (and kept for
 * the task that got created). A process that dies first leaves it to the orphan sweep.
 */
import type { FastifyInstance } from 'fastify';
import { Problem } from '../core/errors.ts';
import type { DatabaseHealth } from '../core/ports/database-health.ts';
import type { ApiDeps } from './deps.ts';

export function databaseProblem(detail: string): Problem {
  return new Problem('database_unavailable', `the database cannot be reached (${detail}); nothing was kept, retry later`);
}

/** Refuses `POST /tasks` at `onRequest`, which runs before the body is parsed (Fastify Hooks reference), while `database` is known to be down. */
export function registerDatabaseGate(app: FastifyInstance, database: DatabaseHealth): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST' || req.routeOptions.url !== '/tasks') return;
    const status = database.status();
    if (status.ok) return;
    // The body is not wanted: closing the connection spares the client sending the rest of it.
    reply.header('connection', 'close');
    throw databaseProblem(status.detail);
  });
}

const SETTLE_FIRST_MS = 500;
const SETTLE_MAX_MS = 5000;
/** After this the orphan sweep (files older than its grace period with no task) takes over. */
const SETTLE_GIVE_UP_MS = 15 * 60_000;

/** Deletes the uploaded file `key` of task `id` once the database shows the task was not created. */
export function settleUpload(deps: Pick<ApiDeps, 'repos' | 'blobs' | 'clock'>, id: string, key: string): void {
  const giveUp = deps.clock() + SETTLE_GIVE_UP_MS;
  let delay = SETTLE_FIRST_MS;
  const attempt = async (): Promise<void> => {
    try {
      if (!(await deps.repos.tasks.getById(id))) await deps.blobs.delete(key);
    } catch {
      if (deps.clock() >= giveUp) return;
      setTimeout(() => void attempt(), delay).unref();
      delay = Math.min(delay * 2, SETTLE_MAX_MS);
    }
  };
  void attempt();
}
