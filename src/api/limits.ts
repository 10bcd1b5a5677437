/**
 * @module The HTTP server's limits against slow and greedy clients, the answer a client
 * gets when Node refuses its request before Fastify sees it, and the refusal of paths
 * with dot segments. What each limit bounds:
 *
 * - `headersTimeoutMs` (Node `server.headersTimeout`): from a request's first byte to
 *   the end of its headers. A slowloris client that sends one header byte every few
 *   seconds is cut here, whatever its pace.
 * - `requestTimeoutMs` (Node `server.requestTimeout`, Fastify `requestTimeout`): the
 *   whole request, body included. It is the upload's wall-clock budget, so it must
 *   exceed the largest upload over the slowest link served: 200 MB at 0.5 Mbit/s is
 *   53 min, hence the 1 h default; 0 removes it and leaves the idle timeout alone.
 * - `idleTimeoutMs` (Fastify `connectionTimeout`, Node `server.timeout`): a socket with
 *   no byte in either direction for this long is closed. A legitimate slow upload
 *   keeps bytes flowing and is never idle; a stalled body is.
 * - `keepAliveTimeoutMs` (Fastify `keepAliveTimeout`): an idle kept-alive connection
 *   between requests. Fastify's 72 s default outlives the 60 s idle timeout of common
 *   load balancers, which must close first.
 * - `maxConnectionsPerIp`: open sockets per remote address; the one over the cap is
 *   destroyed on arrival. Behind a reverse proxy every socket comes from the proxy, so
 *   raise it (or set 0) there and let the proxy cap clients.
 *
 * Node checks the header and request timeouts every `connectionsCheckingInterval`
 * (default 30 s); it is set to a quarter of the header timeout so a cut comes close
 * to the limit (Node docs, http.createServer options).
 */
import type { Server, ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import { PROBLEMS, Problem, problemType, type ProblemCode } from '../core/errors.ts';

export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnectionsPerIp: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 3_600_000,
  idleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 72_000,
  maxConnectionsPerIp: 128,
};

/** The Fastify factory options that carry the limits. */
export function serverOptions(limits: HttpLimits) {
  const http: ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(limits.headersTimeoutMs / 4))),
  };
  return {
    http,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    clientErrorHandler: answerClientError,
  };
}

/** Counts sockets per remote address and destroys the one over `max` (0 = no cap). */
export function capConnectionsPerIp(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

function problemOf(err: NodeJS.ErrnoException): ProblemCode {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 'headers_too_large';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout';
  return 'invalid_request';
}

/**
 * Node's 'clientError' (a request it could not parse, headers over 16 KiB, a request
 * that ran out of time): answered as problem+json like every other error, then the
 * socket is closed, since the rest of its bytes cannot be trusted.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code = problemOf(err);
  const { status, title } = PROBLEMS[code];
  const detail = code === 'headers_too_large' ? 'the request headers are larger than 16 KiB'
    : code === 'request_timeout' ? 'the request was not received in time' : 'the request could not be parsed as HTTP/1.1';
  const body = JSON.stringify({ type: problemType(code), title, status, detail });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/** `.` or `..` as a path segment, plain or percent-encoded (RFC 3986 §5.2.4 removes them; we refuse them). */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * A path with dot segments names no route of ours, but a prefix check (`/app` is
 * public) or a static file lookup could read it as another: it is answered 404 before
 * authentication and routing see it.
 */
export function refuseDotSegments(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0] ?? '';
    if (DOT_SEGMENT.test(path)) throw new Problem('not_found', 'no route for a path with . or .. segments');
  });
}
