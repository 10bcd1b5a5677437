/**
 * @module The authorization matrix's rows: for every route, how to call it as each
 * caller (tenant A's admin API client, admin user and validator; tenant B's admin
 * API client aimed at tenant A's resources; no credentials) and the status each
 * must get. A caller that may use a route acts on its own fresh fixture (a task it
 * holds, a user or client to change), so every cell is independent. Tenant B's
 * 2xx on routes without an id (lists, creations) are its own account's answers:
 * `authz-matrix.ts` checks that tenant A's data never appears in them.
 */
import type { ClientAction } from '../../src/core/task-states.ts';
import type { CallerName, World } from './authz-support.ts';

type Expect = Record<CallerName, number | readonly number[]>;

export interface Request {
  path: string;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
}

export interface Row {
  /** `METHOD /route/:param` exactly as Fastify registered it. */
  route: string;
  /** What differs between rows of one route. */
  variant?: string;
  expect: Expect;
  /** Registered only in some setups (GET /app: when web/dist is built). */
  optional?: boolean;
  /** The admin and validator cells log in afresh (the route ends the session it is called with). */
  ownSession?: boolean;
  request(w: World, caller: CallerName): Promise<Request>;
}

const all = (n: number | readonly number[]): Expect => ({ client: n, admin: n, validator: n, other: n, none: n });
/** The admin-only shape: both admins get `ok`, the validator 403, tenant B `other`, nobody 401. */
const adminOnly = (ok: number | readonly number[], other: number | readonly number[] = 404): Expect => ({ client: ok, admin: ok, validator: 403, other, none: 401 });
/** Open to every tenant-A caller, validators included. */
const everyone = (ok: number | readonly number[], other: number | readonly number[] = 404): Expect => ({ client: ok, admin: ok, validator: ok, other, none: 401 });

/** The lease owner for "held by the caller": tenant A's own actor, or A's client for B and nobody. */
function ownActor(w: World, caller: CallerName): string {
  return caller === 'admin' || caller === 'validator' || caller === 'client' ? w.actor[caller] : w.actor.client;
}

/** Someone of tenant A who is not the caller. */
function otherActor(w: World, caller: CallerName): string {
  return caller === 'validator' ? w.actor.admin : w.actor.validator;
}

