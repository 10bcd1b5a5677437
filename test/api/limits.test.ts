/**
 * @module The HTTP server's limits against slow and greedy clients, over real sockets:
 * a slowloris client (headers one byte every second) is cut by the header timeout with
 * a 408 problem, a slow body is not (the header timeout bounds only the headers), the
 * connection over the per-address cap is dropped while the others keep working, and
 * oversized headers get a 431 problem+json.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startTestService, type TestService } from '../helpers/service.ts';

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the socket receives until it closes (or the deadline). */
function drain(socket: Socket, deadlineMs: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve({ text, closed: false }), deadlineMs);
    socket.on('data', (c: Buffer) => void (text += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('slow clients', () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('sqlite', { DOCKET_HEADERS_TIMEOUT_SECONDS: '2', DOCKET_WORKERS: '0' });
  });
  after(() => s.close());

  test('ten slowloris clients are all closed by the header timeout with a 408 problem', async () => {
    const started = Date.now();
    const clients = await Promise.all(Array.from({ length: 10 }, async () => {
      const socket = await open(s.url);
      const closed = drain(socket, 60_000).then((r) => ({ ...r, seconds: (Date.now() - started) / 1000 }));
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      return { socket, closed, sent: 0, done: false };
    }));
    for (const c of clients) void c.closed.then(() => void (c.done = true));
    // One byte a second on each: never idle, never done, until the server hangs up.
    while (clients.some((c) => !c.done) && Date.now() - started < 60_000) {
      await sleep(1000);
      for (const c of clients) {
        if (!c.done && c.socket.writable) {
          c.socket.write('a', () => undefined);
          c.sent++;
        }
      }
    }
    const results = await Promise.all(clients.map((c) => c.closed));
    for (const r of results) {
      assert.ok(r.closed, 'the server closed the connection');
      assert.match(r.text, /^HTTP\/1\.1 408 /);
      assert.match(r.text, /application\/problem\+json/);
      assert.match(r.text, /"type":"\/problems\/request_timeout"/);
    }
    const seconds = results.map((r) => r.seconds);
    // The limit is 2 s, checked every 0.5 s; a loaded machine may add a few seconds, not 100.
    assert.ok(Math.min(...seconds) >= 1.5 && Math.max(...seconds) < 30, `closed after ${seconds.join(', ')} s`);
    console.log(`slowloris: 10 clients closed after ${Math.min(...seconds).toFixed(1)}-${Math.max(...seconds).toFixed(1)} s, ${Math.max(...clients.map((c) => c.sent))} trickled bytes each at most (header timeout 2 s)`);
  });

  test('a slow body outlives the header timeout: the request timeout bounds it, not the header one', async () => {
    const socket = await open(s.url);
    const reply = drain(socket, 60_000);
    const body = JSON.stringify({ client_id: s.clientId, client_secret: s.clientSecret });
    socket.write(`POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    const third = Math.ceil(body.length / 3);
    for (let i = 0; i < 3; i++) {
      socket.write(body.slice(i * third, (i + 1) * third));
      await sleep(1500);
    }
    const result = await reply;
    assert.match(result.text, /^HTTP\/1\.1 200 /, result.text.slice(0, 200));
    assert.match(result.text, /access_token/);
  });

  test('headers over 16 KiB are answered 431 problem+json', async () => {
    const socket = await open(s.url);
    const reply = drain(socket, 30_000);
    socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const result = await reply;
    assert.match(result.text, /^HTTP\/1\.1 431 /);
    const json = JSON.parse(result.text.slice(result.text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    assert.equal(json.type, '/problems/headers_too_large');
    assert.equal(json.status, 431);
  });
});

describe('connections per address', () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('sqlite', { DOCKET_MAX_CONNECTIONS_PER_IP: '3', DOCKET_WORKERS: '0' });
  });
  after(() => s.close());

  test('the connection over the cap is dropped; the others still work', async () => {
    const sockets = [await open(s.url), await open(s.url), await open(s.url)];
    const extra = await open(s.url);
    const refused = await drain(extra, 30_000);
    assert.ok(refused.closed, 'the 4th connection from one address is closed');
    assert.equal(refused.text, '', 'and answered nothing');
    const first = sockets[0] as Socket;
    const reply = drain(first, 30_000);
    first.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match((await reply).text, /^HTTP\/1\.1 200 /);
    // A freed slot is taken again (once the server has seen the close: retried until a deadline).
    let text = '';
    for (const until = Date.now() + 30_000; !text.startsWith('HTTP/1.1 200') && Date.now() < until; await sleep(100)) {
      const again = await open(s.url);
      const answer = drain(again, 10_000);
      again.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', () => undefined);
      text = (await answer).text;
    }
    assert.match(text, /^HTTP\/1\.1 200 /);
    for (const sock of sockets) sock.destroy();
  });
});
