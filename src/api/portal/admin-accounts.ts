/**
 * @module Admin routes for the people and programs of an account (docs/portal.md#admin-admin-role):
 * portal users (create, set role, deactivate) and API clients (create, with the
 * secret shown once; revoke). Every route needs the admin role. Changing a user's
 * role or deactivating them ends their sessions and tokens at once (accounts-repo).
 *
 * Only this account's: the account is in the same statement as the change, so
 * another account's id is a 404 with no side effect; and emails are unique per
 * account, so creating a user never reveals that another account has that email.
 */
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../core/errors.ts';
import { newId, newSecret } from '../../core/ids.ts';
import { hashSecret } from '../../core/secrets.ts';
import type { UserRecord } from '../../core/ports/account-repository.ts';
import { adminOf } from '../auth.ts';
import { iso } from '../task-json.ts';
import type { PortalDeps } from './deps.ts';

const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** Generated passwords: 20 base64url characters ≈ 120 bits. */
const GENERATED_PASSWORD_LENGTH = 20;

function userJson(u: UserRecord) {
  return { id: u.id, email: u.email, role: u.role, active: u.active, created_at: iso(u.created_at) };
}

const userSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, email: { type: 'string' }, role: { type: 'string', enum: ['admin', 'user'] }, active: { type: 'boolean' }, created_at: { type: 'string' } },
  required: ['id', 'email', 'role', 'active', 'created_at'],
} as const;

const clientSchema = {
  type: 'object',
  properties: { client_id: { type: 'string' }, name: { type: 'string' }, created_at: { type: 'string' }, revoked_at: { type: ['string', 'null'] }, last_used_at: { type: ['string', 'null'], description: 'When the client last got a token' } },
  required: ['client_id', 'name', 'created_at', 'revoked_at', 'last_used_at'],
} as const;

export function registerAccountRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const accounts = deps.api.repos.accounts;
  const tags = ['admin'];

  app.get('/admin/users', { schema: { tags, summary: 'List portal users', response: { 200: { type: 'object', properties: { users: { type: 'array', items: userSchema } }, required: ['users'] } } } }, async (req) => {
    return { users: (await accounts.listUsers(adminOf(req).account_id)).map(userJson) };
  });

  app.post('/admin/users', {
    schema: {
      tags, summary: 'Create a portal user (a password is generated when none is given, and shown once)',
      body: { type: 'object', required: ['email'], properties: { email: { type: 'string', maxLength: 320 }, role: { type: 'string', enum: ['admin', 'user'] }, password: { type: 'string', maxLength: 1024 } } },
      response: { 201: { type: 'object', properties: { user: userSchema, password: { type: 'string' } }, required: ['user'] } },
    },
  }, async (req, reply) => {
    const admin = adminOf(req);
    const body = req.body as { email: string; role?: 'admin' | 'user'; password?: string };
    const email = body.email.trim().toLowerCase();
    if (!EMAIL.test(email)) throw new Problem('invalid_request', 'email must look like name@host');
    if (body.password !== undefined && body.password.length < 10) throw new Problem('invalid_request', 'a password must be at least 10 characters');
    // Emails are unique per account: a user of that email in another account is none of this one's business, and is not revealed.
    const exists = () => accounts.findUserByEmail(admin.account_id, email);
    if (await exists()) throw new Problem('conflict', `a user ${email} exists already in this account`);
    const password = body.password ?? newSecret().slice(0, GENERATED_PASSWORD_LENGTH);
    const id = newId();
    try {
      await accounts.createUser({ id, account_id: admin.account_id, email, role: body.role ?? 'user', password_hash: await hashSecret(password), now: deps.api.clock() });
    } catch (err) {
      // Two creations of one email raced; the unique (account, email) index let one through.
      if (await exists()) throw new Problem('conflict', `a user ${email} exists already in this account`);
      throw err;
    }
    const user = (await accounts.getUser(admin.account_id, id)) as UserRecord;
    return reply.code(201).send({ user: userJson(user), ...(body.password === undefined ? { password } : {}) });
  });

  app.patch('/admin/users/:id', {
    schema: {
      tags, summary: 'Change a user\'s role or deactivate / reactivate them',
      body: { type: 'object', properties: { role: { type: 'string', enum: ['admin', 'user'] }, active: { type: 'boolean' } } },
      response: { 200: userSchema },
    },
  }, async (req) => {
    const admin = adminOf(req);
    const { id } = req.params as { id: string };
    const patch = req.body as { role?: 'admin' | 'user'; active?: boolean };
    // An admin locking themself out would leave an account nobody can administer from the portal.
    if (admin.kind === 'user' && admin.subject === id && (patch.active === false || patch.role === 'user')) {
      throw new Problem('invalid_request', 'you cannot deactivate yourself or remove your own admin role');
    }
    if (!(await accounts.updateUser(admin.account_id, id, patch))) throw new Problem('not_found', `no user ${id}`);
    return userJson((await accounts.getUser(admin.account_id, id)) as UserRecord);
  });

  app.get('/admin/clients', { schema: { tags, summary: 'List API clients (revoked ones too)', response: { 200: { type: 'object', properties: { clients: { type: 'array', items: clientSchema } }, required: ['clients'] } } } }, async (req) => {
    const clients = await accounts.listClients(adminOf(req).account_id);
    return { clients: clients.map((c) => ({ client_id: c.client_id, name: c.name, created_at: iso(c.created_at), revoked_at: iso(c.revoked_at), last_used_at: iso(c.last_used_at) })) };
  });

  app.post('/admin/clients', {
    schema: {
      tags, summary: 'Create an API client; the secret is in this answer only',
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } },
      response: { 201: { type: 'object', properties: { client_id: { type: 'string' }, client_secret: { type: 'string' }, name: { type: 'string' } }, required: ['client_id', 'client_secret', 'name'] } },
    },
  }, async (req, reply) => {
    const admin = adminOf(req);
    const name = (req.body as { name: string }).name.trim() || 'client';
    const clientId = `docket-${newSecret().slice(0, 12)}`;
    const secret = newSecret();
    await accounts.createClient({ client_id: clientId, account_id: admin.account_id, name, secret_hash: await hashSecret(secret), now: deps.api.clock() });
    return reply.code(201).send({ client_id: clientId, client_secret: secret, name });
  });

  app.delete('/admin/clients/:id', { schema: { tags, summary: 'Revoke an API client (its tokens stop working at once)' } }, async (req, reply) => {
    const admin = adminOf(req);
    const { id } = req.params as { id: string };
    if (admin.kind === 'client' && admin.subject === id) throw new Problem('invalid_request', 'a client cannot revoke itself');
    if (!(await accounts.revokeClient(admin.account_id, id, deps.api.clock()))) throw new Problem('not_found', `no active client ${id}`);
    return reply.code(204).send();
  });
}
