/**
 * @module How a `docket` command is declared: its words, a one-line summary and its
 * options, each option with its help line. The parser (Node's `util.parseArgs`) and the
 * `--help` text are both built from that one declaration, so they cannot drift apart.
 * Wrong usage is a `UsageError`: the entry point prints it with the usage to stderr and
 * exits 2, with no stack trace.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One-line help; for a string option, `value` names its argument (e.g. `N`, `DIR`). */
  help: string;
  value?: string;
  required?: boolean;
  choices?: readonly string[];
}

export type Options = Record<string, OptionSpec>;

/** The parsed values: a string option gives a string, a boolean one `true`; absent ones are undefined. */
export type Values<O extends Options> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

export interface Command<O extends Options = Options> {
  /** The words that name it: `['serve']`, `['client', 'create']`. */
  words: readonly string[];
  summary: string;
  /** Lines printed after the options in `--help`. */
  notes?: string;
  options: O;
  /** Required positional arguments, in order (`learn FOLDER`); none when absent. */
  positionals?: readonly { name: string; help: string }[];
  /** Runs the command; a number is the process's exit code, nothing means the process goes on (a server). */
  run(values: Values<O>, positionals: string[]): Promise<number | void>;
}

/** Declares a command with its option values typed from its options. */
export function command<const O extends Options>(spec: Command<O>): Command<O> {
  return spec;
}

/** Wrong usage: an unknown command or option, a missing or invalid argument. Exit status 2. */
export class UsageError extends Error {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super(message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}

/** A command that was used rightly but could not do its work (a user exists already, …): exit 1, no stack trace. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);

function optionLabel(name: string, spec: OptionSpec): string {
  if (spec.type === 'boolean') return `--${name}`;
  return `--${name} ${spec.choices ? spec.choices.join('|') : spec.value ?? 'VALUE'}`;
}

function columns(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

/** The `--help` text of a command, from its declaration. */
export function helpText(cmd: Command): string {
  const entries = Object.entries(cmd.options);
  const required = entries.filter(([, s]) => s.required).map(([n, s]) => optionLabel(n, s));
  const positionals = cmd.positionals ?? [];
  const synopsis = ['docket', ...cmd.words, ...positionals.map((p) => p.name), ...required, ...(entries.length > required.length ? ['[options]'] : [])].join(' ');
  const rows: [string, string][] = [
    ...positionals.map((p): [string, string] => [p.name, p.help]),
    ...entries.map(([n, s]): [string, string] => [optionLabel(n, s), `${s.help}${s.required ? ' (required)' : ''}`]),
  ];
  rows.push(['-h, --help', 'print this help and do nothing else']);
  return [`usage: ${synopsis}`, '', cmd.summary, '', 'options:', columns(rows), ...(cmd.notes ? ['', cmd.notes] : [])].join('\n');
}

/** The overview of several commands (all of them, or a group such as `client …`). */
export function listText(commands: readonly Command[], intro: string): string {
  const rows: [string, string][] = commands.map((c) => [c.words.join(' '), c.summary]);
  return `${intro}\n\ncommands:\n${columns(rows)}`;
}

/** Parses a command's arguments (after its words) strictly; every problem is a UsageError. */
export function parseCommand<O extends Options>(cmd: Command<O>, args: string[]): { values: Values<O>; positionals: string[] } {
  const config = Object.fromEntries(Object.entries(cmd.options).map(([n, s]) => [n, { type: s.type }]));
  const wanted = cmd.positionals ?? [];
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: config, strict: true, allowPositionals: wanted.length > 0 }) as { values: typeof values; positionals: string[] });
  } catch (err) {
    throw new UsageError((err as Error).message, helpText(cmd));
  }
  const problems: string[] = [];
  if (positionals.length !== wanted.length) problems.push(`expected ${wanted.length === 0 ? 'no arguments' : wanted.map((p) => p.name).join(' ')}, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  for (const [name, spec] of Object.entries(cmd.options)) {
    const value = values[name];
    if (spec.required && (value === undefined || value === '')) problems.push(`--${name}: required`);
    if (spec.choices && typeof value === 'string' && !spec.choices.includes(value)) problems.push(`--${name}: must be one of ${spec.choices.join(', ')}`);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'), helpText(cmd));
  return { values: values as Values<O>, positionals };
}
