/**
 * @module `docket agent`: the File System Agent's composition root. Reads the YAML
 * config (`--config`) and/or flags once, reports every problem together, then runs
 * the agent until SIGINT/SIGTERM. A second signal exits at once; the journal makes
 * that safe too. Exit codes: 0 stopped cleanly, 2 bad configuration, 1 failure.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { parseAgentConfig } from '../agent/config.ts';
import { createReporter } from '../agent/output.ts';
import { runAgent } from '../agent/agent.ts';

const USAGE = `usage: docket agent [--config agent.yaml] [options]

  --server URL            docket server (env DOCKET_URL)
  --client-id ID          API client id (env DOCKET_CLIENT_ID)
  --client-secret SECRET  API client secret (env DOCKET_CLIENT_SECRET)
  --inbox DIR             watch DIR and create a task per file (needs --project)
  --project ID            project for --inbox (and filter for --export)
  --done DIR              move finished files here (or --delete)
  --delete                delete finished files instead
  --error DIR             move failed files here, with a .error.txt
  --poll                  list the inbox every --poll-interval instead of watching
  --poll-interval 2s      --stable-time 2s     --task-name "{file_name}"
  --export DIR            write exports of tasks waiting for export here
  --journal FILE          local journal (default docket-agent.sqlite)
  --concurrency N         files in flight at once (default 4)
  --json                  JSON log lines even on a terminal

See docs/agent.md for the config file.`;

const OPTIONS = {
  config: { type: 'string' }, server: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' },
  inbox: { type: 'string' }, project: { type: 'string' }, done: { type: 'string' }, delete: { type: 'boolean' },
  error: { type: 'string' }, poll: { type: 'boolean' }, 'poll-interval': { type: 'string' }, 'stable-time': { type: 'string' },
  'task-name': { type: 'string' }, export: { type: 'string' }, journal: { type: 'string' }, concurrency: { type: 'string' },
  json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

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

export async function agentCommand(argv: string[]): Promise<number> {
  let flags: Flags;
  try {
    flags = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
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
