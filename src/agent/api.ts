/**
 * @module The agent's only way to the server: HTTP with OAuth client credentials
 * (docs/architecture.md#http-api). The token is refreshed before it expires (at 90 % of its life, or a
 * minute before, whichever is earlier) and once more on a 401. When the server is
 * unreachable or answers 502/503/504, every caller waits behind one shared gate that
 * backs off exponentially, so a stopped server sees one probe at a time, not a storm.
 */
import { Readable } from 'node:stream';
import { Backoff } from '../shared/backoff.ts';

/** The server answered with an error status; `detail` comes from the problem body. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly body: unknown;
  constructor(status: number, detail: string, body: unknown) {
    super(`HTTP ${status}: ${detail}`);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.body = body;
  }
}

/** The server could not be reached, or said it is unavailable. Always worth retrying. */
export class Unavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unavailable';
  }
}

export interface ApiOptions {
  server: string;
  clientId: string;
  clientSecret: string;
  /** Called when the gate closes (with the wait) and opens again (null). */
  onGate?: (waitMs: number | null, reason: string) => void;
  signal?: AbortSignal;
}

interface RequestOptions {
  method?: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

export class ApiClient {
  readonly #o: ApiOptions;
  readonly #backoff = new Backoff({ baseMs: 500, maxMs: 30_000 });
  #token: { value: string; refreshAt: number } | null = null;
  #tokenPromise: Promise<string> | null = null;
  #openAt = 0;

  constructor(options: ApiOptions) {
    this.#o = options;
  }

  /** Sends one request; resolves with a successful response, throws ApiError or (after the signal aborts) Unavailable. */
  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      await this.#waitForGate();
      const token = await this.#tokenValue();
      const res = await this.#fetch(path, options, token);
      if (res === null) continue;
      if (res.status === 401 && attempt === 0) {
        this.#token = null;
        continue;
      }
      if (res.ok) return res;
      throw await toApiError(res);
    }
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await (await this.request(path, options)).json()) as T;
  }

  /** The response body of a download as a Node stream. */
  async download(path: string): Promise<Readable> {
    const res = await this.request(path);
    if (!res.body) return Readable.from([]);
    return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  }

  async #waitForGate(): Promise<void> {
    const wait = this.#openAt - Date.now();
    if (wait > 0) await sleep(wait, this.#o.signal);
    if (this.#o.signal?.aborted) throw new Unavailable('the agent is stopping');
  }

  /** The response, or null after a network failure or 502/503/504 (the gate is then closed). */
  async #fetch(path: string, options: RequestOptions, token: string | null): Promise<Response | null> {
    const url = new URL(this.#o.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...options.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(url, { method: options.method ?? 'GET', headers, body: options.body ?? null, signal: this.#o.signal ?? null });
    } catch (err) {
      if (this.#o.signal?.aborted) throw new Unavailable('the agent is stopping');
      this.#closeGate(`cannot reach ${this.#o.server}: ${causeOf(err)}`);
      return null;
    }
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      await res.body?.cancel();
      this.#closeGate(`the server answered ${res.status}`);
      return null;
    }
    if (this.#backoff.failures > 0) {
      this.#backoff.succeed();
      this.#o.onGate?.(null, 'the server answers again');
    }
    return res;
  }

  #closeGate(reason: string): void {
    const wait = this.#backoff.fail();
    this.#openAt = Math.max(this.#openAt, Date.now() + wait);
    this.#o.onGate?.(wait, reason);
  }

  async #tokenValue(): Promise<string> {
    if (this.#token && Date.now() < this.#token.refreshAt) return this.#token.value;
    this.#tokenPromise ??= this.#fetchToken().finally(() => { this.#tokenPromise = null; });
    return this.#tokenPromise;
  }

  async #fetchToken(): Promise<string> {
    for (;;) {
      await this.#waitForGate();
      const body = JSON.stringify({ grant_type: 'client_credentials', client_id: this.#o.clientId, client_secret: this.#o.clientSecret });
      const res = await this.#fetch('/oauth/token', { method: 'POST', body, headers: { 'content-type': 'application/json' } }, null);
      if (res === null) continue;
      if (!res.ok) throw await toApiError(res);
      const t = (await res.json()) as { access_token: string; expires_in?: number };
      const lifeMs = (t.expires_in ?? 3600) * 1000;
      this.#token = { value: t.access_token, refreshAt: Date.now() + Math.min(lifeMs * 0.9, lifeMs - 60_000) };
      return t.access_token;
    }
  }
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // A non-JSON error body is reported as its text.
  }
  const b = body as { detail?: string; message?: string; title?: string } | string;
  const detail = typeof b === 'string' ? b.slice(0, 500) : (b.detail ?? b.message ?? b.title ?? res.statusText);
  return new ApiError(res.status, detail, body);
}
