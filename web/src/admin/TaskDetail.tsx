/**
 * @module Admin: one task — its state, who holds it, error reason, tags and the
 * event timeline (every transition with actor and reason, docs/architecture.md#task-states); cancel.
 */
import { useState } from 'react';
import { call } from '../api/client.ts';
import type { TaskJson } from '../api/types.ts';
import { dateTime } from '../app/format.ts';
import { errorText, useApi } from '../app/useApi.ts';

interface Detail {
  task: TaskJson;
  held_by: string | null;
  attempts: number;
  error: { code: string; message: string } | null;
  events: { at: string; from_state: string | null; to_state: string; client_action: string | null; actor: string; reason: string }[];
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
      {d && (
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
          <h2>Timeline</h2>
          <ol className="timeline">
            {d.events.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{dateTime(e.at)}</time>
                <span className="state-move">{e.from_state ?? '—'} → <strong>{e.to_state}</strong>{e.client_action ? ` (${e.client_action})` : ''}</span>
                <span className="muted">{e.reason} · {e.actor}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
