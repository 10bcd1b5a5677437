/**
 * @module Admin: portal users — create (a password is generated and shown once when
 * none is typed), change role, deactivate or reactivate. Role changes and
 * deactivation end the user's sessions at once.
 */
import { useState, type FormEvent } from 'react';
import { call } from '../api/client.ts';
import { dateTime } from '../app/format.ts';
import { useSession } from '../app/session.ts';
import { errorText, useApi } from '../app/useApi.ts';

interface UserJson {
  id: string;
  email: string;
  role: 'admin' | 'user';
  active: boolean;
  created_at: string;
}

export function Users() {
  const me = useSession().user;
  const list = useApi<{ users: UserJson[] }>('/admin/users');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'admin' | 'user'>('user');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<{ email: string; password?: string } | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await call<{ user: UserJson; password?: string }>('POST', '/admin/users', { body: { email, role, ...(password ? { password } : {}) } });
      setCreated({ email: r.user.email, ...(r.password ? { password: r.password } : {}) });
      setEmail('');
      setPassword('');
      await list.reload();
    } catch (err) {
      list.setError(errorText(err));
    }
  }

  async function patch(id: string, body: { role?: string; active?: boolean }) {
    try {
      await call('PATCH', `/admin/users/${id}`, { body });
      await list.reload();
    } catch (err) {
      list.setError(errorText(err));
    }
  }

  return (
    <div className="page">
      <h1>Users</h1>
      <form className="card row-form" onSubmit={create} aria-labelledby="new-user">
        <h2 id="new-user">New user</h2>
        <label htmlFor="new-email">Email</label>
        <input id="new-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="new-role">Role</label>
        <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as 'admin' | 'user')}>
          <option value="user">user (validation only)</option>
          <option value="admin">admin (everything)</option>
        </select>
        <label htmlFor="new-password">Password <span className="muted">(empty = generate)</span></label>
        <input id="new-password" type="password" autoComplete="new-password" minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="primary">Create user</button>
      </form>
      {created && (
        <div className="notice ok" role="status">
          Created {created.email}.{created.password && <> Password (shown once): <code className="secret">{created.password}</code></>}
        </div>
      )}
      {list.error && <p className="notice error" role="alert">{list.error}</p>}
      <table className="grid" aria-label="Users">
        <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {list.data?.users.map((u) => (
            <tr key={u.id} className={u.active ? undefined : 'inactive'}>
              <td>{u.email}{u.id === me.id && <span className="muted"> (you)</span>}</td>
              <td>
                <select aria-label={`Role of ${u.email}`} value={u.role} disabled={u.id === me.id} onChange={(e) => void patch(u.id, { role: e.target.value })}>
                  <option value="user">user</option>
                  <option value="admin">admin</option>
                </select>
              </td>
              <td>{u.active ? 'active' : 'deactivated'}</td>
              <td>{dateTime(u.created_at)}</td>
              <td>{u.id !== me.id && (u.active
                ? <button type="button" className="small danger" onClick={() => void patch(u.id, { active: false })}>Deactivate</button>
                : <button type="button" className="small" onClick={() => void patch(u.id, { active: true })}>Reactivate</button>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
