/**
 * @module The HTTP contract suite (contract.ts: the full task lifecycle and its error
 * cases) run through Stoplight Prism in strict proxy mode (`prism proxy --errors`)
 * with the service's own `/openapi.json`: every request and answer is checked
 * against the document, and the suite ends by asserting there was no violation.
 * Downloads go straight to the service (Prism re-encodes binary answers); requests
 * the suite makes invalid on purpose are refused by Prism, as the document says,
 * and docket's own answer to them is checked directly (helpers/prism.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiContract } from './contract.ts';
import { skipWithoutTools } from '../helpers/contract-tools.ts';
import { startPrism, type PrismProxy } from '../helpers/prism.ts';

const skip = skipWithoutTools('prism');
let prism: PrismProxy | undefined;
let tokens: { status: number; type: string }[] = [];
let uploadStatuses: number[] = [];
let noticed = 0;

// 20 rounds of the 8-way race instead of 200: each request through Prism costs it a validation.
apiContract('sqlite', skip, {
  rounds: 20,
  front: async (service) => {
    const proxy = await startPrism(service.url);
    prism = proxy;
    // The token endpoint through Prism too, in each form a client may use.
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: service.clientId, client_secret: service.clientSecret });
    const basic = `Basic ${Buffer.from(`${service.clientId}:${service.clientSecret}`).toString('base64')}`;
    const answers = await Promise.all([
      proxy.fetch('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: service.clientId, client_secret: service.clientSecret }) }),
      proxy.fetch('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }),
      proxy.fetch('/oauth/token', { method: 'POST', headers: { authorization: basic } }),
      proxy.fetch('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: service.clientId, client_secret: 'wrong-secret' }) }),
    ]);
    tokens = answers.map((r) => ({ status: r.status, type: r.headers.get('content-type') ?? '' }));
    // Uploads through Prism with a text body (a binary one would be mangled, see helpers/prism.ts): created, and refused.
    const auth = { authorization: `Bearer ${await service.token()}` };
    const upload = (headers: Record<string, string>, body?: string) => proxy.fetch(`/tasks?project_id=${service.demoProjectId}`, { method: 'POST', headers: { ...auth, ...headers }, ...(body === undefined ? {} : { body }) });
    const uploads = await Promise.all([
      upload({ 'content-type': 'application/octet-stream', 'x-aluma-tags': 'file_name=note.txt' }, 'not a document, so the task fails; the answer is what is checked'),
      upload({ 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--x--\r\n'),
      upload({ 'content-type': 'application/pdf', 'x-aluma-tags': 'broken' }, 'x'),
    ]);
    uploadStatuses = uploads.map((r) => r.status);
    // The counting itself is checked: a route the document does not list (the problem pages) is a violation.
    await proxy.fetch('/problems/not_found');
    noticed = proxy.violations.splice(0).length;
    return { name: 'prism', fetch: (path, init) => proxy.fetch(path, init), close: () => proxy.close() };
  },
});

describe('Prism --errors over the contract suite', { skip }, () => {
  test('0 violations', () => {
    assert.ok(prism, 'the suite ran through Prism');
    const refused = prism.refused.map((r) => `${r.method} ${r.path} → docket ${r.status}`);
    process.stdout.write(`prism: ${prism.requests} requests, ${prism.violations.length} violations; ${prism.binary} uploads with a binary body sent straight to docket; refused as invalid by the document (docket answers them itself): ${refused.join('; ') || 'none'}\n`);
    assert.equal(noticed, 1, 'Prism\'s violations are seen (an undocumented route counted once)');
    assert.deepEqual(prism.violations, []);
    assert.deepEqual(tokens.map((t) => t.status), [200, 200, 200, 401], 'the token endpoint through Prism: JSON, form, Basic, a wrong secret');
    assert.deepEqual(uploadStatuses, [202, 415, 400], 'uploads through Prism: created, multipart refused, malformed tags');
    // Every request the document refuses, docket refuses too: the two agree on what is invalid.
    for (const r of prism.refused) assert.ok(r.status >= 400 && r.status < 500, `${r.method} ${r.path}: docket answered ${r.status}`);
  });
});
