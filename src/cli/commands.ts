/**
 * @module The `docket` command line (docs/architecture.md#processes): the list of
 * commands and the dispatch. `--help`/`-h` anywhere after a command's words prints
 * that command's usage and does nothing else (no configuration read, no store opened,
 * no folder made); `docket --version` prints the version; wrong usage prints the usage
 * to stderr and exits 2. Adding a command: declare it with `command()` (usage.ts) in a
 * file of its own and add it to COMMANDS below.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './config.ts';
import { CommandError, HELP_FLAGS, UsageError, helpText, listText, parseCommand, type Command } from './usage.ts';
import { serveCommand, workerCommand } from './serve.ts';
import { agentCommand } from './agent.ts';
import { learnCommand } from './learn.ts';
import { blobsMigrateCommand } from './blobs.ts';
import { accountCreateCommand, clientCreateCommand, demoCommand, migrateCommand, userCreateCommand } from './admin-commands.ts';

/** Every command, in the order `docket --help` lists them. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  workerCommand,
  agentCommand,
  migrateCommand,
  demoCommand,
  clientCreateCommand,
  userCreateCommand,
  accountCreateCommand,
  learnCommand,
  blobsMigrateCommand,
];

const OVERVIEW = listText(COMMANDS, 'usage: docket <command> [options]');
const FOOTER = '`docket <command> --help` shows its options; `docket --version` the version.\nConfiguration comes from the environment: see README.md.';
const USAGE = `${OVERVIEW}\n\n${FOOTER}`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The command named by the first words of `argv`, or the group (`client`, …) those words begin. */
function find(argv: string[]): { cmd: Command; rest: string[] } | { group: Command[]; word: string } | null {
  const cmd = COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
  if (cmd) return { cmd, rest: argv.slice(cmd.words.length) };
  const word = argv[0] ?? '';
  const group = COMMANDS.filter((c) => c.words.length > 1 && c.words[0] === word);
  return group.length > 0 ? { group, word } : null;
}

/** Runs `argv` (the arguments after `docket`); resolves to an exit status, or nothing while a server runs on. */
export async function dispatch(argv: string[]): Promise<number | void> {
  const [first] = argv;
  if (first === '--version') {
    process.stdout.write(`docket ${version()}\n`);
    return 0;
  }
  if (first === 'help' || (first !== undefined && HELP_FLAGS.has(first))) {
    const topic = first === 'help' ? find(argv.slice(1)) : null;
    if (first === 'help' && argv.length > 1 && topic === null) throw new UsageError(`unknown command ${argv.slice(1).join(' ')}`, USAGE);
    process.stdout.write(`${topic === null ? USAGE : 'cmd' in topic ? helpText(topic.cmd) : listText(topic.group, `usage: docket ${topic.word} <command> [options]`)}\n`);
    return 0;
  }
  if (first === undefined) throw new UsageError('a command is required', USAGE);
  const found = find(argv);
  if (found === null) throw new UsageError(`unknown ${first.startsWith('-') ? 'option' : 'command'} ${first}`, USAGE);
  if ('group' in found) {
    const groupUsage = listText(found.group, `usage: docket ${found.word} <command> [options]`);
    const next = argv[1];
    if (next !== undefined && HELP_FLAGS.has(next)) {
      process.stdout.write(`${groupUsage}\n`);
      return 0;
    }
    throw new UsageError(next === undefined ? `${found.word} needs a command` : `unknown command ${found.word} ${next}`, groupUsage);
  }
  if (found.rest.some((a) => HELP_FLAGS.has(a))) {
    process.stdout.write(`${helpText(found.cmd)}\n`);
    return 0;
  }
  const parsed = parseCommand(found.cmd, found.rest);
  return found.cmd.run(parsed.values, parsed.positionals);
}

/** The process's end: the exit status of a command that finished, 2 for wrong usage, 1 for a failure. */
export function report(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`docket: ${err.message.split('\n').join('\ndocket: ')}\n\n${err.usage}\n`);
    return 2;
  }
  if (err instanceof ConfigError || err instanceof CommandError) {
    process.stderr.write(`docket: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(`docket: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}
