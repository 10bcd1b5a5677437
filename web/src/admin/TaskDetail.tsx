/**
 * @module Admin: one task — its state, who holds it, error reason, tags, its field
 * values and a preview of its first page, and the event timeline (every transition
 * with who did it, by name, and why, docs/architecture.md#task-states — a completed validation
 * lists the fields a person changed, from what, to what); cancel. A task that cannot
 * be loaded shows only the error, never the task seen before.
 */
import { useState } from 'react';
import { call } from '../api/client.ts';
import type { FieldValue, TaskJson } from '../api/types.ts';
import { dateTime } from '../app/format.ts';
import { errorText, useApi } from '../app/useApi.ts';

interface Detail {
  task: TaskJson;
  held_by: string | null;
  attempts: number;
  error: { code: string; message: string } | null;
  events: { at: string; from_state: string | null; to_state: string; client_action: string | null; actor: string; actor_name: string; reason: string }[];
  pages: number;
  documents: { pages: [number, number]; document_type: string | null; fields: { name: string; value: FieldValue; valid: boolean; needs_confirmation: boolean; confirmed: boolean }[] }[];
}

function valueText(v: FieldValue): string {
  if (v === null || v === '') return '—';
  if (Array.isArray(v)) return `${v.length} row${v.length === 1 ? '' : 's'}`;
  return String(v);
}

const FINAL = new Set(['completed', 'failed', 'timed-out', 'canceled']);

export function TaskDetail({ id }: { id: string }) {
  const detail = useApi<Detail>(`/admin/tasks/${encodeURIComponent(id)}`);
  const [confirming, setConfirming] = useState(false);
  const d = detail.data;

  async function cancel() {
    try {
      await call('POST', `/tasks/${encodeURIComponent(id)}/cancel`);
      setConfirming(false);
      await detail.reload();
    } catch (err) {
      detail.setError(errorText(err));
    }
  }

  return (
    <div className="page">
      <p><a href="#/admin/tasks">← Tasks</a></p>
      {detail.error && <p className="notice error" role="alert">{detail.error}</p>}
      {d && d.task.id === id && (
        <>
          <div className="page-head">
            <h1>{d.task.name}</h1>
            {!FINAL.has(d.task.state) && (confirming
              ? <span className="row"><span>Cancel this task? Its file and data are deleted.</span><button type="button" className="danger" onClick={() => void cancel()}>Yes, cancel</button><button type="button" className="ghost" onClick={() => setConfirming(false)}>No</button></span>
              : <button type="button" className="danger" onClick={() => setConfirming(true)}>Cancel task</button>)}
          </div>
          <dl className="facts">
            <dt>State</dt><dd><span className={`state ${d.task.state.replace(/[:]/g, '-')}`}>{d.task.state}{d.task.client_action ? ` (${d.task.client_action})` : ''}</span></dd>
            <dt>Project</dt><dd>{d.task.project_name} (version {d.task.project_version})</dd>
            <dt>Documents</dt><dd>{d.task.documents_count}</dd>
            <dt>Created</dt><dd>{dateTime(d.task.created_at)}</dd>
            <dt>Deadline</dt><dd>{dateTime(d.task.deadline_at)}</dd>
            {d.held_by && <><dt>Held by</dt><dd>{d.held_by} until {dateTime(d.task.lease_expires_at)}</dd></>}
            <dt>Attempts</dt><dd>{d.attempts}</dd>
            {d.error && <><dt>Error</dt><dd className="error-text"><code>{d.error.code}</code> {d.error.message}</dd></>}
            <dt>Tags</dt><dd>{Object.keys(d.task.tags).length === 0 ? '—' : <ul className="tags">{Object.entries(d.task.tags).map(([k, v]) => <li key={k}><code>{k}</code> = {v}</li>)}</ul>}</dd>
            <dt>Id</dt><dd className="mono">{d.task.id}</dd>
          </dl>
          {d.documents.length > 0 && (
            <section className="section task-values" aria-labelledby="values-title">
              <h2 id="values-title">Field values</h2>
              <div className="values-grid">
                {d.pages > 0 && <img className="page-preview" src={`/admin/tasks/${encodeURIComponent(id)}/pages/0`} alt={`Page 1 of ${d.task.name}`} loading="lazy" />}
                <div>
                  {d.documents.map((doc, i) => (
                    <table key={i} className="grid compact" aria-label={`Document ${i + 1}: ${doc.document_type ?? 'no type'}`}>
                      <caption>Document {i + 1} · {doc.document_type ?? 'no type'} · pages {doc.pages[0] + 1}–{doc.pages[1] + 1}</caption>
                      <thead><tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col">Status</th></tr></thead>
                      <tbody>
                        {doc.fields.map((f) => (
                          <tr key={f.name}><td>{f.name.replace(/_/g, ' ')}</td><td>{valueText(f.value)}</td><td>{!f.valid ? 'invalid' : f.confirmed ? 'confirmed' : f.needs_confirmation ? 'to confirm' : 'ok'}</td></tr>
                        ))}
                      </tbody>
                    </table>
                  ))}
                </div>
              </div>
            </section>
          )}
          <h2>Timeline</h2>
          <ol className="timeline">
            {d.events.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{dateTime(e.at)}</time>
                <span className="state-move">{e.from_state ?? '—'} → <strong>{e.to_state}</strong>{e.client_action ? ` (${e.client_action})` : ''}</span>
                <span className="muted">{e.reason} · <span title={e.actor}>{e.actor_name}</span></span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
