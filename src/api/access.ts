/**
 * @module Who may call what: the one table of every route's access rule, applied
 * to every request by the authentication hook (auth.ts) and kept in step with
 * `docs/authorization.md` by a test. A route registered without a rule stops the
 * app from building (the `onRoute` hook below throws), so a new route cannot ship
 * open by accident. Rules name caller kinds, not accounts: tenancy is enforced
 * below, by every repository call taking the caller's account (another account's
 * id answers 404 like an unknown one).
 *
 * Callers: `client` (an API client: admin role), `admin` (a portal session of an
 * admin user), `validator` (a portal session of a user-role user, or a token of
 * one). The task-level half of the `validation` rule (what a validator may do to
 * one task, and who holds a client action) is in holders.ts.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { Problem } from '../core/errors.ts';
import type { Principal } from '../core/records.ts';
import { isRecord } from '../shared/records.ts';

/**
 * - `public`: no credentials (the token endpoint, login, health, docs, the portal's files).
 * - `signed_in`: any caller.
 * - `admin`: API clients and admin users.
 * - `validation`: API clients and admin users; validators only for the `validation`
 *   client action (`?action=validation`, or a task they hold for validation).
 * - `operator`: no account's credentials count; the route checks the operator's own
 *   bearer token (DOCKET_METRICS_TOKEN, DOCKET_OPERATOR_TOKEN, operator.ts) and answers
 *   404 while none is configured.
 */
export type Access = 'public' | 'signed_in' | 'admin' | 'validation' | 'operator';

export type Caller = 'client' | 'admin' | 'validator';

export const ACCESS: Readonly<Record<string, Access>> = {
  'POST /oauth/token': 'public',
  'GET /openapi.json': 'public',
  'GET /problems/:code': 'public',
  'GET /health': 'public',
  'GET /metrics': 'operator',
  'POST /operator/accounts': 'operator',
  'POST /session': 'public',
  'GET /session': 'signed_in',
  'DELETE /session': 'signed_in',
  'GET /portal/queue': 'signed_in',
  'POST /tasks': 'admin',
  'GET /tasks': 'admin',
  'GET /tasks/:id': 'admin',
  'POST /tasks/:id/cancel': 'admin',
  'POST /tasks/:id/start_client_action': 'validation',
  'POST /tasks/:id/complete_client_action': 'validation',
  'POST /tasks/:id/cancel_client_action': 'validation',
  'POST /tasks/:id/fail_client_action': 'admin',
  'POST /tasks/:id/extend_client_action': 'validation',
  'GET /tasks/:id/files/:fileId': 'validation',
  'GET /tasks/:id/pages/:n/words': 'validation',
  'POST /tasks/:id/validation/preview': 'validation',
  'POST /tasks/:id/validation/reject': 'validation',
  'POST /tasks/:id/validation/postpone': 'validation',
  'POST /tasks/:id/validation/give_back': 'validation',
  'POST /tasks/:id/validation/reopen': 'validation',
  'POST /projects': 'admin',
  'GET /projects': 'admin',
  'GET /projects/:id': 'admin',
  'PUT /projects/:id': 'admin',
  'DELETE /projects/:id': 'admin',
  'POST /projects/:id/samples': 'admin',
  'GET /projects/:id/memory': 'admin',
  'DELETE /projects/:id/memory': 'admin',
  'GET /projects/:id/scorer': 'admin',
  'POST /projects/:id/scorer/rollback': 'admin',
  'POST /projects/:id/scorer/retrain': 'admin',
  'GET /admin/users': 'admin',
  'POST /admin/users': 'admin',
  'PATCH /admin/users/:id': 'admin',
  'GET /admin/clients': 'admin',
  'POST /admin/clients': 'admin',
  'DELETE /admin/clients/:id': 'admin',
  'GET /admin/tasks/:id': 'admin',
  'GET /admin/tasks/:id/pages/:n': 'admin',
  'POST /admin/demo': 'admin',
  'GET /admin/stats': 'admin',
};

/** Static files under these prefixes (the API browser, the built portal) are public whatever their route. */
export const PUBLIC_PREFIXES = ['/docs', '/app'] as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set from ACCESS when the route is registered. */
    access?: Access;
    /** A route's own claim to be public; it must agree with ACCESS (checked when registered). */
    public?: boolean;
  }
}

export interface RouteRule {
  method: string;
  url: string;
  access: Access;
}

function isPublicStatic(url: string): boolean {
  return PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));
}

/** The rule of a route, or null when it has none (which the app refuses to register). */
export function ruleFor(method: string, url: string): Access | null {
  if (isPublicStatic(url)) return 'public';
  const m = method === 'HEAD' ? 'GET' : method;
  return ACCESS[`${m} ${url}`] ?? null;
}

export function callerOf(p: Principal): Caller {
  if (p.role !== 'admin') return 'validator';
  return p.kind === 'client' ? 'client' : 'admin';
}

const registered = new WeakMap<FastifyInstance, RouteRule[]>();

/** Every route registered on `app` with its rule, in registration order (for the authorization matrix test). */
export function registeredRoutes(app: FastifyInstance): readonly RouteRule[] {
  return registered.get(app) ?? [];
}

/** Must run on the root instance before any route is registered (`buildApp` does it first). */
export function installAccessRules(app: FastifyInstance): void {
  const list: RouteRule[] = [];
  registered.set(app, list);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let access: Access | null = null;
    for (const method of methods) {
      const rule = ruleFor(method, route.url);
      if (rule === null) throw new Error(`no access rule for ${method} ${route.url}: add it to ACCESS in src/api/access.ts and to docs/authorization.md`);
      if (access !== null && access !== rule) throw new Error(`${route.url}: one route with two access rules`);
      if (route.config?.public === true && rule !== 'public' && rule !== 'operator') throw new Error(`${method} ${route.url} says it is public but ACCESS says ${rule}`);
      access = rule;
      list.push({ method, url: route.url, access: rule });
    }
    route.config = { ...(route.config ?? {}), access: access ?? 'signed_in' };
  });
}

/** Throws 403 unless the authenticated caller may use the request's route (its task-level check is in holders.ts). */
export function authorize(req: FastifyRequest, principal: Principal): void {
  const access = req.routeOptions.config?.access ?? 'signed_in';
  if (access === 'public' || access === 'operator' || access === 'signed_in') return;
  const caller = callerOf(principal);
  if (caller !== 'validator') return;
  if (access === 'validation') {
    const query: unknown = req.query;
    const action = isRecord(query) ? query.action : undefined;
    // Routes without an action query (files, words, preview) check the task itself (holders.ts).
    if (action === undefined || action === 'validation') return;
    throw new Problem('forbidden', 'a user-role login can work on validation only');
  }
  throw new Problem('forbidden', 'this needs the admin role (a user-role login can use the validation portal only)');
}
