/**
 * @module Admin: projects. Upload a project file (YAML, JSON) or bundle (zip): the
 * service answers every problem with its path in the file, listed here; install the
 * demo project; see each project's versions (tasks keep the version they started with).
 */
import { useState, type FormEvent } from 'react';
import { ApiError, call } from '../api/client.ts';
import { dateTime } from '../app/format.ts';
import { errorText, useApi } from '../app/useApi.ts';

/** `GET /projects` lists summaries; the definition and validation settings come with `GET /projects/{id}`. */
interface ProjectJson {
  id: string;
  name: string;
  version: number;
  created_at: string;
  updated_at: string;
}

interface ProjectDetail {
  validation: { mode: string; confidence_threshold: number };
  versions: { version: number; created_at: string }[];
}

function contentType(file: File): string {
  if (/\.ya?ml$/i.test(file.name)) return 'application/yaml';
  if (/\.json$/i.test(file.name)) return 'application/json';
  if (/\.zip$/i.test(file.name)) return 'application/zip';
  return file.type || 'application/octet-stream';
}

export function Projects() {
  const list = useApi<{ projects: ProjectJson[] }>('/projects');
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const [message, setMessage] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [detail, setDetail] = useState<ProjectDetail | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblems([]);
    setMessage('');
    list.setError('');
    try {
      const p = await call<ProjectJson>('POST', '/projects', { raw: await file.arrayBuffer(), contentType: contentType(file) });
      setMessage(`Project “${p.name}” created (version ${p.version}).`);
      await list.reload();
    } catch (err) {
      if (err instanceof ApiError && err.problem.problems) setProblems(err.problem.problems);
      else list.setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function demo() {
    try {
      const r = await call<{ created: boolean; project: ProjectJson }>('POST', '/admin/demo');
      setMessage(r.created ? `Demo project installed: ${r.project.name}.` : `The demo project is installed already.`);
      await list.reload();
    } catch (err) {
      list.setError(errorText(err));
    }
  }

  async function toggle(id: string) {
    if (open === id) return setOpen(null);
    setDetail(await call<ProjectDetail>('GET', `/projects/${id}`));
    setOpen(id);
  }

  return (
    <div className="page">
      <div className="page-head">
        <h1>Projects</h1>
        <button type="button" onClick={() => void demo()}>Install demo project</button>
      </div>
      <form className="card upload" onSubmit={upload} aria-labelledby="upload-title">
        <h2 id="upload-title">Upload a project</h2>
        <p className="muted">A project file (YAML or JSON) or a bundle (zip with the file and sample documents). Nothing is stored unless the whole file is valid.</p>
        <div className="row">
          <label htmlFor="project-file" className="sr-only">Project file</label>
          <input id="project-file" type="file" accept=".yaml,.yml,.json,.zip" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <button type="submit" className="primary" disabled={!file || busy}>{busy ? 'Uploading…' : 'Upload'}</button>
        </div>
      </form>
      {/* One notice at a time: an error replaces the last success, never shows beside it. */}
      {list.error ? <p className="notice error" role="alert">{list.error}</p> : message && <p className="notice ok" role="status">{message}</p>}
      {problems.length > 0 && (
        <section className="card problems" aria-labelledby="problems-title">
          <h2 id="problems-title">{problems.length} problem{problems.length === 1 ? '' : 's'} in the project file</h2>
          <table className="grid compact">
            <thead><tr><th scope="col">Path</th><th scope="col">Problem</th></tr></thead>
            <tbody>{problems.map((p, i) => <tr key={i}><td><code>{p.path || '(file)'}</code></td><td>{p.message}</td></tr>)}</tbody>
          </table>
        </section>
      )}
      <table className="grid" aria-label="Projects">
        <thead><tr><th scope="col">Name</th><th scope="col" className="num">Version</th><th scope="col">Updated</th><th scope="col"><span className="sr-only">Details</span></th></tr></thead>
        <tbody>
          {list.data?.projects.map((p) => (
            <tr key={p.id}>
              <td>{p.name}<div className="muted mono">{p.id}</div>
                {open === p.id && detail && (
                  <>
                    <div className="muted">validation: {detail.validation.mode.replace('_', ' ')} (threshold {detail.validation.confidence_threshold})</div>
                    <ul className="versions">{detail.versions.map((v) => <li key={v.version}>version {v.version} · {dateTime(v.created_at)}</li>)}</ul>
                  </>
                )}
              </td>
              <td className="num">{p.version}</td>
              <td>{dateTime(p.updated_at)}</td>
              <td><button type="button" className="small ghost" aria-expanded={open === p.id} onClick={() => void toggle(p.id)}>Details</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
