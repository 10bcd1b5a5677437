/**
 * @module Migration `0007_portal_workflow` (docs/portal.md#validation-every-user): what the validation
 * portal's ways out need on a task, and when an API client last got a token.
 * - `postponed_by`, `postponed_at`: a person put the task off; it comes last in their
 *   own queue (others see it in its usual place).
 * - `exception_reason`: a person rejected it into the project's exception queue; only
 *   admins see it there, with this reason.
 * - `api_clients.last_used_at`: the last token issued to the client, for the admin list.
 * All nullable, so existing rows need no values.
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export function portalWorkflow(kind: 'sqlite' | 'postgres'): Migration {
  const time = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('tasks').addColumn('postponed_by', 'text').execute();
      await db.schema.alterTable('tasks').addColumn('postponed_at', time).execute();
      await db.schema.alterTable('tasks').addColumn('exception_reason', 'text').execute();
      await db.schema.alterTable('api_clients').addColumn('last_used_at', time).execute();
    },
  };
}
