/**
 * @module Project files within bounds: a YAML or JSON file over 5 MiB is 413, one
 * nested deeper than 64 levels (a million deep, or just 70) is 422 naming the nesting,
 * and `GET /projects` lists summaries whose size does not grow with the definitions,
 * which `GET /projects/{id}` still returns. Runs on SQLite and PostgreSQL.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, type TestService } from '../helpers/service.ts';
import { skipPostgres, type StoreKind } from '../helpers/stores.ts';
import { demoProject } from '../../src/core/demo-project.ts';

type Json = Record<string, any>;

const pgSkip = await skipPostgres();

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`project limits (${kind})`, { skip: kind === 'postgres' ? pgSkip : false }, () => {
    let s: TestService;
    before(async () => {
      s = await startTestService(kind, { DOCKET_WORKERS: '0' });
    });
    after(() => s?.close());

    const post = (body: string, type = 'application/json') => s.api('/projects', { method: 'POST', headers: { 'content-type': type }, body });

    test('a project file over 5 MiB is 413 and nothing is stored', async () => {
      const big = JSON.stringify({ ...demoProject(), name: 'Big', padding: 'x'.repeat(5 * 1024 * 1024) });
      const res = await post(big);
      assert.equal(res.status, 413);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      const json = (await res.json()) as Json;
      assert.equal(json.type, '/problems/payload_too_large');
      assert.match(json.detail, /5 MiB/);
      const list = (await (await s.api('/projects')).json()) as Json;
      assert.ok(!list.projects.some((p: Json) => p.name === 'Big'));
    });

    test('a million-deep JSON project is 422 naming the nesting, and the service goes on', async () => {
      const n = 1_000_000;
      const deep = `{"name":"Deep","extra":${'['.repeat(n)}${']'.repeat(n)}}`;
      const res = await post(deep);
      assert.equal(res.status, 422);
      const json = (await res.json()) as Json;
      assert.equal(json.type, '/problems/invalid_project');
      assert.match(json.problems[0].message, /deeper than 64 levels/);
      assert.equal((await s.api('/health')).status, 200);
    });

    test('70 levels is refused in JSON and in YAML; a real project is not', async () => {
      const nested = (n: number): unknown => (n === 0 ? 'x' : { a: nested(n - 1) });
      const json = (await (await post(JSON.stringify({ ...demoProject(), name: 'Nested', extra: nested(70) }))).json()) as Json;
      assert.equal(json.type, '/problems/invalid_project');
      assert.match(json.problems[0].message, /deeper than 64 levels/);
      const yaml = `name: Nested YAML\nextra: ${'['.repeat(70)}1${']'.repeat(70)}\n`;
      const res = await post(yaml, 'application/yaml');
      assert.equal(res.status, 422);
      assert.match(((await res.json()) as Json).problems[0].message, /deeper than 64 levels/);
      assert.equal((await post(JSON.stringify({ ...demoProject(), name: 'Fine', extra: nested(20) }))).status, 201);
    });

    test('GET /projects lists summaries; GET /projects/{id} has the definition', async () => {
      const list = (await (await s.api('/projects')).json()) as Json;
      assert.ok(list.projects.length >= 2);
      for (const p of list.projects) {
        assert.deepEqual(Object.keys(p).sort(), ['created_at', 'id', 'name', 'updated_at', 'version']);
      }
      const one = (await (await s.api(`/projects/${s.demoProjectId}`)).json()) as Json;
      assert.equal(one.definition.name, one.name);
      assert.ok(Array.isArray(one.versions));
    });
  });
}
