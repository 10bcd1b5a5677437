/**
 * @module Authentication. `POST /oauth/token` implements the OAuth 2.0 client
 * credentials grant (RFC 6749 §4.4) as Aluma does: credentials in a JSON or form body
 * (client_secret_post) or in HTTP Basic (client_secret_basic, §2.3.1, which servers
 * must support; the id and secret are form-encoded inside it), answers
 * `{access_token, token_type: "Bearer", expires_in}`, and reports errors in Aluma's
 * `{message, requestErrors}` shape. Tokens are opaque random strings, stored hashed
 * (SHA-256) with a 24 h expiry, and checked against revocation at every use
 * (store/accounts-repo.ts). Every other route but the public ones resolves the
 * bearer token (or a portal session, when the portal registers one) to a principal,
 * then checks the route's access rule (access.ts) before anything else runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { isRecord } from '../shared/records.ts';
import { newSecret } from '../core/ids.ts';
import { Problem } from '../core/errors.ts';
import { hashToken, verifySecret } from '../core/secrets.ts';
import type { Principal } from '../core/records.ts';
import type { ApiDeps } from './deps.ts';
import { authorize, PUBLIC_PREFIXES } from './access.ts';
import { ref } from './schemas/common.ts';
import { Token, TOKEN_BODY, TOKEN_ERRORS } from './schemas/service.ts';

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

  app.withTypeProvider<TypeBoxTypeProvider>().post('/oauth/token', {
    schema: {
      operationId: 'getToken', tags: ['auth'], summary: 'Get an access token (OAuth 2.0 client credentials)',
      description: 'The client credentials grant (RFC 6749 §4.4). Send the client id and secret in the body (JSON or form) or as HTTP Basic; not both. '
        + 'Errors are in Aluma\'s `{message, requestErrors}` shape.',
      security: [{}, { basic: [] }],
      body: TOKEN_BODY, 'x-body-optional': true,
      response: { 200: { description: 'The access token.', ...ref(Token) }, ...TOKEN_ERRORS },
    },
  }, async (req, reply) => {
    const body = isRecord(req.body) ? req.body : {};
    const errors: Record<string, string[]> = {};
    const grant = body.grant_type;
    if (grant !== undefined && grant !== 'client_credentials') errors.grant_type = ['only client_credentials is supported'];
    const basic = basicCredentials(req.headers.authorization);
    const inBody = body.client_id !== undefined || body.client_secret !== undefined;
    if (basic && inBody) errors.client_id = ['send the client credentials either in the Authorization header or in the body, not both (RFC 6749 §2.3.1)'];
    if (basic === false) errors.authorization = ['must be Basic base64(client_id:client_secret)'];
    const clientId = basic ? basic.id : body.client_id;
    const secret = basic ? basic.secret : body.client_secret;
    if (!basic && (typeof clientId !== 'string' || clientId === '')) errors.client_id = ['required'];
    if (!basic && (typeof secret !== 'string' || secret === '')) errors.client_secret = ['required'];
    if (Object.keys(errors).length > 0 || typeof clientId !== 'string' || typeof secret !== 'string') {
      return reply.code(400).send({ message: 'The request is invalid.', requestErrors: errors });
    }
    const client = await deps.repos.accounts.findClient(clientId);
    const ok = client !== null && (await verifySecret(secret, client.secret_hash));
    if (!client || !ok) {
      // RFC 6749 §5.2: a 401 names the scheme the client can authenticate with.
      return reply.code(401).header('www-authenticate', 'Basic realm="docket"').send({ message: 'The client credentials are invalid.', requestErrors: {} });
    }
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

/**
 * The client id and secret of an `Authorization: Basic` header: null when there is no
 * Basic header, false when it is malformed. Both parts are form-encoded before being
 * joined (RFC 6749 §2.3.1), so `+` is a space and `%3A` a colon.
 */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | null | false {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return /^Basic\b/i.test(header ?? '') ? false : null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return false;
  try {
    const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return false;
  }
}
