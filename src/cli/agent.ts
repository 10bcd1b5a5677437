/**
 * @module `docket agent`: the File System Agent's composition root. Reads the YAML
 * config (`--config`) and/or flags once, reports every problem together, then runs
 * the agent until SIGINT/SIGTERM. A second signal exits at once; the journal makes
 * that safe too. Exit codes: 0 stopped cleanly, 2 bad configuration, 1 failure.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseAgentConfig } from '../agent/config.ts';
import { createReporter } from '../agent/output.ts';
import { runAgent } from '../agent/agent.ts';
import { command, type Values } from './usage.ts';

const OPTIONS = {
  config: { type: 'string', value: 'FILE', help: 'YAML config file (docs/agent.md); flags override its top-level keys' },
  server: { type: 'string', value: 'URL', help: 'docket server (env DOCKET_URL)' },
  'client-id': { type: 'string', value: 'ID', help: 'API client id (env DOCKET_CLIENT_ID)' },
  'client-secret': { type: 'string', value: 'SECRET', help: 'API client secret (env DOCKET_CLIENT_SECRET)' },
  inbox: { type: 'string', value: 'DIR', help: 'watch DIR and create a task per file (needs --project)' },
  project: { type: 'string', value: 'ID', help: 'project for --inbox (and filter for --export)' },
  done: { type: 'string', value: 'DIR', help: 'move finished files here (or --delete)' },
  delete: { type: 'boolean', help: 'delete finished files instead' },
  error: { type: 'string', value: 'DIR', help: 'move failed files here, with a .error.txt' },
  poll: { type: 'boolean', help: 'list the inbox every --poll-interval instead of watching' },
  'poll-interval': { type: 'string', value: '2s', help: 'how often to list the inbox (--poll) and look for exports' },
  'stable-time': { type: 'string', value: '2s', help: 'how long a file must stay unchanged before it is sent' },
  'task-name': { type: 'string', value: 'TEMPLATE', help: 'task name, e.g. "{file_name}"' },
  export: { type: 'string', value: 'DIR', help: 'write exports of tasks waiting for export here' },
  journal: { type: 'string', value: 'FILE', help: 'local journal (default docket-agent.sqlite)' },
  concurrency: { type: 'string', value: 'N', help: 'files in flight at once (default 4)' },
  json: { type: 'boolean', help: 'JSON log lines even on a terminal' },
} as const;

type Flags = Values<typeof OPTIONS>;

/** Flags override the file's top-level keys and add one intake and/or one export folder. */
function merge(file: Record<string, unknown>, f: Flags): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...file };
  const set = (key: string, value: unknown) => { if (value !== undefined) raw[key] = value; };
  set('server', f.server);
  set('client_id', f['client-id']);
  set('client_secret', f['client-secret']);
  set('journal', f.journal);
  set('concurrency', f.concurrency === undefined ? undefined : Number(f.concurrency));
  if (f.json) raw.output = 'json';
  const list = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as unknown[]) : raw[key] === undefined ? [] : [raw[key]]);
  if (f.inbox !== undefined) {
    const intake: Record<string, unknown> = { folder: f.inbox, project_id: f.project, error_folder: f.error, after: f.delete ? 'delete' : 'move' };
    if (f.done !== undefined) intake.done_folder = f.done;
    if (f.poll) intake.mode = 'poll';
    if (f['poll-interval'] !== undefined) intake.poll_interval = f['poll-interval'];
    if (f['stable-time'] !== undefined) intake.stable_time = f['stable-time'];
    if (f['task-name'] !== undefined) intake.task_name = f['task-name'];
    raw.intake = [...list('intake'), intake];
  }
  if (f.export !== undefined) {
    const exp: Record<string, unknown> = { folder: f.export };
    if (f.project !== undefined) exp.project_id = f.project;
    if (f['poll-interval'] !== undefined) exp.poll_interval = f['poll-interval'];
    raw.export = [...list('export'), exp];
  }
  return raw;
}

async function agent(flags: Flags): Promise<number> {
  let file: Record<string, unknown> = {};
  let baseDir = process.cwd();
  if (flags.config !== undefined) {
    try {
      file = (parseYaml(await readFile(flags.config, 'utf8')) ?? {}) as Record<string, unknown>;
      baseDir = dirname(resolve(flags.config));
    } catch (err) {
      process.stderr.write(`cannot read ${flags.config}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const { config, problems } = parseAgentConfig(merge(file, flags), baseDir, process.env);
  if (problems.length > 0) {
    process.stderr.write(`invalid agent configuration:\n${problems.map((p) => `  ${p.path || '(top)'}: ${p.message}`).join('\n')}\n`);
    return 2;
  }
  const reporter = createReporter(config.output);
  const stop = new AbortController();
  const onSignal = (name: string) => {
    if (stop.signal.aborted) process.exit(130);
    reporter.log('info', `${name} received`, { important: true });
    stop.abort();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    await runAgent(config, { reporter, signal: stop.signal });
    return 0;
  } catch (err) {
    reporter.log('error', 'agent stopped on an error', { error: (err as Error).stack ?? String(err), important: true });
    return 1;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    reporter.close();
  }
}

export const agentCommand = command({
  words: ['agent'],
  summary: 'Run the File System Agent: folders in (--inbox), folders out (--export), until SIGINT/SIGTERM.',
  options: OPTIONS,
  notes: 'Exit status: 0 stopped cleanly, 2 bad configuration, 1 failure. See docs/agent.md for the config file.',
  run: agent,
});
