/**
 * @module The login screen: email and password, one button. Errors (wrong
 * password, too many attempts) are announced to screen readers.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { SessionUser } from '../app/session.ts';

export function Login({ onLogin }: { onLogin: (user: SessionUser, csrf: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const s = await call<{ user: SessionUser; csrf: string }>('POST', '/session', { body: { email, password } });
      onLogin(s.user, s.csrf);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title"><span className="brand">docket</span> Sign in</h1>
        <label htmlFor="email">Email</label>
        <input id="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p className="notice error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
