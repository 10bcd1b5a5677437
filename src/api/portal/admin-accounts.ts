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
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem } from '../../core/errors.ts';
import { newId, newSecret } from '../../core/ids.ts';
import { hashSecret } from '../../core/secrets.ts';
import type { UserRecord } from '../../core/ports/account-repository.ts';
import { adminOf } from '../auth.ts';
import { iso } from '../task-json.ts';
import type { PortalDeps } from './deps.ts';
import { IdParams, ref, signedInErrors } from '../schemas/common.ts';
import { ApiClientCreate, ApiClientCreated, ApiClientList, User, UserCreate, UserCreated, UserList, UserPatch } from '../schemas/portal.ts';

const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** Generated passwords: 20 base64url characters ≈ 120 bits. */
const GENERATED_PASSWORD_LENGTH = 20;

function userJson(u: UserRecord) {
  return { id: u.id, email: u.email, role: u.role, active: u.active, created_at: iso(u.created_at) };
}

export function registerAccountRoutes(plain: FastifyInstance, deps: PortalDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const accounts = deps.api.repos.accounts;
  const tags = ['admin'];
  const params = IdParams;

  app.get('/admin/users', {
    schema: {
      operationId: 'listUsers', tags, summary: 'List portal users', description: 'The account\'s portal users, active or not.',
      response: { 200: { description: 'The users.', ...ref(UserList) }, ...signedInErrors() },
    },
  }, async (req) => {
    return { users: (await accounts.listUsers(adminOf(req).account_id)).map(userJson) };
  });

  app.post('/admin/users', {
    schema: {
      operationId: 'createUser', tags, summary: 'Create a portal user',
      description: 'A password is generated when none is given, and shown in this answer only. Emails are unique per account (409).',
      body: ref(UserCreate),
      response: { 201: { description: 'The user, created.', ...ref(UserCreated) }, ...signedInErrors(400, 409) },
    },
  }, async (req, reply) => {
    const admin = adminOf(req);
    const body = req.body;
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
      operationId: 'updateUser', tags, summary: 'Change a user\'s role or deactivate / reactivate them',
      description: 'Changing the role or deactivating ends the user\'s sessions and tokens at once.',
      params, body: ref(UserPatch),
      response: { 200: { description: 'The user, changed.', ...ref(User) }, ...signedInErrors(400, 404) },
    },
  }, async (req) => {
    const admin = adminOf(req);
    const { id } = req.params;
    const patch = req.body;
    // An admin locking themself out would leave an account nobody can administer from the portal.
    if (admin.kind === 'user' && admin.subject === id && (patch.active === false || patch.role === 'user')) {
      throw new Problem('invalid_request', 'you cannot deactivate yourself or remove your own admin role');
    }
    if (!(await accounts.updateUser(admin.account_id, id, patch))) throw new Problem('not_found', `no user ${id}`);
    return userJson((await accounts.getUser(admin.account_id, id)) as UserRecord);
  });

  app.get('/admin/clients', {
    schema: {
      operationId: 'listClients', tags, summary: 'List API clients', description: 'The account\'s API clients, revoked ones too (with `revoked_at`).',
      response: { 200: { description: 'The clients.', ...ref(ApiClientList) }, ...signedInErrors() },
    },
  }, async (req) => {
    const clients = await accounts.listClients(adminOf(req).account_id);
    return { clients: clients.map((c) => ({ client_id: c.client_id, name: c.name, created_at: iso(c.created_at), revoked_at: iso(c.revoked_at), last_used_at: iso(c.last_used_at) })) };
  });

  app.post('/admin/clients', {
    schema: {
      operationId: 'createClient', tags, summary: 'Create an API client', description: 'The secret is in this answer only; it is stored hashed.',
      body: ref(ApiClientCreate),
      response: { 201: { description: 'The client and its secret.', ...ref(ApiClientCreated) }, ...signedInErrors(400) },
    },
  }, async (req, reply) => {
    const admin = adminOf(req);
    const name = req.body.name.trim() || 'client';
    const clientId = `docket-${newSecret().slice(0, 12)}`;
    const secret = newSecret();
    await accounts.createClient({ client_id: clientId, account_id: admin.account_id, name, secret_hash: await hashSecret(secret), now: deps.api.clock() });
    return reply.code(201).send({ client_id: clientId, client_secret: secret, name });
  });

  app.delete('/admin/clients/:id', {
    schema: {
      operationId: 'revokeClient', tags, summary: 'Revoke an API client', description: 'Its tokens stop working at once; a client cannot revoke itself.',
      params: Type.Object({ id: Type.String({ description: 'The client id.' }) }),
      response: { 204: Type.Null({ description: 'Revoked.' }), ...signedInErrors(400, 404) },
    },
  }, async (req, reply) => {
    const admin = adminOf(req);
    const { id } = req.params;
    if (admin.kind === 'client' && admin.subject === id) throw new Problem('invalid_request', 'a client cannot revoke itself');
    if (!(await accounts.revokeClient(admin.account_id, id, deps.api.clock()))) throw new Problem('not_found', `no active client ${id}`);
    return reply.code(204).send(null);
  });
}
