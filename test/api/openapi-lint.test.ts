/**
 * @module The OpenAPI document of a running service, linted by the tools an
 * integrator reaches for: Redocly (`redocly.yaml`, its recommended rules) and
 * Spectral (`.spectral.yaml`, `spectral:oas`), with no error and no warning; and the
 * properties no linter checks: named components, an operationId, summary,
 * description and tag on every operation, and security only where it applies.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runTool, serveDocument, skipWithoutTools, type DocumentService } from '../helpers/contract-tools.ts';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('the OpenAPI document passes Redocly and Spectral', { skip: skipWithoutTools('redocly', 'spectral') }, () => {
  let service: DocumentService;
  let dir: string;
  let file: string;
  let doc: Json;

  before(async () => {
    service = await serveDocument();
    dir = await mkdtemp(join(tmpdir(), 'docket-openapi-lint-'));
    file = join(dir, 'openapi.json');
    const res = await fetch(`${service.url}/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as Json;
    await writeFile(file, JSON.stringify(doc, null, 2));
  });
  after(async () => {
    await service?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('Redocly lint: 0 errors, 0 warnings', async () => {
    const run = await runTool('redocly', ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json']);
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    const findings = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    process.stdout.write(`redocly lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings\n`);
    assert.deepEqual(findings, []);
    assert.deepEqual([report.totals.errors, report.totals.warnings], [0, 0]);
  });

  test('Spectral lint (spectral:oas): 0 errors, 0 warnings', async () => {
    const run = await runTool('spectral', ['lint', file, '--ruleset', join(ROOT, '.spectral.yaml'), '--format', 'json', '--quiet']);
    const results = JSON.parse(run.stdout || '[]') as { code: string; message: string; severity: number; path: string[] }[];
    // Severity 0 is an error, 1 a warning (2 info, 3 hint).
    const findings = results.filter((r) => r.severity <= 1).map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`);
    process.stdout.write(`spectral lint: ${results.filter((r) => r.severity === 0).length} errors, ${results.filter((r) => r.severity === 1).length} warnings, ${results.length} findings in all\n`);
    assert.deepEqual(findings, []);
  });

  test('named components, and every operation described, tagged and identified once', () => {
    const schemas = Object.keys(doc.components.schemas);
    for (const name of ['Task', 'TaskList', 'ExportSpecification', 'ValidationSpecification', 'Project', 'Problem']) assert.ok(schemas.includes(name), name);
    assert.equal(schemas.filter((s) => /^def-\d+$/.test(s)).length, 0, 'no def-N component');
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const op = item[method] as Json;
        const where = `${method.toUpperCase()} ${path}`;
        for (const key of ['operationId', 'summary', 'description']) assert.equal(typeof op[key], 'string', `${where}: ${key}`);
        assert.ok(op.tags?.length > 0, `${where}: tags`);
        assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} twice`);
        ids.add(op.operationId);
        // Redocly's operation-4xx-response, off for GET /health only (redocly.yaml says why).
        if (path !== '/health') assert.ok(Object.keys(op.responses).some((s) => /^4\d\d$/.test(s)), `${where}: a 4XX answer`);
        assert.ok(op.responses.default || path === '/health', `${where}: a default answer`);
      }
    }
    assert.equal(doc.servers[0].url, service.url, 'servers names the service');
  });

  test('security only where it applies, and the wire shapes the issue named', () => {
    const op = (path: string, method: string): Json => doc.paths[path][method];
    for (const [path, method] of [['/oauth/token', 'post'], ['/health', 'get'], ['/session', 'post']] as const) {
      const security = (op(path, method).security ?? []) as Json[];
      assert.ok(security.length === 0 || security.some((s) => Object.keys(s).length === 0), `${path} needs no bearer token`);
    }
    assert.deepEqual(op('/metrics', 'get').security, [{ metrics: [] }]);
    assert.ok(op('/projects', 'post').responses['201']);
    assert.ok(op('/projects/{id}', 'delete').responses['204']);
    const upload = op('/tasks', 'post');
    assert.equal(upload.parameters.find((p: Json) => p.name === 'project_id').required, true);
    assert.ok(upload.requestBody.content['application/octet-stream']);
    assert.equal(op('/tasks', 'get').parameters.find((p: Json) => p.name === 'limit').schema.type, 'integer');
    assert.equal(op('/tasks/{id}/files/{fileId}', 'get').responses['200'].content['application/octet-stream'].schema.format, 'binary');
    assert.ok(op('/tasks/{id}/files/{fileId}', 'get').responses['410']);
    assert.deepEqual(Object.keys(op('/oauth/token', 'post').requestBody.content).sort(), ['application/json', 'application/x-www-form-urlencoded']);
  });
});
