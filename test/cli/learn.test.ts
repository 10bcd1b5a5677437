/**
 * @module `docket learn <folder>` as a user runs it: a folder in the corpus layout
 * (documents beside `NAME.gt.json`) teaches the demo project, one line a document; a
 * document whose labels are nowhere on its pages teaches nothing and says which;
 * what was learned is in the store's vendor memory afterwards.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openStore } from '../../src/store/connect.ts';
import { makePdf } from '../helpers/fixtures.ts';

const run = promisify(execFile);
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
let dir: string;

function docket(args: string[]) {
  return run(process.execPath, [MAIN, ...args], { env: { ...process.env, DOCKET_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' } });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docket-learn-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const shop = (date: string, total: string) => ['SANYU STATIONERY SHOP', '(531384-M)', 'TEL: 03-33623086', 'GST ID: 001531760640', 'TAX INVOICE', `DATE: ${date}`, 'PEN BLUE 1 X 2.50 2.50', `TOTAL AMOUNT (RM): ${total}`, 'CASH 50.00', 'THANK YOU'];

test('docket learn teaches the demo project a labelled folder', async () => {
  const folder = join(dir, 'labelled');
  await mkdir(folder);
  await writeFile(join(folder, 'a.pdf'), await makePdf(1, shop('05/03/2018', '12.50')));
  await writeFile(join(folder, 'a.gt.json'), JSON.stringify({ company: 'SANYU STATIONERY SHOP', date: '05/03/2018', total: '12.50' }));
  await writeFile(join(folder, 'b.pdf'), await makePdf(1, shop('19/04/2018', '7.50')));
  await writeFile(join(folder, 'b.gt.json'), JSON.stringify([{ company: 'SANYU STATIONERY SHOP', total: 'RM 7.50', note: 'ignored' }]));
  await writeFile(join(folder, 'c.pdf'), await makePdf(1, shop('20/04/2018', '3.00')));
  await writeFile(join(folder, 'c.gt.json'), JSON.stringify({ company: 'SOMEBODY ELSE ENTIRELY', total: '999.00' }));
  await writeFile(join(folder, 'unlabelled.pdf'), await makePdf(1, shop('21/04/2018', '1.00')));
  await docket(['demo']);
  const out = await docket(['learn', folder, '--type', 'Receipt']);
  assert.match(out.stdout, /^a\.pdf: Receipt, vendor \S+ \(new\): company, date, total$/m);
  assert.match(out.stdout, /^b\.pdf: Receipt, vendor \S+: company, total$/m);
  assert.match(out.stdout, /^c\.pdf: nothing learned \(unmatched: company, total\)$/m);
  assert.doesNotMatch(out.stdout, /unlabelled/);
  assert.match(out.stdout, /docket learn: 2 documents taught Demo: invoices and receipts \(\S+\), 1 taught nothing/);
  const store = await openStore({ dataDir: join(dir, 'data') });
  try {
    const project = (await store.projects.list((await store.accounts.firstAccountId()) as string))[0];
    const memory = await store.memory.load(project?.id as string);
    assert.equal(memory.vendors.length, 1);
    assert.equal(memory.vendors[0]?.documents, 2);
  } finally {
    await store.close();
  }
});
