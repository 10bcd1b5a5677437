/**
 * @module Portal login (docs/portal.md#security): email + password (scrypt, core/secrets.ts) opens
 * a session held in an HttpOnly, SameSite=Strict cookie; the session id is stored
 * only as its SHA-256. Every state-changing request made with the cookie must echo
 * the session's CSRF token in `X-CSRF-Token` (synchronizer token pattern, OWASP CSRF
 * cheat sheet); the login itself takes JSON only, which a cross-site form cannot
 * send. Failed logins are throttled per email-and-address (rate-limit.ts), the
 * address being the peer's unless it is a configured proxy (DOCKET_TRUST_PROXY).
 *
 * Emails are unique per account, so one email may name users of several accounts.
 * Login checks the password against each of them (at most MAX_CANDIDATES, oldest
 * first, all hashed in parallel so the answer's time barely depends on how many
 * there are) and opens the one account whose user it matches; if it matches in
 * several, the login must name the account (`account_id`), and the 409 lists
 * only those accounts — which the caller has just proved the password of.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem } from '../../core/errors.ts';
import { newSecret } from '../../core/ids.ts';
import { hashSecret, hashToken, verifySecret } from '../../core/secrets.ts';
import type { Principal } from '../../core/records.ts';
import type { Authenticator } from '../auth.ts';
import { principalOf } from '../auth.ts';
import type { PortalDeps } from './deps.ts';
import { createLoginThrottle } from './rate-limit.ts';
import { errors, PUBLIC, ref, signedInErrors } from '../schemas/common.ts';
import { LoginRequest, Session } from '../schemas/portal.ts';

export const SESSION_COOKIE = 'docket_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session a request was authenticated with, for the session routes. */
const sessionOf = new WeakMap<FastifyRequest, { idHash: string; csrf: string; expires_at: number }>();

export function readCookie(req: FastifyRequest, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAgeS: number): void {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Resolves the session cookie to a portal user; enforces CSRF on state-changing methods. */
export function sessionAuthenticator(deps: PortalDeps): Authenticator {
  return async (req) => {
    const id = readCookie(req, SESSION_COOKIE);
    if (!id) return null;
    const idHash = hashToken(id);
    const now = deps.api.clock();
    const session = await deps.sessions.find(idHash, now);
    if (!session) return null;
    const user = await deps.api.repos.accounts.getUser(session.account_id, session.user_id);
    if (!user || !user.active) return null;
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrf)) throw new Problem('csrf_failed', 'send the session\'s CSRF token in the X-CSRF-Token header');
    }
    // Sliding expiry, written at most once a minute so reads stay read-only.
    const ttl = deps.config.sessionTtlMs;
    let expires = session.expires_at;
    if (now + ttl - expires > 60_000) {
      expires = now + ttl;
      await deps.sessions.touch(idHash, expires);
    }
    sessionOf.set(req, { idHash, csrf: session.csrf, expires_at: expires });
    const principal: Principal = { account_id: user.account_id, kind: 'user', subject: user.id, role: user.role };
    return principal;
  };
}

/** Users of one email considered by a login; beyond this many accounts sharing an email, the oldest win. */
const MAX_CANDIDATES = 8;

/** The one active user of `email` whose password this is; 401 for none, 409 `choose_account` for several. */
async function matchingUser(deps: PortalDeps, email: string, password: string, accountId: string | undefined, decoy: string) {
  const found = await deps.api.repos.accounts.findUsersByEmail(email, MAX_CANDIDATES);
  const candidates = accountId === undefined ? found : found.filter((u) => u.account_id === accountId);
  const hashes = candidates.length > 0 ? candidates.map((u) => u.password_hash) : [decoy];
  const ok = await Promise.all(hashes.map((h) => verifySecret(password, h)));
  const matches = candidates.filter((u, i) => ok[i] && u.active);
  if (matches.length === 0) throw new Problem('unauthorized', 'the email or password is wrong, or the account is deactivated');
  if (matches.length > 1) {
    throw new Problem('choose_account', 'this email and password open several accounts: log in again with one of them as account_id', { accounts: matches.map((u) => ({ id: u.account_id, name: u.account_name })) });
  }
  return matches[0] as (typeof matches)[number];
}

export function registerSessionRoutes(plain: FastifyInstance, deps: PortalDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['portal'];
  const sessionAnswer = (description: string) => ({ 200: { description, ...ref(Session) } });
  const throttle = createLoginThrottle(deps.config.loginAttempts, deps.config.loginWindowMs);
  // Compared against when the email is unknown, so a miss costs the same scrypt time as a wrong password.
  const decoy = hashSecret(newSecret());

  app.post('/session', {
    schema: {
      operationId: 'logIn', tags, summary: 'Log in to the portal', ...PUBLIC,
      description: 'Checks the email and password and sets the session cookie (HttpOnly, SameSite=Strict). Failed logins are throttled per email and address (429 with Retry-After).',
      body: ref(LoginRequest),
      response: { ...sessionAnswer('Logged in; the cookie is set.'), ...errors(400, 401, 409, 415, 429) },
    },
  }, async (req, reply) => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new Problem('unsupported_media_type', 'log in with a JSON body');
    const { email: rawEmail, password, account_id: accountId } = req.body;
    const email = rawEmail.trim().toLowerCase();
    const now = deps.api.clock();
    // Reserved before the first await, so parallel tries count (rate-limit.ts).
    const attempt = throttle.begin(email, req.ip, now);
    if (attempt.wait > 0) {
      reply.header('retry-after', String(attempt.wait));
      throw new Problem('rate_limited', `too many failed logins from this address; try again in ${attempt.wait} s`);
    }
    let user;
    try {
      user = await matchingUser(deps, email, password, accountId, await decoy);
    } catch (err) {
      // A right password that opens several accounts is not a failed guess.
      attempt.finish(err instanceof Problem && err.code === 'choose_account', deps.api.clock());
      throw err;
    }
    attempt.finish(true, deps.api.clock());
    const id = newSecret();
    const csrf = newSecret();
    const expires = now + deps.config.sessionTtlMs;
    await deps.sessions.create({ id_hash: hashToken(id), user_id: user.id, account_id: user.account_id, csrf, expires_at: expires, now });
    setSessionCookie(req, reply, id, Math.floor(deps.config.sessionTtlMs / 1000));
    return { user: { id: user.id, email: user.email, role: user.role }, csrf, expires_at: new Date(expires).toISOString() };
  });

  app.get('/session', {
    schema: {
      operationId: 'getSession', tags, summary: 'The logged-in portal user and the session\'s CSRF token',
      description: 'Who the session cookie belongs to; an API token has no session (401).',
      response: { ...sessionAnswer('The session.'), ...signedInErrors() },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const session = sessionOf.get(req);
    const user = await deps.api.repos.accounts.getUser(principal.account_id, principal.subject);
    if (!session || !user) throw new Problem('unauthorized', 'no portal session (API tokens have no session)');
    return { user: { id: user.id, email: user.email, role: user.role }, csrf: session.csrf, expires_at: new Date(session.expires_at).toISOString() };
  });

  app.delete('/session', {
    schema: {
      operationId: 'logOut', tags, summary: 'Log out', description: 'Ends the session and clears the cookie.',
      response: { 204: Type.Null({ description: 'Logged out.' }), ...signedInErrors() },
    },
  }, async (req, reply) => {
    principalOf(req);
    const session = sessionOf.get(req);
    if (session) await deps.sessions.delete(session.idHash);
    setSessionCookie(req, reply, '', 0);
    return reply.code(204).send(null);
  });
}
