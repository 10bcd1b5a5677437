/**
 * @module A project's retrained candidate scorer over HTTP (docs/project-file.md#scorer):
 * `GET /projects/{id}/scorer` shows the setting, the examples learning keeps and every
 * kept version (when, trained on how many examples, its held-out score against the
 * version it was compared with, whether it was promoted and why); `POST
 * …/scorer/rollback` goes back to the previous promoted version (or the shipped
 * weights); `POST …/scorer/retrain` starts a retrain now, in the worker thread, and
 * answers at once. Managing the scorer is managing the project: admin.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem } from '../core/errors.ts';
import { isId } from '../core/ids.ts';
import { captureSettings } from '../core/project.ts';
import type { Principal, ProjectRecord } from '../core/records.ts';
import { SCORER_LIMITS, type ScorerVersion } from '../core/scorer/learning.ts';
import { builtinScorer } from '../core/scorer/settings.ts';
import type { ApiDeps } from './deps.ts';
import { adminOf } from './auth.ts';
import { IdParams, signedInErrors } from './schemas/common.ts';

const Version = Type.Object({
  version: Type.Integer({ description: 'The version number, counted per project from 1.' }),
  created_at: Type.String({ format: 'date-time', description: 'When it was trained.' }),
  weights_version: Type.String({ description: 'The `version` of its weights.' }),
  current: Type.Boolean({ description: 'Whether a project with `scorer: learned` uses it now.' }),
  promoted: Type.Boolean({ description: 'Whether it did at least as well as the version in use on the held-out documents (if not, it was never used).' }),
  rolled_back_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When it was rolled back, if it was.' }),
  reason: Type.String({ description: 'Why it was (not) promoted.' }),
  examples: Type.Integer({ description: 'Field examples it was trained on: the shipped ones and the project\'s own.' }),
  project_examples: Type.Integer({ description: 'Of which the project\'s own.' }),
  held_out: Type.Object({
    fields: Type.Integer({ description: 'Held-out fields (one learned document in five, never trained on).' }),
    score: Type.Union([Type.Number(), Type.Null()], { description: 'Share of them whose top candidate under this version is the right value.' }),
    current_score: Type.Union([Type.Number(), Type.Null()], { description: 'The same share under the version in use when it was trained.' }),
    brier: Type.Union([Type.Number(), Type.Null()], { description: 'Brier score of its calibrated confidence in the top candidate (lower is better): breaks a tie of the shares.' }),
    current_brier: Type.Union([Type.Number(), Type.Null()], { description: 'The same under the version in use.' }),
    current_version: Type.Union([Type.Integer(), Type.Null()], { description: 'That version (null: the shipped weights).' }),
  }, { description: 'How it did on documents it was not trained on.' }),
  cpu_ms: Type.Number({ description: 'CPU time of the retrain in its worker thread.' }),
}, { description: 'One retrained version.' });
const Scorer = Type.Object({
  project_id: Type.String({ description: 'The project.' }),
  setting: Type.String({ description: '`scorer` in the project file: builtin, none, learned or own (weights in the file).' }),
  in_use: Type.Union([Type.Integer(), Type.Null()], { description: 'The version `scorer: learned` uses now (null: the shipped weights).' }),
  shipped_version: Type.String({ description: 'The `version` of the shipped weights.' }),
  learned: Type.Object({
    documents: Type.Integer({ description: 'Taught documents whose examples are kept.' }),
    examples: Type.Integer({ description: 'Their field examples.' }),
    pending: Type.Integer({ description: 'Field examples learned since the last retrain.' }),
    retrain_every: Type.Integer({ description: 'New field examples that start a retrain.' }),
    limit: Type.Integer({ description: 'Documents kept at most (the oldest go first).' }),
  }, { description: 'What learning keeps for the scorer (docs/vendor-memory.md).' }),
  versions: Type.Array(Version, { description: 'The kept versions, newest first.' }),
}, { description: 'A project\'s scorer and its retrained versions.' });
const Rollback = Type.Object({
  from: Type.Integer({ description: 'The version rolled back.' }),
  to: Type.Union([Type.Integer(), Type.Null()], { description: 'The version now in use (null: the shipped weights).' }),
}, { description: 'What the rollback did.' });
const Retrain = Type.Object({ pending: Type.Integer({ description: 'Field examples not yet trained on.' }) }, { description: 'The retrain started.' });

const iso = (ms: number) => new Date(ms).toISOString();

function describe(v: ScorerVersion) {
  return { version: v.version, created_at: iso(v.created_at), weights_version: v.weights.version, current: v.current, promoted: v.promoted, rolled_back_at: v.rolled_back_at === null ? null : iso(v.rolled_back_at), reason: v.report.reason, examples: v.report.examples, project_examples: v.report.project_examples, held_out: v.report.held_out, cpu_ms: v.report.cpu_ms };
}

function settingName(record: ProjectRecord): string {
  const s = captureSettings(record.project).scorer;
  return typeof s === 'object' ? 'own' : (s ?? 'none');
}

export function registerScorerRoutes(plain: FastifyInstance, deps: ApiDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['projects'];
  async function projectOf(principal: Principal, id: string) {
    const record = isId(id) ? await deps.repos.projects.get(principal.account_id, id) : null;
    if (!record) throw new Problem('not_found', `no project ${id}`);
    if (!deps.scorer) throw new Problem('unavailable', 'this server runs without scorer learning');
    return { record, store: deps.scorer.store, learner: deps.scorer.learner };
  }

  app.get('/projects/:id/scorer', {
    schema: {
      operationId: 'getProjectScorer', tags, summary: 'Show the project\'s scorer and its retrained versions',
      description: 'The scorer setting, what learning keeps for retraining and every kept version with its held-out score (docs/project-file.md#scorer).',
      params: IdParams, response: { 200: { description: 'The scorer.', ...Scorer }, ...signedInErrors(404) },
    },
  }, async (req) => {
    const { record, store } = await projectOf(adminOf(req), req.params.id);
    const [documents, versions] = await Promise.all([store.documents(record.id), store.versions(record.id)]);
    const through = Math.max(0, ...versions.map((v) => v.through_seq));
    return {
      project_id: record.id, setting: settingName(record), in_use: versions.find((v) => v.current)?.version ?? null, shipped_version: builtinScorer().version,
      learned: { documents: documents.length, examples: documents.reduce((s, d) => s + d.examples.length, 0), pending: documents.filter((d) => d.seq > through).reduce((s, d) => s + d.examples.length, 0), retrain_every: deps.scorer?.learner.every ?? 0, limit: SCORER_LIMITS.documents },
      versions: versions.map(describe),
    };
  });

  app.post('/projects/:id/scorer/rollback', {
    schema: {
      operationId: 'rollbackProjectScorer', tags, summary: 'Go back to the previous scorer version',
      description: 'The version in use is marked rolled back; the previous promoted version (or, when there is none, the shipped weights) is used again. 409 `no_scorer_version` when the project uses no retrained version.',
      params: IdParams, response: { 200: { description: 'Rolled back.', ...Rollback }, ...signedInErrors(404, 409) },
    },
  }, async (req) => {
    const { record, store } = await projectOf(adminOf(req), req.params.id);
    const r = await store.rollback(record.id, deps.clock());
    if (!r) throw new Problem('no_scorer_version', 'the project uses no retrained scorer version: nothing to roll back');
    return { from: r.from.version, to: r.to?.version ?? null };
  });

  app.post('/projects/:id/scorer/retrain', {
    schema: {
      operationId: 'retrainProjectScorer', tags, summary: 'Retrain the project\'s scorer now',
      description: 'Starts a retrain from the shipped examples and the project\'s own in a worker thread and answers at once; `GET …/scorer` shows the new version when it is done. 422 `nothing_learned` when the project has learned nothing to retrain from.',
      params: IdParams, response: { 202: { description: 'Started.', ...Retrain }, ...signedInErrors(404, 422) },
    },
  }, async (req, reply) => {
    const { record, store, learner } = await projectOf(adminOf(req), req.params.id);
    const [documents, versions] = await Promise.all([store.documents(record.id), store.versions(record.id)]);
    if (documents.length === 0) throw new Problem('nothing_learned', 'the project has learned no document to retrain from (teach it samples or validations first)');
    const through = Math.max(0, ...versions.map((v) => v.through_seq));
    learner.retrain(record.account_id, record.id).catch((err: unknown) => req.log.warn({ err, project: record.id }, 'the scorer could not be retrained'));
    return reply.code(202).send({ pending: documents.filter((d) => d.seq > through).reduce((s, d) => s + d.examples.length, 0) });
  });
}
