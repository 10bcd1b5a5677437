/**
 * @module Turns every error into RFC 7807 problem+json with a stable `type`
 * (`/problems/<code>`, registry in core/errors.ts), and serves a short page per code
 * at that address. Fastify's own errors (bad JSON, body too large, unsupported media
 * type) are mapped onto the same registry, so no client ever sees another shape. A
 * lost database connection is not a bug: it answers `database_unavailable` (503 with
 * `Retry-After`, RFC 9110 §10.2.3), not `internal`; nor is a blob store that keeps failing
 * (`blob_store_unavailable`, the same). Every 401 names its scheme in
 * `WWW-Authenticate` (RFC 9110 §11.6.1): `Bearer`, with `error="invalid_token"` when a
 * token was sent (RFC 6750 §3.1).
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PROBLEMS, Problem, problemType, type ProblemCode } from '../core/errors.ts';
import { diskFullProblem } from './disk-guard.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../core/ports/database-health.ts';
import { databaseProblem } from './database-outage.ts';
import { BlobStoreUnavailableError } from '../core/ports/blob-store.ts';

/** A blob store that failed after its own retries (seconds): S3 hiccups pass in a few seconds, outages do not. */
export const BLOB_RETRY_AFTER_SECONDS = 10;

export function sendProblem(reply: FastifyReply, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): FastifyReply {
  const { status, title } = PROBLEMS[code];
  if (code === 'database_unavailable') reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  if (status === 401) reply.header('www-authenticate', bearerChallenge(reply.request.headers.authorization));
  if (code === 'blob_store_unavailable') reply.header('retry-after', String(BLOB_RETRY_AFTER_SECONDS));
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: problemType(code), title, status, detail, ...extra });
}

/** The challenge of a 401: a token that was sent and refused is `invalid_token`; none sent gets the bare scheme (RFC 6750 §3.1). */
export function bearerChallenge(authorization: string | undefined): string {
  return /^Bearer\s+\S/i.test(authorization ?? '') ? 'Bearer realm="docket", error="invalid_token"' : 'Bearer realm="docket"';
}

/** A schema's refusal in words: where, what, and for an enum the values it takes (Ajv's own message omits them). */
function validationDetail(err: FastifyError): string {
  if (!err.validation?.length) return err.message;
  return err.validation.map((e) => {
    const allowed = e.keyword === 'enum' && Array.isArray(e.params.allowedValues) ? `: ${e.params.allowedValues.join(', ')}` : '';
    return `${err.validationContext ?? 'request'}${e.instancePath} ${e.message ?? 'is invalid'}${allowed}`;
  }).join('; ');
}

/** A schema's refusal of a token request as Aluma's `requestErrors`: field → what is wrong with it. */
function requestErrors(err: FastifyError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of err.validation ?? []) {
    const field = e.instancePath.split('/').filter(Boolean)[0] ?? 'body';
    const allowed = e.keyword === 'enum' && Array.isArray(e.params.allowedValues) ? `: ${e.params.allowedValues.join(', ')}` : '';
    (out[field] ??= []).push(`${e.message ?? 'is invalid'}${allowed}`);
  }
  return out;
}

function fromFastify(err: FastifyError): Problem | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem('invalid_json', err.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('payload_too_large', err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('unsupported_media_type', err.message);
    case 'FST_ERR_VALIDATION':
      return new Problem('invalid_request', validationDetail(err));
  }
  if (err instanceof SyntaxError) return new Problem('invalid_json', err.message);
  if (err.statusCode === 413) return new Problem('payload_too_large', err.message);
  if (err.statusCode === 400) return new Problem('invalid_request', err.message);
  return null;
}

function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}

export function registerProblems(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let problem = err instanceof Problem ? err : fromFastify(err);
    // Before the database's check, which would take the socket error on its cause chain (ECONNREFUSED) for its own.
    if (!problem && err instanceof BlobStoreUnavailableError) {
      req.log.warn({ err: { message: err.message } }, 'blob store unavailable');
      problem = new Problem('blob_store_unavailable', `${err.message}; nothing was kept, retry later`);
    }
    problem ??= diskFullProblem(err, reply);
    if (!problem && isDatabaseUnavailable(err)) {
      req.log.warn({ err: { code: err.code, message: err.message } }, 'database unavailable');
      problem = databaseProblem(err.code ? `${err.code}: ${err.message}` : err.message);
    }
    if (problem && req.url.startsWith('/oauth/token')) {
      // Aluma's token endpoint answers errors in its own shape.
      if (problem.code === 'database_unavailable') reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply.code(problem.status).send({ message: problem.detail, requestErrors: requestErrors(err) });
    }
    if (problem) return sendProblem(reply, problem.code, problem.detail, problem.extra);
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, 'internal', 'an internal error occurred; it has been logged');
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  app.withTypeProvider<TypeBoxTypeProvider>().get('/problems/:code', { schema: { hide: true, params: Type.Object({ code: Type.String() }) } }, async (req, reply) => {
    const code = req.params.code;
    if (!isProblemCode(code)) return sendProblem(reply, 'not_found', `no problem type ${code}`);
    const p = PROBLEMS[code];
    return reply.type('text/plain; charset=utf-8').send(`${code} (HTTP ${p.status}): ${p.title}.\nSee docs/errors.md.\n`);
  });
}
