/**
 * @module Who holds a task: a lease owner is stored as `user:<id>` or
 * `client:<client_id>` (api/transitions.ts `actorOf`); the portal shows people by
 * their email and programs by their client id, so a validator sees whom to ask.
 */
import type { Repositories } from '../../core/ports/repositories.ts';

export async function holderName(repos: Repositories, accountId: string, owner: string | null, cache = new Map<string, string>()): Promise<string | null> {
  if (!owner) return null;
  const known = cache.get(owner);
  if (known !== undefined) return known;
  let name = owner;
  if (owner.startsWith('user:')) {
    const user = await repos.accounts.getUser(accountId, owner.slice(5));
    if (user) name = user.email;
  } else if (owner.startsWith('client:')) name = `API client ${owner.slice(7)}`;
  cache.set(owner, name);
  return name;
}
