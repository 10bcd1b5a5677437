/**
 * @module Authentication. `POST /oauth/token` implements the OAuth 2.0 client
 * credentials grant (RFC 6749 §4.4) as Aluma does: JSON or form body, answers
 * `{access_token, token_type: "Bearer", expires_in}`, and reports errors in Aluma's
 * `{message, requestErrors}` shape. Tokens are opaque random strings, stored hashed
 * (SHA-256) with a 24 h expiry, and checked against revocation at every use
 * (store/accounts-repo.ts). Every other route but the public ones resolves the
 * bearer token (or a portal session, when the portal registers one) to a principal,
 * then checks the route's access rule (access.ts) before anything else runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newSecret } from '../core/ids.ts';
import { Problem } from '../core/errors.ts';
import { hashToken, verifySecret } from '../core/secrets.ts';
import type { Principal } from '../core/records.ts';
import type { ApiDeps } from './deps.ts';
import { authorize, PUBLIC_PREFIXES } from './access.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Extra ways to authenticate (the portal's session cookie), tried after the bearer token. */
export type Authenticator = (req: FastifyRequest) => Promise<Principal | null>;

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Problem('unauthorized', 'missing or invalid bearer token');
  return req.principal;
}

/** The caller, who must be an admin (API clients are; portal users with the user role are not). */
export function adminOf(req: FastifyRequest): Principal {
  const principal = principalOf(req);
  if (principal.role !== 'admin') throw new Problem('forbidden', 'this needs the admin role');
  return principal;
}

export function registerAuth(app: FastifyInstance, deps: ApiDeps, extra: Authenticator[] = []): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    // Operator routes check the operator's own token (operator.ts), never an account's.
    if (access === 'public' || access === 'operator') return;
    const path = req.url.split('?')[0] ?? '';
    // An unmatched path under a public prefix (a missing portal asset) is a plain 404.
    if (access === undefined && PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return;
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (m) req.principal = await deps.repos.accounts.findToken(hashToken(m[1] as string), deps.clock());
    }
    for (const auth of extra) {
      if (req.principal) break;
      req.principal = await auth(req);
    }
    if (!req.principal) throw new Problem('unauthorized', header ? 'the bearer token is invalid or expired' : 'an Authorization: Bearer token is required');
    authorize(req, req.principal);
  });

  app.post('/oauth/token', {
    schema: {
      tags: ['auth'],
      summary: 'Get an access token (OAuth 2.0 client credentials)',
      response: {
        200: { type: 'object', properties: { access_token: { type: 'string' }, token_type: { type: 'string' }, expires_in: { type: 'integer' } } },
        '4xx': { type: 'object', properties: { message: { type: 'string' }, requestErrors: { type: 'object', additionalProperties: true } } },
      },
    },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    const grant = body.grant_type;
    if (grant !== undefined && grant !== 'client_credentials') errors.grant_type = ['only client_credentials is supported'];
    if (typeof body.client_id !== 'string' || body.client_id === '') errors.client_id = ['required'];
    if (typeof body.client_secret !== 'string' || body.client_secret === '') errors.client_secret = ['required'];
    if (Object.keys(errors).length > 0) return reply.code(400).send({ message: 'The request is invalid.', requestErrors: errors });
    const client = await deps.repos.accounts.findClient(body.client_id as string);
    const ok = client !== null && (await verifySecret(body.client_secret as string, client.secret_hash));
    if (!client || !ok) return reply.code(401).send({ message: 'The client credentials are invalid.', requestErrors: {} });
    const token = newSecret();
    const now = deps.clock();
    await deps.repos.accounts.saveToken({
      token_hash: hashToken(token),
      principal: { account_id: client.account_id, kind: 'client', subject: client.client_id, role: 'admin' },
      expires_at: now + deps.config.tokenTtlMs,
      now,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: Math.floor(deps.config.tokenTtlMs / 1000) };
  });
}
