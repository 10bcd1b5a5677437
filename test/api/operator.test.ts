/**
 * @module What only the operator reaches: `/metrics` behind DOCKET_METRICS_TOKEN and
 * `POST /operator/accounts` behind DOCKET_OPERATOR_TOKEN (both 404 when unset, 401 with
 * a wrong bearer), a new tenant that sees nothing of the first; and request edges that
 * must stay clean problems: dot-segment paths (no 500, no auth bypass through the
 * public `/app` prefix) and raw UTF-8 in X-Aluma-Tags read as UTF-8.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestService, type TestService } from '../helpers/service.ts';
import { createTestAccount } from '../helpers/accounts.ts';
import { makePdf } from '../helpers/fixtures.ts';

type Json = Record<string, any>;
const METRICS = 'metrics-token-0123456789';
const OPERATOR = 'operator-token-0123456789';

/** A request with the path and header bytes exactly as given (fetch would normalise both). */
function raw(url: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; type: string; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: body ? 'POST' : 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => void (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('without operator tokens', () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('sqlite', { DOCKET_WORKERS: '0' });
  });
  after(() => s.close());

  test('/metrics and /operator/accounts answer 404 problems', async () => {
    const metrics = await s.api('/metrics');
    assert.equal(metrics.status, 404);
    assert.equal(((await metrics.json()) as Json).type, '/problems/not_found');
    const op = await s.api('/operator/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', token: OPERATOR });
    assert.equal(op.status, 404);
  });

  test('dot-segment paths are clean 404 problems, never a 500 or a way around authentication', async () => {
    for (const path of ['/app/../tasks', '/app/%2e%2e/tasks', '/app/./x', '/tasks/../projects']) {
      const res = await raw(s.url, path, {});
      assert.equal(res.status, 404, path);
      assert.match(res.type, /application\/problem\+json/);
      assert.doesNotMatch(res.text, /\bat \S+ \(/, 'no stack trace');
      assert.equal((JSON.parse(res.text) as Json).type, '/problems/not_found');
    }
  });

  test('raw UTF-8 in X-Aluma-Tags is read as UTF-8; latin1 and percent-encoding still work', async () => {
    const token = await s.token();
    const pdf = await makePdf();
    const upload = async (wire: string) => {
      const res = await raw(s.url, `/tasks?project_id=${s.demoProjectId}`, { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'x-aluma-tags': wire }, pdf);
      assert.equal(res.status, 202, res.text);
      const id = (JSON.parse(res.text) as Json).id as string;
      return ((await (await s.api(`/tasks/${id}`)).json()) as Json).tags as Record<string, string>;
    };
    // Node writes header strings as latin1, so this puts the UTF-8 bytes on the wire as they are.
    const utf8 = Buffer.from('city=日本✓&file_name=Prüfung.pdf', 'utf8').toString('latin1');
    assert.deepEqual(await upload(utf8), { city: '日本✓', file_name: 'Prüfung.pdf' });
    assert.equal((await upload('city=M\u00fcnchen')).city, 'München', 'a latin1 byte that is not UTF-8 stays latin1');
    assert.equal((await upload('city=%E6%97%A5%E6%9C%AC')).city, '日本');
  });
});

describe('with operator tokens', () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('sqlite', { DOCKET_WORKERS: '0', DOCKET_METRICS_TOKEN: METRICS, DOCKET_OPERATOR_TOKEN: OPERATOR });
  });
  after(() => s.close());

  test('/metrics needs the metrics token, not an account login', async () => {
    assert.equal((await s.api('/metrics')).status, 401, 'an API client token is not enough');
    assert.equal((await s.api('/metrics', { token: 'wrong-token-0123456789' })).status, 401);
    const ok = await s.api('/metrics', { token: METRICS });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /docket_http_requests_total/);
  });

  test('POST /operator/accounts creates a tenant whose client works and sees nothing of the first', async () => {
    const post = (body: unknown, token: string | null = OPERATOR) =>
      s.api('/operator/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token });
    assert.equal((await post({ name: 'X', admin_email: 'x@y.z' }, null)).status, 401);
    assert.equal((await post({ name: 'X', admin_email: 'x@y.z' }, await s.token())).status, 401, 'an account token is not the operator');
    const res = await post({ name: 'Second Co', admin_email: 'Boss@Second.example' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const made = (await res.json()) as Json;
    assert.equal(made.admin_email, 'boss@second.example');
    assert.ok(made.admin_password.length >= 10 && made.client_secret.length >= 32);
    const token = await fetch(`${s.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: made.client_id, client_secret: made.client_secret }) });
    const access = ((await token.json()) as Json).access_token as string;
    const projects = (await (await s.api('/projects', { token: access })).json()) as Json;
    assert.deepEqual(projects.projects, [], 'the new tenant sees none of the first one\'s projects');
    assert.equal((await s.api(`/projects/${s.demoProjectId}`, { token: access })).status, 404);
  });

  test('bad input is a problem listing every field; an e-mail of another account is no conflict', async () => {
    const post = (body: string) => s.api('/operator/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body, token: OPERATOR });
    const bad = await post(JSON.stringify({ name: '', admin_email: 'nope', admin_password: 'short' }));
    assert.equal(bad.status, 400);
    const json = (await bad.json()) as Json;
    assert.equal(json.type, '/problems/invalid_request');
    assert.deepEqual(json.problems.map((p: Json) => p.path).sort(), ['admin_email', 'admin_password', 'name']);
    assert.equal(((await (await post('{"name":')).json()) as Json).type, '/problems/invalid_json');
    // E-mails are unique per account (docs/authorization.md): the first tenant's admin address is free here.
    const again = await post(JSON.stringify({ name: 'Again', admin_email: 'admin@docket.local' }));
    assert.equal(again.status, 201);
    assert.notEqual(((await again.json()) as Json).account_id, undefined);
  });

  test('the test helper makes a second account the same way', async () => {
    const other = await createTestAccount(s);
    assert.deepEqual(((await (await other.api('/projects')).json()) as Json).projects, []);
  });
});
