/**
 * @module A project's vendor memory over HTTP (docs/vendor-memory.md): `POST
 * /projects/{id}/samples` teaches it one labelled document (multipart/form-data: `file`,
 * `fields` as a JSON object of field name → value, optional `type`), `GET
 * /projects/{id}/memory` shows what it holds, `DELETE` erases it. Managing memory is
 * managing the project: the same access rule (admin). The sample's file is read
 * through the pipeline and dropped; only what the memory keeps stays.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { Problem } from '../core/errors.ts';
import { isId } from '../core/ids.ts';
import { describeMemory } from '../core/memory/learn.ts';
import { learningEnabled } from '../core/project/learning.ts';
import type { ProjectRecord } from '../core/records.ts';
import type { ApiDeps } from './deps.ts';
import { adminOf } from './auth.ts';

const ProblemJson = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(),
  fields: Type.Optional(Type.Array(Type.String(), { description: 'the fields concerned' })),
}, { additionalProperties: true, description: 'RFC 7807 problem (docs/errors.md)' });
const Params = Type.Object({ id: Type.String({ description: 'the project id' }) });
const Counted = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));
const FieldMemory = Type.Object({ value: Type.Union([Type.String(), Type.Null()]), counts: Counted, labels: Counted, places: Counted });
const Vendor = Type.Object({
  id: Type.String(), documents: Type.Integer(), updated_at: Type.String({ format: 'date-time' }),
  anchors: Type.Record(Type.String(), Counted, { description: 'anchor kind → values (docs/vendor-memory.md#what-is-kept-and-what-is-not)' }),
  fields: Type.Record(Type.String(), Type.Record(Type.String(), FieldMemory), { description: 'document type → field → what was learned' }),
});
const Learned = Type.Object({
  document_type: Type.String(), vendor: Type.String(), new_vendor: Type.Boolean(), anchors: Type.Integer({ description: 'anchors found on the document' }),
  fields: Type.Array(Type.Object({ name: Type.String(), value: Type.Boolean({ description: 'kept by value (a static field)' }), label: Type.Union([Type.String(), Type.Null()]), place: Type.Union([Type.String(), Type.Null()]) })),
  unmatched: Type.Array(Type.String(), { description: 'labelled fields found nowhere on the pages (not learned)' }),
});
const SampleBody = Type.Object({
  file: Type.String({ format: 'binary', description: 'the document (PDF, TIFF, JPEG or PNG)' }),
  fields: Type.String({ description: 'JSON object of field name → value, e.g. {"company": "…", "total": "12.50"}' }),
  type: Type.Optional(Type.String({ description: 'the document type; classified when absent' })),
});

async function projectOf(deps: ApiDeps, req: FastifyRequest): Promise<ProjectRecord> {
  const principal = adminOf(req);
  const id = (req.params as { id: string }).id;
  const record = isId(id) ? await deps.repos.projects.get(principal.account_id, id) : null;
  if (!record) throw new Problem('not_found', `no project ${id}`);
  return record;
}

function memoryStore(deps: ApiDeps) {
  if (!deps.memory || !deps.learnSample) throw new Problem('unavailable', 'this server runs without vendor memory');
  return { memory: deps.memory, learnSample: deps.learnSample };
}

async function readSample(req: FastifyRequest): Promise<{ file: Uint8Array; fields: Record<string, unknown>; type: string | null }> {
  const body = req.body as Buffer | undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new Problem('unsupported_media_type', 'send the sample as multipart/form-data with parts file, fields and (optionally) type');
  let form: FormData;
  try {
    // The WHATWG multipart parser Node ships (undici's Response.formData), on the body already held within the upload limit.
    form = await new Response(body ? new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length) : null, { headers: { 'content-type': type } }).formData();
  } catch (err) {
    throw new Problem('invalid_request', `the multipart body could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const file = form.get('file');
  if (!(file instanceof Blob) || file.size === 0) throw new Problem('invalid_sample', 'the part "file" (the document) is missing or empty');
  let fields: unknown;
  try {
    fields = JSON.parse(String(form.get('fields') ?? ''));
  } catch {
    throw new Problem('invalid_sample', 'the part "fields" must be a JSON object of field name → value');
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields) || Object.keys(fields).length === 0) throw new Problem('invalid_sample', 'the part "fields" must be a non-empty JSON object of field name → value');
  const t = form.get('type');
  return { file: new Uint8Array(await file.arrayBuffer()), fields: fields as Record<string, unknown>, type: typeof t === 'string' && t.trim() !== '' ? t.trim() : null };
}

export function registerMemoryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const problems = { 400: ProblemJson, 401: ProblemJson, 403: ProblemJson, 404: ProblemJson, 503: ProblemJson };
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.maxUploadBytes }, (_req, body, done) => done(null, body));
    scope.post('/projects/:id/samples', {
      // The body is multipart, read by readSample; the schema documents it.
      validatorCompiler: () => () => true,
      schema: {
        operationId: 'teachSample', tags: ['projects'], summary: 'Teach the project one labelled document',
        description: 'Runs the document through capture up to extraction and teaches the project\'s vendor memory its labelled values (docs/vendor-memory.md). 422 `sample_unmatched` when no labelled value is on its pages (nothing is learned). The file is not kept.',
        consumes: ['multipart/form-data'], params: Params, body: SampleBody,
        response: { 201: Learned, ...problems, 413: ProblemJson, 415: ProblemJson, 422: ProblemJson },
      },
    }, async (req, reply) => {
      const record = await projectOf(deps, req);
      const { learnSample } = memoryStore(deps);
      if (!learningEnabled(record.project)) throw new Problem('invalid_sample', 'the project has learning turned off (learning: false)');
      const sample = await readSample(req);
      const out = await learnSample({ accountId: record.account_id, projectId: record.id, project: record.project, ...sample });
      if (!out.ok && out.reason === 'unmatched') throw new Problem('sample_unmatched', `nothing learned: ${out.fields.join(', ')} ${out.fields.length === 1 ? 'is' : 'are'} nowhere on the pages`, { fields: out.fields });
      if (!out.ok && out.reason === 'unknown_fields') throw new Problem('invalid_sample', `${out.document_type} has no field ${out.fields.join(', ')}`, { fields: out.fields });
      if (!out.ok) throw new Problem('invalid_sample', out.document_type === null ? 'the document could not be classified; name its type in the part "type"' : `the project has no document type ${JSON.stringify(out.document_type)}`);
      return reply.code(201).send({ document_type: out.document_type, ...out.learned, unmatched: out.unmatched });
    });
  });

  app.get('/projects/:id/memory', {
    schema: {
      operationId: 'getProjectMemory', tags: ['projects'], summary: 'Show what the project learned',
      description: 'The vendors the project\'s memory holds, with their anchors and what was learned of each field, with counts (docs/vendor-memory.md).',
      params: Params, response: { 200: Type.Object({ project_id: Type.String(), learning: Type.Boolean(), vendors: Type.Array(Vendor) }), ...problems },
    },
  }, async (req) => {
    const record = await projectOf(deps, req);
    const { memory } = memoryStore(deps);
    return { project_id: record.id, learning: learningEnabled(record.project), vendors: describeMemory(await memory.load(record.id)) };
  });

  app.delete('/projects/:id/memory', {
    schema: {
      operationId: 'eraseProjectMemory', tags: ['projects'], summary: 'Erase what the project learned',
      description: 'Erases the project\'s vendor memory, and any memory set aside as damaged. The project works cold afterwards and learns again unless learning is off.',
      params: Params, response: { 204: Type.Null({ description: 'erased (or there was nothing)' }), ...problems },
    },
  }, async (req, reply) => {
    const record = await projectOf(deps, req);
    await memoryStore(deps).memory.erase(record.id);
    return reply.code(204).send();
  });
}
