/**
 * @module A project's vendor memory over HTTP (docs/vendor-memory.md): `POST
 * /projects/{id}/samples` teaches it one labelled document (multipart/form-data: `file`,
 * `fields` as a JSON object of field name → value, optional `type`), `GET
 * /projects/{id}/memory` shows what it holds, `DELETE` erases it. Managing memory is
 * managing the project: the same access rule (admin). The sample's file is read
 * through the pipeline and dropped; only what the memory keeps stays.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem } from '../core/errors.ts';
import { isId } from '../core/ids.ts';
import { describeMemory } from '../core/memory/learn.ts';
import { learningEnabled } from '../core/project/learning.ts';
import type { ProjectRecord } from '../core/records.ts';
import type { Principal } from '../core/records.ts';
import type { ApiDeps } from './deps.ts';
import { adminOf } from './auth.ts';
import { IdParams, signedInErrors, type RawBody } from './schemas/common.ts';

const Counted = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }), { description: 'Values with how many documents showed each.' });
const FieldMemory = Type.Object({
  value: Type.Union([Type.String(), Type.Null()], { description: 'The value kept for a static field; null for a changing one.' }),
  counts: Counted, labels: Counted, places: Counted,
}, { description: 'What was learned of one field.' });
const Bins = Type.Array(Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }), { description: '20 confidence bins of 0.05: [values, right ones, sum of their confidences].' });
const Vendor = Type.Object({
  id: Type.String({ description: 'The vendor\'s id in this memory.' }),
  documents: Type.Integer({ description: 'How many documents taught it.' }),
  updated_at: Type.String({ format: 'date-time', description: 'When it last learned.' }),
  anchors: Type.Record(Type.String(), Counted, { description: 'anchor kind → values (docs/vendor-memory.md#what-is-kept-and-what-is-not)' }),
  fields: Type.Record(Type.String(), Type.Record(Type.String(), FieldMemory), { description: 'document type → field → what was learned' }),
}, { description: 'One vendor the memory knows.' });
const Memory = Type.Object({
  project_id: Type.String({ description: 'The project.' }),
  learning: Type.Boolean({ description: 'Whether the project learns (`learning` in the project file).' }),
  vendors: Type.Array(Vendor, { description: 'The vendors known.' }),
  calibration: Type.Record(Type.String(), Type.Object({ known: Bins, new: Bins }), { description: 'type.field → how right capture\'s confidences were, for known and new vendors (docs/vendor-memory.md#calibration).' }),
}, { description: 'A project\'s vendor memory.' });
const Learned = Type.Object({
  document_type: Type.String({ description: 'The sample\'s type, given or classified.' }),
  vendor: Type.String({ description: 'The vendor it taught.' }),
  new_vendor: Type.Boolean({ description: 'Whether that vendor was new.' }),
  anchors: Type.Integer({ description: 'anchors found on the document' }),
  fields: Type.Array(Type.Object({
    name: Type.String({ description: 'The field.' }),
    value: Type.Boolean({ description: 'kept by value (a static field)' }),
    label: Type.Union([Type.String(), Type.Null()], { description: 'The label it stood under.' }),
    place: Type.Union([Type.String(), Type.Null()], { description: 'Where on the page it stood.' }),
  }), { description: 'What was learned of each field.' }),
  unmatched: Type.Array(Type.String(), { description: 'labelled fields found nowhere on the pages (not learned)' }),
}, { description: 'What one sample taught.' });

/** The multipart body, documented only: it is read by readSample, not by Fastify. */
const SAMPLE_BODY: RawBody = {
  description: 'The labelled document as multipart/form-data.',
  content: {
    'multipart/form-data': {
      schema: Type.Object({
        file: Type.String({ format: 'binary', description: 'the document (PDF, TIFF, JPEG or PNG)' }),
        fields: Type.String({ description: 'JSON object of field name → value, e.g. {"company": "…", "total": "12.50"}' }),
        type: Type.Optional(Type.String({ description: 'the document type; classified when absent' })),
      }),
    },
  },
};

async function projectOf(deps: ApiDeps, principal: Principal, id: string): Promise<ProjectRecord> {
  const record = isId(id) ? await deps.repos.projects.get(principal.account_id, id) : null;
  if (!record) throw new Problem('not_found', `no project ${id}`);
  return record;
}

function memoryStore(deps: ApiDeps) {
  if (!deps.memory || !deps.learnSample) throw new Problem('unavailable', 'this server runs without vendor memory');
  return { memory: deps.memory, learnSample: deps.learnSample };
}

async function readSample(raw: unknown, type: string): Promise<{ file: Uint8Array; fields: Record<string, unknown>; type: string | null }> {
  const body = Buffer.isBuffer(raw) ? raw : undefined;
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

export function registerMemoryRoutes(plain: FastifyInstance, deps: ApiDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['projects'];
  plain.register(async (inner) => {
    const scope = inner.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.maxUploadBytes }, (_req, body, done) => done(null, body));
    scope.post('/projects/:id/samples', {
      schema: {
        operationId: 'teachSample', tags, summary: 'Teach the project one labelled document',
        description: 'Runs the document through capture up to extraction and teaches the project\'s vendor memory its labelled values (docs/vendor-memory.md). 422 `sample_unmatched` when no labelled value is on its pages (nothing is learned). The file is not kept.',
        params: IdParams, rawBody: SAMPLE_BODY,
        response: { 201: { description: 'What the sample taught.', ...Learned }, ...signedInErrors(400, 404, 413, 415, 422) },
      },
    }, async (req, reply) => {
      const record = await projectOf(deps, adminOf(req), req.params.id);
      const { learnSample } = memoryStore(deps);
      if (!learningEnabled(record.project)) throw new Problem('invalid_sample', 'the project has learning turned off (learning: false)');
      const sample = await readSample(req.body, req.headers['content-type'] ?? '');
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
      params: IdParams, response: { 200: { description: 'The memory.', ...Memory }, ...signedInErrors(404) },
    },
  }, async (req) => {
    const record = await projectOf(deps, adminOf(req), req.params.id);
    const { memory } = memoryStore(deps);
    const stored = await memory.load(record.id);
    return { project_id: record.id, learning: learningEnabled(record.project), vendors: describeMemory(stored), calibration: stored.calibration ?? {} };
  });

  app.delete('/projects/:id/memory', {
    schema: {
      operationId: 'eraseProjectMemory', tags: ['projects'], summary: 'Erase what the project learned',
      description: 'Erases the project\'s vendor memory, and any memory set aside as damaged. The project works cold afterwards and learns again unless learning is off.',
      params: IdParams, response: { 204: Type.Null({ description: 'Erased (or there was nothing).' }), ...signedInErrors(404) },
    },
  }, async (req, reply) => {
    const record = await projectOf(deps, adminOf(req), req.params.id);
    await memoryStore(deps).memory.erase(record.id);
    // The scorer's examples and retrained versions are what the project learned too (docs/vendor-memory.md).
    await deps.scorer?.store.erase(record.id);
    return reply.code(204).send(null);
  });
}
