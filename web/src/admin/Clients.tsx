/**
 * @module Admin: API clients — create one (its secret is shown here once and never
 * again: the service keeps only a hash; a button copies it), see when each last got a
 * token, and revoke (its tokens stop working at once).
 */
import { useState, type FormEvent } from 'react';
import { call } from '../api/client.ts';
import { dateTime } from '../app/format.ts';
import { errorText, useApi } from '../app/useApi.ts';

interface ClientJson {
  client_id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Copies a secret; the button says whether it worked (the clipboard needs a secure context or a permission). */
function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button type="button" className="small" aria-live="polite" onClick={() => navigator.clipboard.writeText(text).then(() => setState('copied'), () => setState('failed'))}>
      {state === 'copied' ? `${label} copied` : state === 'failed' ? 'Copy failed: select and copy it' : `Copy ${label}`}
    </button>
  );
}

export function Clients() {
  const list = useApi<{ clients: ClientJson[] }>('/admin/clients');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<{ client_id: string; client_secret: string } | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await call<{ client_id: string; client_secret: string }>('POST', '/admin/clients', { body: { name } });
      setSecret(r);
      setName('');
      await list.reload();
    } catch (err) {
      list.setError(errorText(err));
    }
  }

  async function revoke(id: string) {
    try {
      await call('DELETE', `/admin/clients/${encodeURIComponent(id)}`);
      await list.reload();
    } catch (err) {
      list.setError(errorText(err));
    }
  }

  return (
    <div className="page">
      <h1>API clients</h1>
      <form className="card row-form" onSubmit={create} aria-labelledby="new-client">
        <h2 id="new-client">New API client</h2>
        <label htmlFor="client-name">Name</label>
        <input id="client-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. ERP import" />
        <button type="submit" className="primary">Create client</button>
      </form>
      {secret && (
        <div className="notice ok secret-box" role="status">
          <p><strong>Copy the secret now — it is shown only once.</strong></p>
          <dl className="facts">
            <dt>client_id</dt><dd><code data-testid="client-id">{secret.client_id}</code> <CopyButton text={secret.client_id} label="client_id" /></dd>
            <dt>client_secret</dt><dd><code className="secret" data-testid="client-secret">{secret.client_secret}</code> <CopyButton text={secret.client_secret} label="secret" /></dd>
          </dl>
          <button type="button" className="small ghost" onClick={() => setSecret(null)}>I have copied it</button>
        </div>
      )}
      {list.error && <p className="notice error" role="alert">{list.error}</p>}
      <table className="grid" aria-label="API clients">
        <thead><tr><th scope="col">Name</th><th scope="col">client_id</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {list.data?.clients.map((c) => (
            <tr key={c.client_id} className={c.revoked_at ? 'inactive' : undefined}>
              <td>{c.name}</td>
              <td className="mono">{c.client_id}</td>
              <td>{dateTime(c.created_at)}</td>
              <td>{c.last_used_at ? dateTime(c.last_used_at) : 'never'}</td>
              <td>{c.revoked_at ? `revoked ${dateTime(c.revoked_at)}` : 'active'}</td>
              <td>{!c.revoked_at && <button type="button" className="small danger" onClick={() => void revoke(c.client_id)}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
