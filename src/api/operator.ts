/**
 * @module Routes for whoever runs the service rather than for an account: `GET
 * /metrics` is opened by `DOCKET_METRICS_TOKEN`, and `POST /operator/accounts`
 * (create a tenant with its first admin and API client) by `DOCKET_OPERATOR_TOKEN`.
 * Without its token a route answers 404, as if it did not exist: metrics show login
 * failure counts and memory, and account creation is nobody's business by default.
 * The tokens are compared as SHA-256 digests with `timingSafeEqual`, so the
 * comparison's time says nothing about the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem } from '../core/errors.ts';
import { checkTenant, createTenant } from '../core/tenants.ts';
import type { ApiDeps } from './deps.ts';
import { errors, ref } from './schemas/common.ts';
import { AccountCredentials, AccountRequest } from './schemas/service.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Throws 404 when no token is configured, 401 when the request's bearer is not it. */
function requireToken(req: FastifyRequest, token: string | undefined, what: string): void {
  if (token === undefined) throw new Problem('not_found', `no route ${req.method} ${req.url.split('?')[0]}`);
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m || !timingSafeEqual(digest(m[1] as string), digest(token))) throw new Problem('unauthorized', `${what} needs Authorization: Bearer <${what === 'metrics' ? 'DOCKET_METRICS_TOKEN' : 'DOCKET_OPERATOR_TOKEN'}>`);
}

/** An onRequest hook in front of the public /metrics route (api/health.ts). */
export function guardMetrics(app: FastifyInstance, token: string | undefined): void {
  app.addHook('onRequest', async (req) => {
    if ((req.url.split('?')[0] ?? '').replace(/\/+$/, '') === '/metrics') requireToken(req, token, 'metrics');
  });
}

export function registerOperatorRoutes(app: FastifyInstance, deps: ApiDeps, token: string | undefined): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/operator/accounts', {
    config: { public: true },
    // Before body parsing and validation, so a service without the token answers 404 to anything.
    onRequest: async (req) => requireToken(req, token, 'the operator API'),
    schema: {
      operationId: 'createAccount', tags: ['operator'], summary: 'Create an account with its first admin and API client',
      description: 'For whoever runs the service, with DOCKET_OPERATOR_TOKEN as the bearer token (404 while none is configured). The password and secret are in this answer only.',
      security: [{ operator: [] }],
      body: ref(AccountRequest),
      response: { 201: { description: 'The account and its credentials.', ...ref(AccountCredentials) }, ...errors(400, 401, 404) },
    },
  }, async (req, reply) => {
    const body = req.body;
    const input = { name: body.name ?? '', admin_email: body.admin_email ?? '', ...(body.admin_password !== undefined ? { admin_password: body.admin_password } : {}) };
    const problems = await checkTenant(deps.repos.accounts, input);
    if (problems.length > 0) throw new Problem('invalid_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
    const created = await createTenant(deps.repos.accounts, input, deps.clock());
    return reply.code(201).header('cache-control', 'no-store').send(created);
  });
}
