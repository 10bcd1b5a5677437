/**
 * @module E-invoices over the real HTTP API, on a service wired as `docket serve` wires it
 * (SQLite): a bare UBL invoice uploaded as a task body goes straight to export with its
 * fields from the XML, handing over the XML as sent, a Factur-X PDF whose `factur-x.xml`
 * (read back with qpdf) is the `cii` file byte for byte, and a `ubl` file; the exported
 * Factur-X, uploaded again, gives the same `cii` byte for byte; under `validation:
 * always` the portal's page image is drawn from the rendering; an XML that is not an
 * invoice fails the task with `invalid_einvoice`.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, waitForTask, type TestService } from '../helpers/service.ts';
import { createProject, upload } from './contract.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { writeUbl } from '../../src/core/einvoice/write-ubl.ts';
import { CII_XSD, UBL_XSD, qpdfAttachments, skipXmlTools, validateXsd } from '../helpers/xml-tools.ts';
import { fullInvoice } from '../einvoice/samples.ts';

type Json = Record<string, any>;

/** A one-rate invoice: the demo Invoice type has no per-line VAT rate to split two rates by. */
function ublBody(): Buffer {
  const inv = fullInvoice();
  inv.lines = [inv.lines[0]!];
  inv.vat_breakdown = [inv.vat_breakdown[0]!];
  inv.totals = { line_total: '198.00', allowances: null, charges: null, tax_exclusive: '198.00', tax: '37.62', tax_inclusive: '235.62', prepaid: null, due: '235.62' };
  return Buffer.from(writeUbl(inv));
}

const EXPORTS = [
  { format: 'original' },
  ...['cii', 'ubl', 'facturx'].map((format) => ({ format, document_types: ['Invoice'], values: { 'BT-55': 'DE' } })),
];

describe('e-invoices over the API (sqlite)', { skip: skipXmlTools('xmllint', 'qpdf') }, () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('sqlite');
  });
  after(async () => s?.close());

  test('a bare UBL body goes straight to export: the XML as sent, cii, ubl and a Factur-X PDF carrying the cii', async () => {
    const project = await createProject(s, { ...demoProject(), name: 'E-invoices', export: EXPORTS });
    const body = ublBody();
    const task = (await (await upload(s, project, body, { 'content-type': 'application/xml', 'X-Aluma-Tags': 'task_name=inv-42' })).json()) as Json;
    const ready = await waitForTask(s, task.id, (t) => t.state === 'pending:start_client_action' || t.state === 'failed', 60_000);
    assert.equal(ready.client_action, 'export', JSON.stringify(ready));
    const spec = (await (await s.api(`/tasks/${task.id}/start_client_action?action=export`, { method: 'POST' })).json()) as Json;
    const files: Json[] = [...spec.files, ...spec.documents.flatMap((d: Json) => d.files ?? [])];
    const get = async (name: string) => {
      const f = files.find((x) => x.file_name === name);
      assert.ok(f, `${name} in ${JSON.stringify(files.map((x) => x.file_name))}`);
      return Buffer.from(await (await s.api(new URL(f.url).pathname)).arrayBuffer());
    };
    assert.ok((await get('inv-42.xml')).equals(body), 'the original is the XML as sent');
    const cii = await get('inv-42_0.cii.xml');
    assert.ok(validateXsd(cii, CII_XSD).ok);
    assert.ok(validateXsd(await get('inv-42_0.ubl.xml'), UBL_XSD).ok);
    const { listing, bytes } = qpdfAttachments(await get('inv-42_0.pdf'), 'factur-x.xml');
    assert.match(listing, /^factur-x\.xml -> /m);
    assert.ok(bytes.equals(cii), 'the Factur-X attachment is the cii export');
    const facturx = await get('inv-42_0.pdf');
    assert.equal((await s.api(`/tasks/${task.id}/complete_client_action?action=export`, { method: 'POST' })).status, 200);

    // Full circle: the exported Factur-X PDF, uploaded again, is read from its XML and exports the same cii, byte for byte.
    const again = (await (await upload(s, project, facturx, { 'X-Aluma-Tags': 'task_name=inv-42-again' })).json()) as Json;
    const back = await waitForTask(s, again.id, (t) => t.state === 'pending:start_client_action' || t.state === 'failed', 60_000);
    assert.equal(back.client_action, 'export', JSON.stringify(back));
    const spec2 = (await (await s.api(`/tasks/${again.id}/start_client_action?action=export`, { method: 'POST' })).json()) as Json;
    const cii2 = [...spec2.files, ...spec2.documents.flatMap((d: Json) => d.files ?? [])].find((x: Json) => x.file_name === 'inv-42-again_0.cii.xml');
    assert.ok(cii2);
    assert.ok(Buffer.from(await (await s.api(new URL(cii2.url).pathname)).arrayBuffer()).equals(cii), 'cii of the Factur-X equals the first cii');
  });

  test('under validation always, the portal draws the page from the rendering; non-invoice XML fails with invalid_einvoice', async () => {
    const project = await createProject(s, { ...demoProject(), name: 'E-invoices reviewed', validation: { mode: 'always' }, export: [{ format: 'original' }] });
    const task = (await (await upload(s, project, ublBody())).json()) as Json;
    const ready = await waitForTask(s, task.id, (t) => t.state === 'pending:start_client_action' || t.state === 'failed', 60_000);
    assert.equal(ready.client_action, 'validation', JSON.stringify(ready));
    const spec = (await (await s.api(`/tasks/${task.id}/start_client_action?action=validation`, { method: 'POST' })).json()) as Json;
    assert.equal(spec.pages.length, 1);
    const page = await s.api(new URL(spec.pages[0].image_url).pathname);
    assert.equal(page.status, 200);
    assert.equal(Buffer.from(await page.arrayBuffer()).subarray(1, 4).toString('latin1'), 'PNG');

    const other = (await (await upload(s, project, Buffer.from('<?xml version="1.0"?><Order xmlns="urn:example"><ID>7</ID></Order>'))).json()) as Json;
    const failed = await waitForTask(s, other.id, (t) => t.state === 'failed', 60_000);
    assert.equal(failed.error.code, 'invalid_einvoice');
    assert.match(failed.error.message, /not a CII or UBL invoice/);
  });
});
