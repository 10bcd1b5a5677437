/**
 * @module A CLI that is safe to explore: every command and subcommand, with `--help`
 * and with `-h`, run in an empty folder (HOME and DOCKET_DATA_DIR inside it) prints its
 * usage on stdout, exits 0 and creates nothing: no data folder, no database, no
 * credentials file, no server. `docket --version` prints package.json's version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { COMMANDS } from '../../src/cli/commands.ts';

const run = promisify(execFile);
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');

/** Runs `docket args` in a new empty folder; answers its output and what the folder holds afterwards. */
async function inEmptyFolder(args: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'docket-help-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(dir, 'home'), DOCKET_DATA_DIR: join(dir, 'data'), PORT: '0' };
    delete env.DATABASE_URL;
    const out = await run(process.execPath, [MAIN, ...args], { cwd: dir, env, timeout: 30_000 });
    return { ...out, left: await readdir(dir, { recursive: true }) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the commands the README lists are all declared', () => {
  const names = COMMANDS.map((c) => c.words.join(' '));
  for (const name of ['serve', 'worker', 'agent', 'migrate', 'demo', 'client create', 'user create', 'account create']) {
    assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  }
});

const groups = [...new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))];

for (const flag of ['--help', '-h']) {
  test(`docket ${flag} and help for every command print usage, exit 0 and create nothing`, async () => {
    const top = await inEmptyFolder([flag]);
    assert.match(top.stdout, /^usage: docket <command>/);
    for (const c of COMMANDS) assert.ok(top.stdout.includes(`  ${c.words.join(' ')}  `), `${c.words.join(' ')} is listed`);
    assert.deepEqual(top.left, []);
    for (const c of COMMANDS) {
      const name = c.words.join(' ');
      // Also after one of its switches, which a handler that parsed first would already act on.
      const aSwitch = Object.entries(c.options).find(([, spec]) => spec.type === 'boolean')?.[0];
      for (const args of [[...c.words, flag], ...(aSwitch ? [[...c.words, `--${aSwitch}`, flag]] : [])]) {
        const { stdout, stderr, left } = await inEmptyFolder(args);
        assert.match(stdout, new RegExp(`^usage: docket ${name}( |$)`, 'm'), `${args.join(' ')}: ${stdout}`);
        assert.ok(stdout.includes(c.summary), `${name}: its summary`);
        for (const option of Object.keys(c.options)) assert.ok(stdout.includes(`--${option}`), `${name} --help lists --${option}`);
        assert.doesNotMatch(stdout, /listening on|schema up to date|client_secret|project_id/, `${name} did some work`);
        assert.equal(stderr, '', `${name}: nothing on stderr`);
        assert.deepEqual(left, [], `${args.join(' ')} created ${left.join(', ')}`);
      }
    }
    for (const group of groups) {
      const { stdout, left } = await inEmptyFolder([group, flag]);
      assert.match(stdout, new RegExp(`^usage: docket ${group} <command>`), stdout);
      assert.deepEqual(left, []);
    }
  });
}

test('help <command> prints that command\'s usage; --version prints the version', async () => {
  const help = await inEmptyFolder(['help', 'user', 'create']);
  assert.match(help.stdout, /^usage: docket user create --email EMAIL \[options\]/);
  const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const shown = await inEmptyFolder(['--version']);
  assert.equal(shown.stdout, `docket ${version}\n`);
  assert.deepEqual(shown.left, []);
});
