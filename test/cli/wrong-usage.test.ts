/**
 * @module Wrong usage of `docket` (an unknown command, subcommand or option, a missing
 * command or required option, a value not among the choices, an option without its
 * value, a stray argument) prints what is wrong and the usage to stderr and exits 2,
 * with no stack trace and nothing created.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');

const CASES: [string[], RegExp][] = [
  [[], /a command is required/],
  [['frobnicate'], /unknown command frobnicate/],
  [['--frobnicate'], /unknown option --frobnicate/],
  [['serve', '--bogus'], /Unknown option '--bogus'/],
  [['serve', 'now'], /Unexpected argument 'now'/],
  [['migrate', '--force'], /Unknown option '--force'/],
  [['demo', '--json=yes'], /--json/],
  [['client'], /client needs a command/],
  [['client', 'delete'], /unknown command client delete/],
  [['client', 'create', '--name'], /argument missing/],
  [['user', 'create'], /--email: required/],
  [['user', 'create', '--email', 'a@b.c', '--role', 'root'], /--role: must be one of admin, user/],
  [['account', 'create', '--name', 'X'], /--admin-email: required/],
  [['agent', '--inbox'], /argument missing/],
  [['agent', '--nope'], /Unknown option '--nope'/],
  [['help', 'frobnicate'], /unknown command frobnicate/],
];

for (const [args, message] of CASES) {
  test(`docket ${args.join(' ') || '(nothing)'}: usage on stderr, exit 2`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'docket-usage-'));
    try {
      const env = { ...process.env, HOME: join(dir, 'home'), DOCKET_DATA_DIR: join(dir, 'data') };
      const out = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
      assert.equal(out.status, 2, `${out.stdout}${out.stderr}`);
      assert.match(out.stderr, message);
      assert.match(out.stderr, /^usage: docket/m);
      assert.doesNotMatch(out.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
      assert.equal(out.stdout, '');
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
