/**
 * @module Admin: tasks by state and project (the public `GET /tasks`, oldest first,
 * paged with its cursor), each opening its detail.
 */
import { useEffect, useState } from 'react';
import { call } from '../api/client.ts';
import type { TaskJson } from '../api/types.ts';
import { age, dateTime } from '../app/format.ts';
import { navigate } from '../app/router.ts';
import { errorText, useApi } from '../app/useApi.ts';

export const STATES = ['queued', 'running', 'pending:start_client_action', 'pending:complete_client_action', 'completed', 'failed', 'timed-out', 'canceled'];

export function Tasks() {
  const projects = useApi<{ projects: { id: string; name: string }[] }>('/projects');
  const [state, setState] = useState('');
  const [project, setProject] = useState('');
  const [tasks, setTasks] = useState<TaskJson[]>([]);
  const [nextCursor, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');

  async function load(after: string | null) {
    const q = new URLSearchParams({ limit: '50', ...(state ? { state } : {}), ...(project ? { project_id: project } : {}), ...(after ? { after } : {}) });
    try {
      const r = await call<{ tasks: TaskJson[]; next: string | null }>('GET', `/tasks?${q}`);
      setTasks((t) => (after ? [...t, ...r.tasks] : r.tasks));
      setNext(r.next);
      setError('');
    } catch (err) {
      setError(errorText(err));
    }
  }

  useEffect(() => {
    void load(null);
  }, [state, project]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Tasks</h1>
        <div className="toolbar">
          <label htmlFor="state-filter">State</label>
          <select id="state-filter" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">All states</option>
            {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
          <label htmlFor="task-project">Project</label>
          <select id="task-project" value={project} onChange={(e) => setProject(e.target.value)}>
            <option value="">All projects</option>
            {projects.data?.projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </div>
      </div>
      {error && <p className="notice error" role="alert">{error}</p>}
      {tasks.length === 0 ? <p className="empty">No tasks match.</p> : (
        <table className="grid" aria-label="Tasks">
          <thead><tr><th scope="col">Task</th><th scope="col">Project</th><th scope="col">State</th><th scope="col" className="num">Documents</th><th scope="col">Created</th><th scope="col">Age</th></tr></thead>
          <tbody>
            {tasks.map((t) => (
              <tr key={t.id} className="clickable" onClick={() => navigate(`#/admin/tasks/${t.id}`)}>
                <td><a href={`#/admin/tasks/${t.id}`}>{t.name}</a></td>
                <td>{t.project_name}</td>
                <td><span className={`state ${t.state.replace(/[:]/g, '-')}`}>{t.state}{t.client_action ? ` (${t.client_action})` : ''}</span></td>
                <td className="num">{t.documents_count}</td>
                <td>{dateTime(t.created_at)}</td>
                <td>{age(t.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && <button type="button" onClick={() => void load(nextCursor)}>Load more</button>}
    </div>
  );
}
