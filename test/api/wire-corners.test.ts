/**
 * @module The wire corners a real client trips on (docs/api-contract.md#corners):
 * HTTP Basic client authentication at the token endpoint, the `WWW-Authenticate`
 * challenge of a 401, a multipart upload refused with 415, links built from the
 * configured public URL and never from a client's headers, ISO times on project
 * versions, and the public URL resolver's order.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { startTestService, waitForTask, type TestService } from '../helpers/service.ts';
import { serveDocument } from '../helpers/contract-tools.ts';
import { makePdf } from '../helpers/fixtures.ts';
import { createProject, upload } from './contract.ts';
import { publicUrlResolver } from '../../src/api/public-url.ts';
import { ConfigError, readConfig } from '../../src/cli/config.ts';

type Json = Record<string, any>;

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('wire corners (sqlite)', () => {
  let s: TestService;
  let project: string;
  let pdf: Buffer;

  before(async () => {
    s = await startTestService('sqlite');
    project = await createProject(s, { name: 'Corners', validation: { mode: 'never' } });
    pdf = await makePdf(1);
  });
  after(async () => s?.close());

  const token = (init: RequestInit) => fetch(`${s.url}/oauth/token`, { method: 'POST', ...init });

  test('the token endpoint takes client_secret_basic as well as JSON and form bodies', async () => {
    const ok = await token({ headers: { authorization: basic(s.clientId, s.clientSecret), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    assert.equal(ok.status, 200);
    const t = (await ok.json()) as Json;
    assert.equal(t.token_type, 'Bearer');
    assert.equal((await s.api('/tasks', { token: t.access_token })).status, 200, 'the token works');
    assert.equal((await token({ headers: { authorization: basic(s.clientId, s.clientSecret) } })).status, 200, 'no body at all');
    const wrong = await token({ headers: { authorization: basic(s.clientId, 'not-the-secret') } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('www-authenticate'), 'Basic realm="docket"');
    assert.deepEqual(Object.keys((await wrong.json()) as Json).sort(), ['message', 'requestErrors']);
    const both = await token({ headers: { authorization: basic(s.clientId, s.clientSecret), 'content-type': 'application/json' }, body: JSON.stringify({ client_id: s.clientId, client_secret: s.clientSecret }) });
    assert.equal(both.status, 400, 'one method at a time (RFC 6749 §2.3.1)');
    const garbled = await token({ headers: { authorization: 'Basic !!!' } });
    assert.equal(garbled.status, 400);
    assert.ok(((await garbled.json()) as Json).requestErrors.authorization);
    const json = await token({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: s.clientId, client_secret: s.clientSecret }) });
    assert.equal(json.status, 200);
    const grant = await token({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', client_id: s.clientId, client_secret: s.clientSecret }) });
    assert.equal(grant.status, 400);
    assert.deepEqual(((await grant.json()) as Json).requestErrors.grant_type, ['must be equal to one of the allowed values: client_credentials']);
  });

  test('a 401 names the Bearer scheme, and says invalid_token when a token was sent', async () => {
    const none = await s.api('/tasks', { token: null });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="docket"');
    const bad = await s.api('/tasks', { token: 'no-such-token' });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('www-authenticate'), 'Bearer realm="docket", error="invalid_token"');
    assert.equal(((await bad.json()) as Json).type, '/problems/unauthorized');
  });

  test('a multipart/form-data upload is refused with 415 and no task', async () => {
    const before = ((await (await s.api(`/tasks?project_id=${project}`)).json()) as Json).tasks.length;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'invoice.pdf');
    const res = await s.api(`/tasks?project_id=${project}`, { method: 'POST', body: form });
    assert.equal(res.status, 415);
    const problem = (await res.json()) as Json;
    assert.equal(problem.type, '/problems/unsupported_media_type');
    assert.match(problem.detail, /file itself as the request body/);
    const after = ((await (await s.api(`/tasks?project_id=${project}`)).json()) as Json).tasks.length;
    assert.equal(after, before);
  });

  test('links are built from the listen address, whatever Host and X-Forwarded-Host say', async () => {
    const task = (await (await upload(s, project, pdf)).json()) as Json;
    await waitForTask(s, task.id, (t) => t.state === 'pending:start_client_action');
    const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    const spec = (await (await s.api(`/tasks/${task.id}/start_client_action?action=export`, { method: 'POST', headers: forged })).json()) as Json;
    assert.ok(spec.files.length > 0);
    for (const f of spec.files) assert.ok(f.url.startsWith(`${s.url}/tasks/${task.id}/files/`), f.url);
    const doc = (await (await fetch(`${s.url}/openapi.json`, { headers: forged })).json()) as Json;
    assert.deepEqual(doc.servers, [{ url: s.url }]);
  });

  test('a request the schema refuses gets a 400 problem naming the part and the values it takes', async () => {
    const res = await s.api(`/tasks?state=nope`);
    assert.equal(res.status, 400);
    const problem = (await res.json()) as Json;
    assert.equal(problem.type, '/problems/invalid_request');
    assert.match(problem.detail, /^querystring\/state .*: queued, running, pending:start_client_action/);
  });

  test('project versions carry ISO 8601 times like every other time', async () => {
    const p = (await (await s.api(`/projects/${project}`)).json()) as Json;
    assert.equal(p.versions.length, 1);
    assert.match(p.versions[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe('the public URL', () => {
  const request = (remoteAddress: string, headers: Record<string, string>) => ({
    headers,
    raw: { socket: { remoteAddress, localAddress: '10.1.2.3', localPort: 8080 } },
  }) as unknown as FastifyRequest;

  test('DOCKET_PUBLIC_URL wins; a trusted proxy\'s X-Forwarded-Host next; else the listen address', () => {
    const forwarded = { 'x-forwarded-host': 'docket.example.org', 'x-forwarded-proto': 'https', host: 'evil.example' };
    assert.equal(publicUrlResolver({ publicUrl: 'https://files.example.org/docket/', trustProxy: ['10.0.0.0/8'] })(request('10.0.0.9', forwarded)), 'https://files.example.org/docket');
    const behindProxy = publicUrlResolver({ trustProxy: ['10.0.0.0/8', '::1'] });
    assert.equal(behindProxy(request('10.0.0.9', forwarded)), 'https://docket.example.org');
    assert.equal(behindProxy(request('::ffff:10.0.0.9', forwarded)), 'https://docket.example.org', 'IPv4-mapped peers are matched');
    assert.equal(behindProxy(request('192.168.1.5', forwarded)), 'http://10.1.2.3:8080', 'an untrusted peer\'s headers are ignored');
    assert.equal(behindProxy(request('10.0.0.9', { 'x-forwarded-host': 'bad host/path' })), 'http://10.1.2.3:8080', 'a malformed host is not put in a link');
    assert.equal(publicUrlResolver({})(request('10.0.0.9', forwarded)), 'http://10.1.2.3:8080', 'no proxy is trusted by default');
  });

  test('DOCKET_PUBLIC_URL must be an http(s) URL, and names the servers of /openapi.json', async () => {
    assert.throws(() => readConfig({ DOCKET_PUBLIC_URL: 'docket.example.org' }), ConfigError);
    assert.throws(() => readConfig({ DOCKET_PUBLIC_URL: 'https://docket.example.org/?x=1' }), ConfigError);
    assert.equal(readConfig({ DOCKET_PUBLIC_URL: 'https://docket.example.org/' }).publicUrl, 'https://docket.example.org');
    const service = await serveDocument({ DOCKET_PUBLIC_URL: 'https://docket.example.org' });
    try {
      const doc = (await (await fetch(`${service.url}/openapi.json`)).json()) as Json;
      assert.deepEqual(doc.servers, [{ url: 'https://docket.example.org' }]);
    } finally {
      await service.close();
    }
  });
});
