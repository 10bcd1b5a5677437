/**
 * @module Project routes. `POST /projects` takes the project file as the body (YAML,
 * JSON, or a zip bundle with samples) and answers 201, or 422 listing every problem
 * with its path; nothing is stored unless the whole file is valid. `PUT` adds a
 * version; tasks keep the version they were created with.
 *
 * A YAML or JSON file is limited to 5 MiB (413) and 64 levels of nesting (422): the
 * largest real project (the demo, with its trained classifier) is 40 KB and 8 levels,
 * while a 40 MB file held 2 GB of memory, and a million-deep one overflowed every
 * recursive walk. A zip bundle keeps the limits of core/project/zip.ts (entries,
 * inflated size) within the request body limit. `GET /projects` lists summaries, not
 * definitions, so its size does not grow with the files; `GET /projects/{id}` has it.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { newId, isId } from '../core/ids.ts';
import { Problem } from '../core/errors.ts';
import type { ProjectRecord, ProjectSummary } from '../core/records.ts';
import type { Project } from '../core/project.ts';
import type { ApiDeps } from './deps.ts';
import { adminOf, principalOf } from './auth.ts';
import { iso } from './task-json.ts';
import { jsonTextDepth, nestingDepth } from '../core/nesting.ts';
import { IdParams, LOCATION, ref, signedInErrors } from './schemas/common.ts';
import { Project as ProjectSchema, PROJECT_BODY, ProjectList, ProjectWithVersions } from './schemas/projects.ts';

export const MAX_PROJECT_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_PROJECT_DEPTH = 64;
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** The list's entry: what a project is, without its definition. */
export function projectSummaryJson(p: ProjectSummary) {
  return { id: p.id, name: p.name, version: p.version, created_at: iso(p.created_at), updated_at: iso(p.updated_at) };
}

export function projectJson(p: ProjectRecord) {
  const { name, timeout_ms, client_action_timeout_ms, validation } = p.project;
  return {
    id: p.id, name, version: p.version, created_at: iso(p.created_at), updated_at: iso(p.updated_at),
    timeout_seconds: timeout_ms === null ? null : timeout_ms / 1000,
    client_action_timeout_seconds: client_action_timeout_ms / 1000,
    validation,
    definition: p.project.definition,
  };
}

async function parseBody(deps: ApiDeps, raw: unknown, contentType: string | undefined): Promise<Project> {
  const body = Buffer.isBuffer(raw) ? raw : undefined;
  if (!body || body.length === 0) throw new Problem('empty_body', 'the request body must be the project file');
  const zip = ZIP.every((b, i) => body[i] === b);
  if (!zip && body.length > MAX_PROJECT_FILE_BYTES) {
    throw new Problem('payload_too_large', `the project file is ${body.length} bytes; a YAML or JSON project file is limited to ${MAX_PROJECT_FILE_BYTES} bytes (5 MiB)`);
  }
  const tooDeep = () => new Problem('invalid_project', '1 problem(s) in the project file', {
    problems: [{ path: '', message: `the file nests arrays and objects deeper than ${MAX_PROJECT_DEPTH} levels` }],
  });
  if (!zip && /json/i.test(contentType ?? '') && jsonTextDepth(body.toString('utf8'), MAX_PROJECT_DEPTH) > MAX_PROJECT_DEPTH) throw tooDeep();
  const parsed = await deps.loadProject(body, contentType);
  if (!parsed.ok) throw new Problem('invalid_project', `${parsed.problems.length} problem(s) in the project file`, { problems: parsed.problems });
  if (nestingDepth(parsed.project.definition, MAX_PROJECT_DEPTH) > MAX_PROJECT_DEPTH) throw tooDeep();
  return parsed.project;
}

const tags = ['projects'];
const params = IdParams;
const projectAnswer = (description: string) => ({ description, ...ref(ProjectSchema) });

export function registerProjectRoutes(plain: FastifyInstance, deps: ApiDeps): void {
  plain.register(async (inner) => {
    const scope = inner.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.maxJsonBytes }, (_req, body, done) => done(null, body));

    scope.post('/projects', {
      schema: {
        operationId: 'createProject', tags, summary: 'Create a project from a project file',
        description: 'The body is the project file (YAML, JSON or a zip bundle, docs/project-file.md). Nothing is stored unless the whole file is valid; 422 lists every problem with its path.',
        rawBody: PROJECT_BODY,
        response: { 201: { ...projectAnswer('The project, version 1.'), headers: LOCATION }, ...signedInErrors(400, 413, 422) },
      },
    }, async (req, reply) => {
      const principal = adminOf(req);
      const project = await parseBody(deps, req.body, req.headers['content-type']);
      const record = await deps.repos.projects.create({ id: newId(), account_id: principal.account_id, project, now: deps.clock() });
      return reply.code(201).header('location', `/projects/${record.id}`).send(projectJson(record));
    });

    scope.put('/projects/:id', {
      schema: {
        operationId: 'replaceProject', tags, summary: 'Replace a project with a new version',
        description: 'Adds a version from the project file in the body; tasks created before keep the version they were created with.',
        params, rawBody: PROJECT_BODY,
        response: { 200: projectAnswer('The project at its new version.'), ...signedInErrors(400, 404, 413, 422) },
      },
    }, async (req) => {
      const principal = adminOf(req);
      const id = req.params.id;
      if (!isId(id) || !(await deps.repos.projects.get(principal.account_id, id))) throw new Problem('not_found', `no project ${id}`);
      const project = await parseBody(deps, req.body, req.headers['content-type']);
      const record = await deps.repos.projects.update(principal.account_id, id, project, deps.clock());
      if (!record) throw new Problem('not_found', `no project ${id}`);
      return projectJson(record);
    });
  });

  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/projects', {
    schema: {
      operationId: 'listProjects', tags, summary: 'List projects',
      description: 'The account\'s projects as summaries; `GET /projects/{id}` has a project\'s definition.',
      response: { 200: { description: 'The projects.', ...ref(ProjectList) }, ...signedInErrors() },
    },
  }, async (req) => {
    const principal = principalOf(req);
    return { projects: (await deps.repos.projects.list(principal.account_id)).map(projectSummaryJson) };
  });

  app.get('/projects/:id', {
    schema: {
      operationId: 'getProject', tags, summary: 'Get a project', description: 'The project at its current version, with its definition and the list of its versions.',
      params, response: { 200: { description: 'The project.', ...ref(ProjectWithVersions) }, ...signedInErrors(404) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const id = req.params.id;
    const record = await deps.repos.projects.get(principal.account_id, id);
    if (!record) throw new Problem('not_found', `no project ${id}`);
    const versions = await deps.repos.projects.versions(principal.account_id, id);
    return { ...projectJson(record), versions: versions.map((v) => ({ version: v.version, created_at: iso(v.created_at) })) };
  });

  app.delete('/projects/:id', {
    schema: {
      operationId: 'deleteProject', tags, summary: 'Delete a project', description: 'The project stops taking tasks; tasks created with it keep their version.',
      params, response: { 204: Type.Null({ description: 'Deleted.' }), ...signedInErrors(404) },
    },
  }, async (req, reply) => {
    const principal = adminOf(req);
    const id = req.params.id;
    if (!(await deps.repos.projects.delete(principal.account_id, id, deps.clock()))) throw new Problem('not_found', `no project ${id}`);
    // What the project learned goes with it (docs/vendor-memory.md).
    await deps.memory?.erase(id);
    await deps.scorer?.store.erase(id);
    return reply.code(204).send(null);
  });
}
