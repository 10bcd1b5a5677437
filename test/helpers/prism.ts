/**
 * @module Stoplight Prism in strict proxy mode (`prism proxy --errors`) in front of a
 * running service, with the service's own `/openapi.json`: every request and
 * answer that passes through is checked against the document, and a violation
 * becomes an error answer (Prism's `…/prism/errors#…` problem) or, for one that is
 * not an error, an `sl-violations` header. Both are collected, so a suite can
 * assert there were none.
 *
 * A request the suite sends invalid on purpose (an unknown `action`, `limit=0`, no
 * token) is refused by Prism itself (422 `UNPROCESSABLE_ENTITY`, 401 `UNAUTHORIZED`)
 * before docket sees it: the
 * document forbids it, as it should. Such a request is recorded as refused and sent
 * to the service directly, so the suite still checks docket's own answer.
 *
 * Prism reads every request body that is not JSON as UTF-8 text, which mangles a
 * binary file (an uploaded PDF arrives `corrupt_file`), so a request with a binary
 * body goes straight to the service too, and is counted; the suite checks uploads
 * through Prism with a text body (contract-prism.test.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath } from './contract-tools.ts';

export interface Violation {
  method: string;
  path: string;
  detail: string;
}

export interface PrismProxy {
  url: string;
  /** Answers with a violation (an error Prism made of it, or an sl-violations header). */
  violations: Violation[];
  /** Requests Prism refused as invalid before they reached the service (sent there directly instead). */
  refused: { method: string; path: string; status: number }[];
  /** Requests that went through Prism. */
  requests: number;
  /** Requests with a binary body, sent straight to the service. */
  binary: number;
  /** fetch through Prism, falling back to the service for a request the document refuses. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}: ${output()}`);
    try {
      await fetch(`${url}/health`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`prism did not listen within 120 s: ${output()}`);
}

const PRISM_ERROR = /^https:\/\/stoplight\.io\/prism\/errors#/;
const REQUEST_REFUSALS = ['#UNPROCESSABLE_ENTITY', '#UNAUTHORIZED'];

export async function startPrism(serviceUrl: string): Promise<PrismProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-prism-'));
  const document = join(dir, 'openapi.json');
  await writeFile(document, await (await fetch(`${serviceUrl}/openapi.json`)).text());
  const port = await freePort();
  const child = spawn(toolPath('prism'), ['proxy', document, serviceUrl, '--errors', '--port', String(port), '--host', '127.0.0.1', '-v', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, child, () => log);

  const proxy: PrismProxy = {
    url,
    violations: [],
    refused: [],
    requests: 0,
    binary: 0,
    async fetch(path, init = {}) {
      const method = init.method ?? 'GET';
      if (init.body instanceof Uint8Array || init.body instanceof ArrayBuffer || init.body instanceof Blob || init.body instanceof ReadableStream) {
        proxy.binary++;
        return fetch(`${serviceUrl}${path}`, init);
      }
      proxy.requests++;
      const res = await fetch(`${url}${path}`, init);
      const header = res.headers.get('sl-violations');
      if (header) proxy.violations.push({ method, path, detail: header });
      if (!/problem\+json/.test(res.headers.get('content-type') ?? '')) return res;
      const body = (await res.clone().json().catch(() => null)) as { type?: string; validation?: unknown } | null;
      if (!body?.type || !PRISM_ERROR.test(body.type)) return res;
      // An invalid request (422) or one without the credentials the document asks for (401): refused before docket.
      if (REQUEST_REFUSALS.some((r) => body.type?.endsWith(r))) {
        const direct = await fetch(`${serviceUrl}${path}`, init);
        proxy.refused.push({ method, path, status: direct.status });
        return direct;
      }
      proxy.violations.push({ method, path, detail: JSON.stringify(body) });
      return res;
    },
    async close() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    },
  };
  return proxy;
}
