/**
 * @module The queue gauges of GET /metrics (port in core/ports/queue-gauges.ts): two
 * aggregate queries over `tasks`, one grouped by state and one `min(created_at)` of
 * the queued ones, which the claim index makes cheap on both engines.
 */
import type { Kysely } from 'kysely';
import type { QueueGaugeSource } from '../core/ports/queue-gauges.ts';
import type { Database } from './schema.ts';

export function createQueueGauges(db: Kysely<Database>): QueueGaugeSource {
  return {
    async read() {
      const rows = await db.selectFrom('tasks').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      const oldest = await db.selectFrom('tasks').select((eb) => eb.fn.min('created_at').as('at')).where('state', '=', 'queued').executeTakeFirst();
      return {
        byState: Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])),
        oldestQueuedAt: oldest?.at === null || oldest?.at === undefined ? null : Number(oldest.at),
      };
    },
  };
}
