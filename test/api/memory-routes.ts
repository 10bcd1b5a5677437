/**
 * @module The vendor-memory routes on a whole service (wired as `docket serve`, run on SQLite
 * by memory.test.ts and on PostgreSQL by memory.postgres.test.ts):
 * a labelled sample teaches (201 with what was learned), shows in `GET …/memory` with
 * nothing of the file but its anchors, labels, places and static values; a sample whose
 * labels are nowhere on its page answers 422 naming them and teaches nothing; deleting
 * the project erases its memory; bad multipart parts answer 422 `invalid_sample`;
 * `DELETE …/memory` erases it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, type TestService } from '../helpers/service.ts';
import type { StoreKind } from '../helpers/stores.ts';
import { makePdf } from '../helpers/fixtures.ts';

export function memoryRoutes(kind: StoreKind, skip: false | string): void {
  describe(`vendor-memory routes (${kind})`, { skip }, () => {
    let s: TestService;
    before(async () => {
      s = await startTestService(kind);
    });
    after(async () => {
      await s?.close();
    });

    const receipt = ['SANYU STATIONERY SHOP', '(531384-M)', 'NO 31G, JALAN SETIA INDAH X U13/X', '40170 SHAH ALAM, SELANGOR', 'TEL: 03-33623086', 'GST ID: 001531760640', 'TAX INVOICE', 'DATE: 05/03/2018', 'PEN BLUE 1 X 2.50 2.50', 'TOTAL AMOUNT (RM): 12.50', 'CASH 50.00', 'THANK YOU'];

    async function sample(fields: unknown, type: string | null = 'Receipt', lines = receipt): Promise<Response> {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(await makePdf(1, lines))], { type: 'application/pdf' }), 'receipt.pdf');
      form.set('fields', typeof fields === 'string' ? fields : JSON.stringify(fields));
      if (type !== null) form.set('type', type);
      return s.api(`/projects/${s.demoProjectId}/samples`, { method: 'POST', body: form });
    }

    test('a labelled sample teaches; GET shows what was kept; DELETE erases it', async () => {
      const res = await sample({ company: 'SANYU STATIONERY SHOP', date: '05/03/2018', total: '12.50' });
      const body = (await res.json()) as Record<string, any>;
      assert.equal(res.status, 201, JSON.stringify(body));
      assert.equal(body.document_type, 'Receipt');
      assert.equal(body.new_vendor, true);
      assert.deepEqual(body.fields.map((f: { name: string }) => f.name).sort(), ['company', 'date', 'total']);
      assert.equal(body.fields.find((f: { name: string }) => f.name === 'total').label, 'total amount rm');
      const shown = (await (await s.api(`/projects/${s.demoProjectId}/memory`)).json()) as Record<string, any>;
      assert.equal(shown.vendors.length, 1);
      const v = shown.vendors[0];
      assert.deepEqual(v.anchors.tax_id.map((a: { value: string }) => a.value).sort(), ['001531760640', '531384M']);
      assert.equal(v.fields.Receipt.company.value, 'SANYU STATIONERY SHOP');
      assert.equal(v.fields.Receipt.total.value, null, 'a changing value is not kept, only where it stands');
      assert.ok(!JSON.stringify(shown).includes('12.5'), 'no total anywhere in memory');
      // The sample also taught the calibration: one outcome per field, counted for a new vendor, nothing but counts.
      const counted = (key: string) => (shown.calibration[key].new as number[][]).reduce((n, b) => n + (b[0] as number), 0);
      assert.deepEqual(['Receipt.company', 'Receipt.date', 'Receipt.total'].map(counted), [1, 1, 1]);
      const again = await sample({ company: 'SANYU STATIONERY SHOP', date: '05/03/2018', total: '12.50' });
      assert.equal(again.status, 201);
      const known = ((await (await s.api(`/projects/${s.demoProjectId}/memory`)).json()) as Record<string, any>).calibration['Receipt.total'];
      assert.equal((known.known as number[][]).reduce((n, b) => n + (b[0] as number), 0), 1, 'the second sample of the vendor counts as known');
      assert.equal((await s.api(`/projects/${s.demoProjectId}/memory`, { method: 'DELETE' })).status, 204);
      assert.deepEqual(((await (await s.api(`/projects/${s.demoProjectId}/memory`)).json()) as { vendors: unknown[] }).vendors, []);
    });

    test('deleting the project erases what it learned', async () => {
      const created = await s.api('/projects', { method: 'POST', body: JSON.stringify({ name: 'Learns then goes', document_types: [{ name: 'Receipt', fields: [{ name: 'company', type: 'text', extract: [{ heuristic: 'company' }] }, { name: 'total', type: 'amount', extract: [{ heuristic: 'total' }] }] }] }), headers: { 'content-type': 'application/json' } });
      assert.equal(created.status, 201, await created.clone().text());
      const id = ((await created.json()) as { id: string }).id;
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(await makePdf(1, receipt))], { type: 'application/pdf' }), 'receipt.pdf');
      form.set('fields', JSON.stringify({ company: 'SANYU STATIONERY SHOP', total: '12.50' }));
      form.set('type', 'Receipt');
      assert.equal((await s.api(`/projects/${id}/samples`, { method: 'POST', body: form })).status, 201);
      assert.equal((await s.rt.store.memory.load(id)).vendors.length, 1);
      assert.equal((await s.api(`/projects/${id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await s.rt.store.memory.load(id)).vendors.length, 0);
    });

    test('a sample whose labels match nothing on its page: 422 naming the fields, nothing learned', async () => {
      const res = await sample({ company: 'ACME WIDGETS GMBH', total: '999.99' });
      const body = (await res.json()) as Record<string, any>;
      assert.equal(res.status, 422);
      assert.equal(body.type, '/problems/sample_unmatched');
      assert.deepEqual(body.fields, ['company', 'total']);
      assert.deepEqual(((await (await s.api(`/projects/${s.demoProjectId}/memory`)).json()) as { vendors: unknown[] }).vendors, []);
    });

    test('bad parts: fields not JSON, an unknown field, an unknown type, no file', async () => {
      for (const [res, code] of [
        [await sample('{not json'), 'invalid_sample'],
        [await sample({ colour: 'red' }), 'invalid_sample'],
        [await sample({ total: '12.50' }, 'Spaceship'), 'invalid_sample'],
      ] as const) {
        assert.equal(res.status, 422);
        assert.equal(((await res.json()) as { type: string }).type, `/problems/${code}`);
      }
      const form = new FormData();
      form.set('fields', '{"total":"1"}');
      const none = await s.api(`/projects/${s.demoProjectId}/samples`, { method: 'POST', body: form });
      assert.equal(none.status, 422);
      const json = await s.api(`/projects/${s.demoProjectId}/samples`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(json.status, 415);
    });
  });
}
