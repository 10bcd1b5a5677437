/**
 * @module Schema migrations, in order, for both engines. Kysely's Migrator records
 * what ran in `kysely_migration` and takes a lock, so several `serve`/`worker`
 * processes starting at once on PostgreSQL migrate exactly once. The few engine
 * differences (auto-increment ids, integer width) are switched on `kind`.
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { userEmailsPerAccount } from './migration-user-emails.ts';
import { vendorMemoryMigration } from './migration-vendor-memory.ts';
import { scorerLearningMigration } from './migration-scorer-learning.ts';
import { portalWorkflow } from './migration-portal-workflow.ts';

export type StoreKind = 'sqlite' | 'postgres';

function initial(kind: StoreKind): Migration {
  const time = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createTable('api_clients')
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('revoked_at', time)
        .execute();
      await db.schema.createTable('tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tokens_expires').on('tokens').column('expires_at').execute();
      await db.schema.createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('deleted_at', time)
        .execute();
      await db.schema.createIndex('projects_account').on('projects').columns(['account_id', 'name']).execute();
      await db.schema.createTable('project_versions')
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('project_json', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('project_versions_pk', ['project_id', 'version'])
        .execute();
      await db.schema.createTable('tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('project_version', 'integer', (c) => c.notNull())
        .addColumn('project_name', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('tags_json', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('client_action', 'text')
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('file_key', 'text')
        .addColumn('file_size', time, (c) => c.notNull())
        .addColumn('file_sha256', 'text', (c) => c.notNull())
        .addColumn('documents_count', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', time)
        .addColumn('deadline_at', time)
        .addColumn('client_action_timeout_ms', time, (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('finished_at', time)
        .addColumn('purged_at', time)
        .execute();
      await db.schema.createIndex('tasks_claim').on('tasks').columns(['state', 'updated_at']).execute();
      await db.schema.createIndex('tasks_account').on('tasks').columns(['account_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('tasks_lease').on('tasks').columns(['state', 'lease_expires_at']).execute();
      await db.schema.createIndex('tasks_deadline').on('tasks').column('deadline_at').execute();
      await db.schema.createIndex('tasks_finished').on('tasks').columns(['finished_at', 'purged_at']).execute();
      await db.schema.createTable('idempotency_keys')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'key'])
        .execute();
      await db.schema.createIndex('idempotency_task').on('idempotency_keys').column('task_id').execute();
      await db.schema.createTable('task_events')
        .addColumn('id', kind === 'postgres' ? 'bigserial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('client_action', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('task_events_task').on('task_events').columns(['task_id', 'id']).execute();
      await db.schema.createTable('task_files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', time, (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('document_index', 'integer')
        .execute();
      await db.schema.createIndex('task_files_task').on('task_files').column('task_id').execute();
      await db.schema.createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * The sweeper's indexes cover only the rows it looks for: leases, deadlines and
 * finished tasks. A new task has none of the three, so its insert now writes 4
 * b-trees of the tasks table instead of 7 (an upload's database CPU on SQLite went
 * from ~110 to ~86 µs in raw statements). Each sweeper query filters with `<` on the
 * column, or says `is not null`, which both engines read as the index's condition.
 */
const partialSweeperIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const name of ['tasks_lease', 'tasks_deadline', 'tasks_finished']) await db.schema.dropIndex(name).execute();
    await db.schema.createIndex('tasks_lease').on('tasks').columns(['state', 'lease_expires_at']).where('lease_expires_at', 'is not', null).execute();
    await db.schema.createIndex('tasks_deadline').on('tasks').column('deadline_at').where('deadline_at', 'is not', null).execute();
    await db.schema.createIndex('tasks_finished').on('tasks').columns(['finished_at', 'purged_at']).where('finished_at', 'is not', null).execute();
  },
};

/**
 * Two task columns for transient faults (core/faults.ts): `not_before`, before which
 * a task put back after one is not claimed, and `transient_faults`, the count that
 * grows its delay. And the internal state `validated` (core/task-states.ts): a task
 * whose validation completed used to wait as `running` with no lease owner; such rows
 * are moved to it. The claim index gains `not_before` so the claim's filter is read
 * from it.
 */
function retryDelay(kind: StoreKind): Migration {
  const time = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('tasks').addColumn('not_before', time).execute();
      await db.schema.alterTable('tasks').addColumn('transient_faults', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await sql`update tasks set state = 'validated' where state = 'running' and lease_owner is null`.execute(db);
      await db.schema.dropIndex('tasks_claim').execute();
      await db.schema.createIndex('tasks_claim').on('tasks').columns(['state', 'updated_at', 'not_before']).execute();
    },
  };
}

class StaticProvider implements MigrationProvider {
  readonly #kind: StoreKind;
  constructor(kind: StoreKind) {
    this.#kind = kind;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001_initial': initial(this.#kind),
      '0002_partial_sweeper_indexes': partialSweeperIndexes,
      '0003_validated_state_retry_delay': retryDelay(this.#kind),
      '0004_user_emails_per_account': userEmailsPerAccount(this.#kind),
      '0005_vendor_memory': vendorMemoryMigration(this.#kind),
      '0007_portal_workflow': portalWorkflow(this.#kind),
      '0008_scorer_learning': scorerLearningMigration(this.#kind),
    };
  }
}

/**
 * On PostgreSQL the migrator is told the schema it works in (the first of the
 * `search_path`, where the tables are created). Without it, Kysely looks for its
 * `kysely_migration*` tables in every schema of the database, finds another
 * schema's (a second docket, or a test suite running beside this one), skips
 * creating its own and then fails on `relation "kysely_migration_lock" does not exist`.
 */
/** Migrates to the latest schema, or up to the migration named `upTo` (tests of a migration's data changes). */
export async function migrate(db: Kysely<unknown>, kind: StoreKind, upTo?: string): Promise<void> {
  const schema = kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider: new StaticProvider(kind), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(upTo);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
}
