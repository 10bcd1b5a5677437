/** @module The agent's local parts on real temp folders: config checking, the SQLite journal, atomic writes and name planning, the limiter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseAgentConfig } from '../../src/agent/config.ts';
import { Journal } from '../../src/agent/journal.ts';
import { freeTarget, moveFile, removeTempFiles, TEMP_PREFIX, writeAtomic } from '../../src/agent/files.ts';
import { Limiter } from '../../src/shared/limiter.ts';
import { heldForWriting } from '../../src/agent/writers.ts';
import { open } from 'node:fs/promises';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-agent-unit-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('config: every problem reported with its path; folders keep their given text', () => {
  const { problems } = parseAgentConfig({ concurrency: 0, intake: [{ folder: 'in', mode: 'fast', stable_time: 'soon' }, 7] }, '/base', {});
  assert.deepEqual(problems.map((p) => p.path).sort(), [
    'client_id', 'client_secret', 'concurrency', 'intake[0].done_folder', 'intake[0].error_folder', 'intake[0].mode',
    'intake[0].project_id', 'intake[0].stable_time', 'intake[1]', 'server',
  ]);
  const ok = parseAgentConfig(
    { server: 'http://h:8080/', intake: { folder: 'C:\\inbox', project_id: 'P', after: 'delete', error_folder: 'err' }, export: [{ folder: 'out' }] },
    '/base', { DOCKET_CLIENT_ID: 'id', DOCKET_CLIENT_SECRET: 's' },
  );
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.config.server, 'http://h:8080');
  assert.equal(ok.config.intake[0]?.folder, 'C:\\inbox');
  assert.equal(ok.config.intake[0]?.path, 'C:\\inbox');
  assert.equal(ok.config.intake[0]?.errorFolder, join('/base', 'err'));
  assert.equal(ok.config.export[0]?.path, join('/base', 'out'));
  assert.equal(ok.config.clientId, 'id');
});

test('journal: intent survives a reopen; planned export names are reserved', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.sqlite');
    let j = new Journal(path);
    j.beginIntake({ key: 'k', source: '/in/a.pdf', intake: 0, size: 3, mtime_ms: 1.5 });
    j.setIntake('k', 'created', { task_id: 'T' });
    j.planExportFile('T', 'f1', join(dir, 'out', 'a.json'));
    j.setExportTask('T', join(dir, 'out'), 'started', 1);
    j.close();
    j = new Journal(path);
    assert.equal(j.pendingAt('/in/a.pdf', 3, 1.5)?.task_id, 'T');
    assert.equal(j.pendingAt('/in/a.pdf', 4, 1.5), undefined);
    assert.deepEqual(j.unfinishedIntake().map((r) => r.key), ['k']);
    assert.deepEqual(j.startedExports(join(dir, 'out')), ['T']);
    assert.deepEqual([...j.plannedNames(join(dir, 'out'))], ['a.json']);
    assert.throws(() => j.planExportFile('U', 'f9', join(dir, 'out', 'a.json')), 'one target, one file');
    j.setIntake('k', 'done');
    assert.deepEqual(j.unfinishedIntake(), []);
    j.close();
  });
});

test('atomic writes leave no temp file; names avoid existing and planned ones', async () => {
  await withDir(async (dir) => {
    await writeAtomic(join(dir, 'a.json'), Readable.from([Buffer.from('{"x":'), Buffer.from('1}')]));
    assert.equal(await readFile(join(dir, 'a.json'), 'utf8'), '{"x":1}');
    const failing = new Readable({ read() { this.destroy(new Error('network dropped')); } });
    await assert.rejects(writeAtomic(join(dir, 'b.json'), failing), /network dropped/);
    assert.deepEqual(await readdir(dir), ['a.json']);
    assert.equal(await freeTarget(dir, 'A.JSON'), join(dir, 'A (2).JSON'));
    assert.equal(await freeTarget(dir, 'a.json', new Set(['a (2).json'])), join(dir, 'a (3).json'));
    assert.equal(await freeTarget(dir, '../../etc/CON.txt'), join(dir, '.._.._etc_CON.txt'));
    assert.equal(await freeTarget(dir, 'nul'), join(dir, '_nul'));
    await writeFile(join(dir, `${TEMP_PREFIX}abc`), 'partial');
    assert.equal(await removeTempFiles(dir), 1);
    await moveFile(join(dir, 'a.json'), join(dir, 'sub', 'a.json'));
    assert.deepEqual(await readdir(join(dir, 'sub')), ['a.json']);
  });
});

test('a file held open for writing is seen as held, and released on close', { skip: process.platform !== 'linux' && 'checks /proc' }, async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'scan.pdf');
    const h = await open(path, 'w');
    await h.write('half');
    assert.deepEqual([...(await heldForWriting([path]))], [path]);
    await h.close();
    assert.deepEqual([...(await heldForWriting([path]))], []);
    const r = await open(path, 'r');
    assert.deepEqual([...(await heldForWriting([path]))], [], 'a reader does not count');
    await r.close();
  });
});

test('the limiter runs at most n jobs at once and reports idle', async () => {
  const limiter = new Limiter(2);
  let running = 0;
  let peak = 0;
  const job = async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setImmediate(r));
    running--;
  };
  const all = Promise.all(Array.from({ length: 7 }, () => limiter.run(job)));
  assert.equal(limiter.pending, 7);
  await limiter.idle();
  await all;
  assert.equal(peak, 2);
  assert.equal(limiter.pending, 0);
});
