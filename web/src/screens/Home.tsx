/**
 * @module Validation home: the tasks waiting for a person, with name, project,
 * document count, age and deadline; filter by project, oldest or nearest deadline
 * first. Tasks being validated are listed below with who holds them. The list
 * refreshes every 10 s so a team sees the same queue.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { QueueAnswer } from '../api/types.ts';
import { age, clock, until } from '../app/format.ts';
import { navigate } from '../app/router.ts';
import { takeNotice } from '../validate/wayout.ts';

const REFRESH_MS = 10_000;

export function Home() {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const [project, setProject] = useState(params.get('project') ?? sessionStorage.getItem('docket.project') ?? '');
  const [sort, setSort] = useState<'oldest' | 'deadline'>((sessionStorage.getItem('docket.sort') as 'oldest' | 'deadline') ?? 'oldest');
  const [queue, setQueue] = useState<QueueAnswer | null>(null);
  const [error, setError] = useState('');
  // Read once: the notice stays while this screen does, however often the queue refreshes.
  const [notice] = useState(takeNotice);

  const load = useCallback(async () => {
    try {
      const q = new URLSearchParams({ sort, ...(project ? { project_id: project } : {}) });
      setQueue(await call<QueueAnswer>('GET', `/portal/queue?${q}`));
      setError('');
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : String(err));
    }
  }, [project, sort]);

  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(t);
  }, [load]);

  useEffect(() => {
    sessionStorage.setItem('docket.project', project);
    sessionStorage.setItem('docket.sort', sort);
  }, [project, sort]);

  async function reopen(id: string) {
    try {
      await call('POST', `/tasks/${encodeURIComponent(id)}/validation/reopen`);
      navigate(`#/tasks/${id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : String(err));
    }
  }

  const first = queue?.waiting[0];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Waiting for validation</h1>
        <div className="toolbar">
          <label htmlFor="project-filter">Project</label>
          <select id="project-filter" value={project} onChange={(e) => setProject(e.target.value)}>
            <option value="">All projects</option>
            {queue?.projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
          <label htmlFor="sort">Order</label>
          <select id="sort" value={sort} onChange={(e) => setSort(e.target.value as 'oldest' | 'deadline')}>
            <option value="oldest">Oldest first</option>
            <option value="deadline">Nearest deadline first</option>
          </select>
          <button type="button" className="primary" disabled={!first} onClick={() => first && navigate(`#/tasks/${first.id}`)}>
            Start next task
          </button>
        </div>
      </div>
      {error ? <p className="notice error" role="alert">{error}</p> : notice && <p className="notice ok" role="status">{notice}</p>}
      {queue && queue.waiting.length === 0 && <p className="empty">Nothing is waiting for validation. New tasks appear here by themselves.</p>}
      {queue && queue.waiting.length > 0 && (
        <table className="grid" aria-label="Tasks waiting for validation">
          <thead>
            <tr><th scope="col">Task</th><th scope="col">Project</th><th scope="col" className="num">Documents</th><th scope="col">Waiting</th><th scope="col">Deadline</th></tr>
          </thead>
          <tbody>
            {queue.waiting.map((t) => (
              <tr key={t.id} onClick={() => navigate(`#/tasks/${t.id}`)} className="clickable">
                <td><a href={`#/tasks/${t.id}`}>{t.name}</a></td>
                <td>{t.project_name}</td>
                <td className="num">{t.documents_count}</td>
                <td>{age(t.created_at)}</td>
                <td className={t.deadline_at && Date.parse(t.deadline_at) - Date.now() < 3_600_000 ? 'due-soon' : undefined}>{until(t.deadline_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {queue && queue.exceptions.length > 0 && (
        <section className="section">
          <h2>Exceptions</h2>
          <table className="grid" aria-label="Tasks rejected to the exception queue">
            <thead><tr><th scope="col">Task</th><th scope="col">Project</th><th scope="col">Reason</th><th scope="col">Waiting</th></tr></thead>
            <tbody>
              {queue.exceptions.map((t) => (
                <tr key={t.id}><td><a href={`#/tasks/${t.id}`}>{t.name}</a></td><td>{t.project_name}</td><td>{t.exception_reason}</td><td>{age(t.created_at)}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {queue && queue.submitted_by_me.length > 0 && (
        <section className="section">
          <h2>Submitted by you, waiting for export</h2>
          <table className="grid" aria-label="Tasks you submitted that wait for export">
            <thead><tr><th scope="col">Task</th><th scope="col">Project</th><th scope="col">Submitted</th><th scope="col"><span className="sr-only">Reopen</span></th></tr></thead>
            <tbody>
              {queue.submitted_by_me.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td><td>{t.project_name}</td><td>{age(t.updated_at)}</td>
                  <td><button type="button" className="small" onClick={() => void reopen(t.id)}>Reopen {t.name}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {queue && queue.in_progress.length > 0 && (
        <section className="section">
          <h2>Being validated</h2>
          <table className="grid" aria-label="Tasks being validated">
            <thead><tr><th scope="col">Task</th><th scope="col">Project</th><th scope="col">Held by</th><th scope="col">Lease until</th></tr></thead>
            <tbody>
              {queue.in_progress.map((t) => (
                <tr key={t.id}>
                  <td>{t.held_by_me ? <a href={`#/tasks/${t.id}`}>{t.name}</a> : t.name}</td>
                  <td>{t.project_name}</td>
                  <td>{t.held_by_me ? 'you' : t.held_by ?? '—'}</td>
                  <td>{clock(t.lease_expires_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
