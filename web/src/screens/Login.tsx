/**
 * @module The login screen: email and password, one button. Errors (wrong
 * password, too many attempts) are announced to screen readers. When the email and
 * password open users of several accounts (409 `choose_account`), it asks which
 * account and sends the login again with its `account_id`.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { SessionUser } from '../app/session.ts';

export function Login({ onLogin }: { onLogin: (user: SessionUser, csrf: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [accounts, setAccounts] = useState<{ id: string; name: string }[]>([]);
  const [account, setAccount] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const s = await call<{ user: SessionUser; csrf: string }>('POST', '/session', { body: { email, password, ...(account ? { account_id: account } : {}) } });
      onLogin(s.user, s.csrf);
    } catch (err) {
      if (err instanceof ApiError && err.problem.type === '/problems/choose_account' && err.problem.accounts?.length) {
        setAccounts(err.problem.accounts);
        setAccount(err.problem.accounts[0]?.id ?? '');
        setError('This email and password open several accounts: choose one.');
        return;
      }
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
        <input id="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => { setEmail(e.target.value); setAccounts([]); setAccount(''); }} />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {accounts.length > 0 && (
          <>
            <label htmlFor="account">Account</label>
            <select id="account" value={account} onChange={(e) => setAccount(e.target.value)}>
              {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </>
        )}
        {error && <p className="notice error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
