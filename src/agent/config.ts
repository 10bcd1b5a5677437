/**
 * @module The agent's configuration: a YAML file and/or command-line flags, read and
 * checked once at start, every problem reported together with its path.
 * Folders keep the text the user gave (it becomes the `file_path` tag, e.g.
 * `C:\inbox`) next to the resolved local path the agent works on.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from '../shared/duration.ts';
import { DEFAULT_EXCLUDE } from './globs.ts';
import { isRecord } from '../shared/records.ts';

export interface IntakeConfig {
  /** The folder as given. */
  folder: string;
  path: string;
  projectId: string;
  recursive: boolean;
  include: string[];
  exclude: string[];
  /** `watch` uses filesystem events; `poll` lists the folder every interval (network shares). */
  mode: 'watch' | 'poll';
  pollIntervalMs: number;
  stableMs: number;
  taskName: string;
  after: 'move' | 'delete';
  doneFolder: string | null;
  errorFolder: string;
}

export interface ExportConfig {
  folder: string;
  path: string;
  projectId: string | null;
  pollIntervalMs: number;
}

export interface AgentConfig {
  server: string;
  clientId: string;
  clientSecret: string;
  journal: string;
  concurrency: number;
  intake: IntakeConfig[];
  export: ExportConfig[];
  output: 'auto' | 'json' | 'tty';
  /** Export attempts of one task before the agent fails its client action. */
  maxExportAttempts: number;
}

export interface ConfigProblem {
  path: string;
  message: string;
}

type Raw = Record<string, unknown>;

class Reader {
  readonly problems: ConfigProblem[] = [];
  readonly baseDir: string;

  constructor(baseDir: string) {
    this.baseDir = baseDir;
  }

  string(o: Raw, key: string, at: string, fallback?: string): string {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    this.problems.push({ path: `${at}${key}`, message: v === undefined ? 'required' : 'must be a non-empty string' });
    return '';
  }

  duration(o: Raw, key: string, at: string, fallbackMs: number): number {
    if (o[key] === undefined) return fallbackMs;
    const ms = parseDuration(o[key]);
    if (ms === null) this.problems.push({ path: `${at}${key}`, message: 'must be a duration such as 2s or 500ms' });
    return ms ?? fallbackMs;
  }

  list(o: Raw, key: string, at: string, fallback: string[]): string[] {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    this.problems.push({ path: `${at}${key}`, message: 'must be a glob or a list of globs' });
    return fallback;
  }

  oneOf<T extends string>(o: Raw, key: string, at: string, options: readonly T[]): T {
    const v = o[key];
    if (v === undefined) return options[0] as T;
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    this.problems.push({ path: `${at}${key}`, message: `must be one of ${options.join(', ')}` });
    return options[0] as T;
  }

  local(folder: string): string {
    return isAbsolute(folder) || /^[A-Za-z]:[\\/]/.test(folder) ? folder : resolve(this.baseDir, folder);
  }
}

function intake(r: Reader, o: unknown, at: string): IntakeConfig | null {
  if (!isRecord(o)) {
    r.problems.push({ path: at, message: 'must be an object with folder and project_id' });
    return null;
  }
  const p = `${at}.`;
  const folder = r.string(o, 'folder', p);
  const after = r.oneOf(o, 'after', p, ['move', 'delete'] as const);
  const done = o.done_folder === undefined ? null : r.string(o, 'done_folder', p);
  if (after === 'move' && done === null) r.problems.push({ path: `${p}done_folder`, message: 'required when after is move' });
  if (o.recursive !== undefined && typeof o.recursive !== 'boolean') r.problems.push({ path: `${p}recursive`, message: 'must be true or false' });
  return {
    folder,
    path: r.local(folder),
    projectId: r.string(o, 'project_id', p),
    recursive: o.recursive !== false,
    include: r.list(o, 'include', p, []),
    exclude: [...DEFAULT_EXCLUDE, ...r.list(o, 'exclude', p, [])],
    mode: r.oneOf(o, 'mode', p, ['watch', 'poll'] as const),
    pollIntervalMs: r.duration(o, 'poll_interval', p, 2000),
    stableMs: r.duration(o, 'stable_time', p, 2000),
    taskName: r.string(o, 'task_name', p, '{file_name}'),
    after,
    doneFolder: done === null ? null : r.local(done),
    errorFolder: r.local(r.string(o, 'error_folder', p)),
  };
}

function exportFolder(r: Reader, o: unknown, at: string): ExportConfig | null {
  if (!isRecord(o)) {
    r.problems.push({ path: at, message: 'must be an object with a folder' });
    return null;
  }
  const p = `${at}.`;
  const folder = r.string(o, 'folder', p);
  return {
    folder,
    path: r.local(folder),
    projectId: o.project_id === undefined ? null : r.string(o, 'project_id', p),
    pollIntervalMs: r.duration(o, 'poll_interval', p, 2000),
  };
}

/** Parses the merged YAML-and-flags object; relative folders resolve against `baseDir`. */
export function parseAgentConfig(raw: unknown, baseDir: string, env: Readonly<Record<string, string | undefined>> = {}): { config: AgentConfig; problems: ConfigProblem[] } {
  const r = new Reader(baseDir);
  const o: Raw = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) r.problems.push({ path: '', message: 'the configuration must be a mapping' });
  const fromEnv = (key: string, name: string) => (o[key] === undefined && env[name] ? env[name] : o[key]);
  const creds: Raw = { server: fromEnv('server', 'DOCKET_URL'), client_id: fromEnv('client_id', 'DOCKET_CLIENT_ID'), client_secret: fromEnv('client_secret', 'DOCKET_CLIENT_SECRET') };
  const server = r.string(creds, 'server', '').replace(/\/+$/, '');
  if (server !== '' && !/^https?:\/\/[^/]+/.test(server)) r.problems.push({ path: 'server', message: 'must be an http(s) URL' });
  const concurrency = o.concurrency === undefined ? 4 : o.concurrency;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    r.problems.push({ path: 'concurrency', message: 'must be a whole number from 1 to 64' });
  }
  const attempts = o.max_export_attempts === undefined ? 10 : o.max_export_attempts;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1) r.problems.push({ path: 'max_export_attempts', message: 'must be a whole number of at least 1' });
  const lists = (key: string) => (o[key] === undefined ? [] : Array.isArray(o[key]) ? (o[key] as unknown[]) : [o[key]]);
  const intakes = lists('intake').map((x, i) => intake(r, x, `intake[${i}]`)).filter((x): x is IntakeConfig => x !== null);
  const exports = lists('export').map((x, i) => exportFolder(r, x, `export[${i}]`)).filter((x): x is ExportConfig => x !== null);
  if (intakes.length === 0 && exports.length === 0) r.problems.push({ path: '', message: 'nothing to do: give at least one intake or export folder' });
  return {
    config: {
      server,
      clientId: r.string(creds, 'client_id', ''),
      clientSecret: r.string(creds, 'client_secret', ''),
      journal: r.local(r.string(o, 'journal', '', 'docket-agent.sqlite')),
      concurrency: typeof concurrency === 'number' ? concurrency : 4,
      intake: intakes,
      export: exports,
      output: r.oneOf(o, 'output', '', ['auto', 'json', 'tty'] as const),
      maxExportAttempts: typeof attempts === 'number' ? attempts : 10,
    },
    problems: r.problems,
  };
}
