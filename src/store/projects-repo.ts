/**
 * @module Project queries. A project is a row plus immutable versions: `PUT` adds a
 * version and moves the pointer, and a task records the version it was created
 * with, so a change never alters work already in flight.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ProjectRepository } from '../core/ports/project-repository.ts';
import type { ProjectRecord } from '../core/records.ts';
import type { Project } from '../core/project.ts';
import type { Database, ProjectsTable } from './schema.ts';
import { p, prepare } from './prepared.ts';

/**
 * Parsed project versions, by `id:version`. A version never changes once written, so
 * its parse can be shared: the demo project is 40 KB of JSON (its trained
 * classifier), ~160 µs to parse, and every upload reads its project. Frozen, so a
 * caller that tried to change a shared project would fail loudly.
 */
const PARSED_LIMIT = 200;
const parsed = new Map<string, Project>();

/** With an explicit stack: a stored project is at most 64 levels deep (api/projects.ts), but a walk must not depend on it. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const child of Object.values(v)) stack.push(child);
    }
  }
  return value;
}

function parseVersion(id: string, version: number, json: string): Project {
  const key = `${id}:${version}`;
  let project = parsed.get(key);
  if (project === undefined) {
    project = deepFreeze(JSON.parse(json) as Project);
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, project);
  }
  return project;
}

function toRecord(row: Selectable<ProjectsTable> & { project_json: string }, version?: number): ProjectRecord {
  const v = version ?? Number(row.version);
  return {
    id: row.id,
    account_id: row.account_id,
    name: row.name,
    version: v,
    project: parseVersion(row.id, v, row.project_json),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}

export function createProjectRepository(db: Kysely<Database>): ProjectRepository {
  const current = () =>
    db.selectFrom('projects')
      .innerJoin('project_versions', (j) => j.onRef('project_versions.project_id', '=', 'projects.id').onRef('project_versions.version', '=', 'projects.version'))
      .selectAll('projects').select('project_versions.project_json')
      .where('projects.deleted_at', 'is', null);
  // Every upload runs this one: prepared once (prepared.ts).
  const selectCurrent = prepare(() => current().where('projects.id', '=', p<string>(0)).where('projects.account_id', '=', p<string>(1)));

  return {
    async create({ id, account_id, project, now }) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('projects').values({ id, account_id, name: project.name, version: 1, created_at: now, updated_at: now, deleted_at: null }).execute();
        await trx.insertInto('project_versions').values({ project_id: id, version: 1, project_json: JSON.stringify(project), created_at: now }).execute();
      });
      return { id, account_id, name: project.name, version: 1, project, created_at: now, updated_at: now };
    },

    async update(accountId, id, project, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('projects').selectAll().where('id', '=', id).where('account_id', '=', accountId).where('deleted_at', 'is', null).executeTakeFirst();
        if (!row) return null;
        const version = Number(row.version) + 1;
        await trx.insertInto('project_versions').values({ project_id: id, version, project_json: JSON.stringify(project), created_at: now }).execute();
        await trx.updateTable('projects').set({ version, name: project.name, updated_at: now }).where('id', '=', id).execute();
        return { id, account_id: accountId, name: project.name, version, project, created_at: Number(row.created_at), updated_at: now };
      });
    },

    async get(accountId, id) {
      const row = (await selectCurrent.run(db, id, accountId)).rows[0];
      return row ? toRecord(row) : null;
    },

    async getVersion(id, version) {
      const row = await db.selectFrom('projects')
        .innerJoin('project_versions', 'project_versions.project_id', 'projects.id')
        .selectAll('projects').select('project_versions.project_json')
        .where('projects.id', '=', id).where('project_versions.version', '=', version)
        .executeTakeFirst();
      return row ? toRecord(row, version) : null;
    },

    async findByName(accountId, name) {
      const row = await current().where('projects.account_id', '=', accountId).where('projects.name', '=', name).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async list(accountId) {
      const rows = await db.selectFrom('projects').select(['id', 'account_id', 'name', 'version', 'created_at', 'updated_at'])
        .where('account_id', '=', accountId).where('deleted_at', 'is', null).orderBy('created_at').execute();
      return rows.map((r) => ({ ...r, version: Number(r.version), created_at: Number(r.created_at), updated_at: Number(r.updated_at) }));
    },

    async versions(accountId, id) {
      const rows = await db.selectFrom('project_versions').innerJoin('projects', 'projects.id', 'project_versions.project_id')
        .select(['project_versions.version', 'project_versions.created_at'])
        .where('projects.id', '=', id).where('projects.account_id', '=', accountId)
        .orderBy('project_versions.version').execute();
      return rows.map((r) => ({ version: Number(r.version), created_at: Number(r.created_at) }));
    },

    async delete(accountId, id, now) {
      const r = await db.updateTable('projects').set({ deleted_at: now })
        .where('id', '=', id).where('account_id', '=', accountId).where('deleted_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