function clientActionRows(route: string, verb: string, action: ClientAction, held: Expect, heldByOther: Expect, json?: unknown): Row[] {
  return [
    { route, variant: `${action}, held by the caller`, expect: held, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', action, ownActor(w, c))}/${verb}?action=${action}`, json }) },
    { route, variant: `${action}, held by someone else`, expect: heldByOther, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', action, otherActor(w, c))}/${verb}?action=${action}`, json }) },
  ];
}

const held = everyone(200);
const heldElsewhere = everyone(409);
const exportHeld = adminOnly(200);
const exportElsewhere: Expect = { client: 409, admin: 409, validator: 403, other: 404, none: 401 };
const results = { documents: [] };

export const ROWS: Row[] = [
  { route: 'POST /oauth/token', expect: all(200), request: async () => ({ path: '/oauth/token', json: { client_id: 'tenant-a-client', client_secret: 'tenant-a-secret-0123456789' } }) },
  { route: 'GET /openapi.json', expect: all(200), request: async () => ({ path: '/openapi.json' }) },
  { route: 'GET /problems/:code', expect: all(200), request: async () => ({ path: '/problems/forbidden' }) },
  { route: 'GET /health', expect: all(200), request: async () => ({ path: '/health' }) },
  // Operator routes answer 404 to everyone while their token is unset, as here (test/api/operator.test.ts sets them).
  { route: 'GET /metrics', expect: all(404), request: async () => ({ path: '/metrics' }) },
  { route: 'POST /operator/accounts', expect: all(404), request: async () => ({ path: '/operator/accounts', json: { name: 'Matrix', admin_email: 'matrix@example.com' } }) },
  { route: 'GET /docs', expect: all([200, 302]), request: async () => ({ path: '/docs' }) },
  { route: 'GET /docs/json', expect: all(200), request: async () => ({ path: '/docs/json' }) },
  { route: 'GET /docs/yaml', expect: all(200), request: async () => ({ path: '/docs/yaml' }) },
  { route: 'GET /docs/static/index.html', expect: all([200, 302]), request: async () => ({ path: '/docs/static/index.html' }) },
  { route: 'GET /docs/static/swagger-initializer.js', expect: all(200), request: async () => ({ path: '/docs/static/swagger-initializer.js' }) },
  { route: 'GET /docs/static/*', expect: all(200), request: async () => ({ path: '/docs/static/swagger-ui.css' }) },
  // The portal's files: 200 when web/dist is built, 503 `unavailable` (with how to build it) when not.
  { route: 'GET /app/*', expect: all([200, 404, 503]), request: async () => ({ path: '/app/index.html' }) },
  { route: 'GET /app', optional: true, expect: all(200), request: async () => ({ path: '/app' }) },
  { route: 'POST /session', variant: 'wrong password', expect: all(401), request: async () => ({ path: '/session', json: { email: 'nobody@a.test', password: 'not-the-password' } }) },

  { route: 'GET /session', expect: { client: 401, admin: 200, validator: 200, other: 401, none: 401 }, request: async () => ({ path: '/session' }) },
  // Logging out ends the caller's own session only; an API token has none, so its 204 changes nothing.
  { route: 'DELETE /session', ownSession: true, expect: { client: 204, admin: 204, validator: 204, other: 204, none: 401 }, request: async () => ({ path: '/session' }) },
  { route: 'GET /portal/queue', expect: everyone(200, 200), request: async () => ({ path: '/portal/queue' }) },

  { route: 'POST /tasks', expect: adminOnly(202), request: async (w) => ({ path: `/tasks?project_id=${w.projectA}`, raw: w.pdf, contentType: 'application/pdf' }) },
  { route: 'GET /tasks', expect: adminOnly(200, 200), request: async () => ({ path: '/tasks' }) },
  { route: 'GET /tasks/:id', expect: adminOnly(200), request: async (w) => ({ path: `/tasks/${await w.taskAt('queued')}` }) },
  { route: 'POST /tasks/:id/cancel', expect: adminOnly(200), request: async (w) => ({ path: `/tasks/${await w.taskAt('queued')}/cancel` }) },

  { route: 'POST /tasks/:id/start_client_action', variant: 'validation', expect: everyone(200), request: async (w) => ({ path: `/tasks/${await w.taskAt('pending:start_client_action', 'validation')}/start_client_action?action=validation` }) },
  { route: 'POST /tasks/:id/start_client_action', variant: 'export', expect: adminOnly(200), request: async (w) => ({ path: `/tasks/${await w.taskAt('pending:start_client_action', 'export')}/start_client_action?action=export` }) },
  ...clientActionRows('POST /tasks/:id/complete_client_action', 'complete_client_action', 'validation', held, heldElsewhere, results),
  ...clientActionRows('POST /tasks/:id/complete_client_action', 'complete_client_action', 'export', exportHeld, exportElsewhere),
  ...clientActionRows('POST /tasks/:id/cancel_client_action', 'cancel_client_action', 'validation', held, heldElsewhere),
  ...clientActionRows('POST /tasks/:id/cancel_client_action', 'cancel_client_action', 'export', exportHeld, exportElsewhere),
  // Failing a task is an admin's call: a validator gives a task back (cancel), it does not fail it.
  ...clientActionRows('POST /tasks/:id/fail_client_action', 'fail_client_action', 'validation', adminOnly(200), { ...exportElsewhere }),
  ...clientActionRows('POST /tasks/:id/fail_client_action', 'fail_client_action', 'export', exportHeld, exportElsewhere),
  ...clientActionRows('POST /tasks/:id/extend_client_action', 'extend_client_action', 'validation', held, heldElsewhere),
  ...clientActionRows('POST /tasks/:id/extend_client_action', 'extend_client_action', 'export', exportHeld, exportElsewhere),
  { route: 'GET /tasks/:id/files/:fileId', variant: 'validation page image, held by the caller', expect: held, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', ownActor(w, c))}/files/page-0` }) },
  { route: 'GET /tasks/:id/files/:fileId', variant: 'validation page image, held by someone else', expect: { client: 200, admin: 200, validator: 409, other: 404, none: 401 }, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', otherActor(w, c))}/files/page-0` }) },
  { route: 'GET /tasks/:id/files/:fileId', variant: 'export file, held by the caller', expect: exportHeld, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'export', ownActor(w, c))}/files/page-0` }) },
  // No worker ran, so the task has no stored pages: 404 "no page" is the allowed callers' answer.
  { route: 'GET /tasks/:id/pages/:n/words', variant: 'held by the caller', expect: everyone(404), request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', ownActor(w, c))}/pages/0/words` }) },
  { route: 'GET /tasks/:id/pages/:n/words', variant: 'held by someone else', expect: { client: 409, admin: 409, validator: 409, other: 404, none: 401 }, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', otherActor(w, c))}/pages/0/words` }) },
  { route: 'POST /tasks/:id/validation/preview', variant: 'held by the caller', expect: held, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', ownActor(w, c))}/validation/preview`, json: results }) },
  { route: 'POST /tasks/:id/validation/preview', variant: 'held by someone else', expect: heldElsewhere, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', otherActor(w, c))}/validation/preview`, json: results }) },
  ...(['postpone', 'give_back'] as const).flatMap((verb): Row[] => [
    { route: `POST /tasks/:id/validation/${verb}`, variant: 'held by the caller', expect: held, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', ownActor(w, c))}/validation/${verb}` }) },
    { route: `POST /tasks/:id/validation/${verb}`, variant: 'held by someone else', expect: heldElsewhere, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', otherActor(w, c))}/validation/${verb}` }) },
  ]),
  // The project's default reasons: 'Unreadable' is one, and rejecting fails the task.
  { route: 'POST /tasks/:id/validation/reject', variant: 'held by the caller', expect: held, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', ownActor(w, c))}/validation/reject`, json: { reason: 'Unreadable' } }) },
  { route: 'POST /tasks/:id/validation/reject', variant: 'held by someone else', expect: heldElsewhere, request: async (w, c) => ({ path: `/tasks/${await w.taskAt('pending:complete_client_action', 'validation', otherActor(w, c))}/validation/reject`, json: { reason: 'Unreadable' } }) },
  // Nobody validated these tasks: nobody may reopen them (tenant B does not see them).
  { route: 'POST /tasks/:id/validation/reopen', variant: 'not submitted by the caller', expect: { ...heldElsewhere }, request: async (w) => ({ path: `/tasks/${await w.taskAt('pending:start_client_action', 'export')}/validation/reopen` }) },

  { route: 'POST /projects', expect: adminOnly(201, 201), request: async () => ({ path: '/projects', json: { name: 'Matrix', validation: { mode: 'never' } } }) },
  { route: 'GET /projects', expect: adminOnly(200, 200), request: async () => ({ path: '/projects' }) },
  { route: 'GET /projects/:id', expect: adminOnly(200), request: async (w) => ({ path: `/projects/${w.projectA}` }) },
  { route: 'PUT /projects/:id', expect: adminOnly(200), request: async (w) => ({ path: `/projects/${await newProject(w)}`, json: { name: 'Matrix v2', validation: { mode: 'never' } } }) },
  { route: 'DELETE /projects/:id', expect: adminOnly(204), request: async (w) => ({ path: `/projects/${await newProject(w)}` }) },
  // The sample names a type the project lacks: the callers allowed get 422 before anything is read.
  { route: 'POST /projects/:id/samples', expect: adminOnly(422), request: async (w) => ({ path: `/projects/${w.projectA}/samples`, ...(await sampleBody()) }) },
  { route: 'GET /projects/:id/memory', expect: adminOnly(200), request: async (w) => ({ path: `/projects/${w.projectA}/memory` }) },
  { route: 'DELETE /projects/:id/memory', expect: adminOnly(204), request: async (w) => ({ path: `/projects/${await newProject(w)}/memory` }) },
  { route: 'GET /projects/:id/scorer', expect: adminOnly(200), request: async (w) => ({ path: `/projects/${w.projectA}/scorer` }) },
  // A new project has no retrained version and has learned nothing: the callers allowed get 409 and 422.
  { route: 'POST /projects/:id/scorer/rollback', expect: adminOnly(409), request: async (w) => ({ path: `/projects/${await newProject(w)}/scorer/rollback` }) },
  { route: 'POST /projects/:id/scorer/retrain', expect: adminOnly(422), request: async (w) => ({ path: `/projects/${await newProject(w)}/scorer/retrain` }) },

  { route: 'GET /admin/users', expect: adminOnly(200, 200), request: async () => ({ path: '/admin/users' }) },
  { route: 'POST /admin/users', variant: 'a new email', expect: adminOnly(201, 201), request: async (_w, c) => ({ path: '/admin/users', json: { email: `new-${c}-${Math.random().toString(36).slice(2)}@a.test`, password: 'long-enough-password' } }) },
  // The validator's email exists in tenant A: A's admins get 409; tenant B creates its own user of that email (nothing revealed).
  { route: 'POST /admin/users', variant: "an email of tenant A's", expect: { client: 409, admin: 409, validator: 403, other: 201, none: 401 }, request: async (w) => ({ path: '/admin/users', json: { email: w.validatorEmail.toUpperCase(), password: 'long-enough-password' } }) },
  { route: 'PATCH /admin/users/:id', expect: adminOnly(200), request: async (w) => ({ path: `/admin/users/${(await w.newUser('user')).id}`, json: { active: false } }) },
  { route: 'GET /admin/clients', expect: adminOnly(200, 200), request: async () => ({ path: '/admin/clients' }) },
  { route: 'POST /admin/clients', expect: adminOnly(201, 201), request: async () => ({ path: '/admin/clients', json: { name: 'matrix' } }) },
  { route: 'DELETE /admin/clients/:id', expect: adminOnly(204), request: async (w) => ({ path: `/admin/clients/${(await w.newClient(w.accountA)).clientId}` }) },
  { route: 'GET /admin/tasks/:id', expect: adminOnly(200), request: async (w) => ({ path: `/admin/tasks/${await w.taskAt('queued')}` }) },
  // No worker ran, so the task has no pages yet: 404 is the admins' answer.
  { route: 'GET /admin/tasks/:id/pages/:n', expect: adminOnly(404), request: async (w) => ({ path: `/admin/tasks/${await w.taskAt('queued')}/pages/0` }) },
  // A has the demo project (200, not created again); B installs its own on first call (201), then 200.
  { route: 'POST /admin/demo', expect: adminOnly(200, [200, 201]), request: async () => ({ path: '/admin/demo' }) },
  { route: 'GET /admin/stats', expect: adminOnly(200, 200), request: async () => ({ path: '/admin/stats' }) },
];

/** A multipart sample body, as a client's FormData encodes it. */
async function sampleBody(): Promise<{ raw: Buffer; contentType: string }> {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('%PDF-1.4\n')]), 'sample.pdf');
  form.set('fields', JSON.stringify({ total: '1.00' }));
  form.set('type', 'NoSuchType');
  const req = new Request('http://matrix.invalid/', { method: 'POST', body: form });
  return { raw: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type') ?? '' };
}

async function newProject(w: World): Promise<string> {
  const res = await w.call(w.creds.client, 'POST', '/projects', { json: { name: `Matrix ${Math.random()}`, validation: { mode: 'never' } } });
  if (res.status !== 201) throw new Error(`project: ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}
