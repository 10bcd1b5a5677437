/**
 * @module Configuration, read once from the environment at start and checked whole:
 * every problem is reported together, then each part gets its typed slice. Nothing
 * else in docket reads `process.env`.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_DISK_FLOOR, type DiskFloorSettings } from '../core/disk-space.ts';
import type { HttpLimits } from '../api/limits.ts';
import { isIP } from 'node:net';
import { readBlobSettings, type BlobSettings } from './blob-config.ts';

export interface Config extends BlobSettings {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  bootstrapClientId: string | undefined;
  bootstrapClientSecret: string | undefined;
  maxUploadBytes: number;
  /** Uploads are refused while the data folder has less free space than this floor. */
  diskFloor: DiskFloorSettings;
  maxJsonBytes: number;
  workers: number;
  leaseMs: number;
  pollMs: number;
  maxAttempts: number;
  retentionMs: number;
  sweepMs: number;
  /** Blobs of no task older than this are removed, every `orphanSweepMs` (an upload whose row is being written is younger). */
  orphanGraceMs: number;
  orphanSweepMs: number;
  tokenTtlMs: number;
  /** Proxies whose X-Forwarded-For / -Proto / -Host are believed: addresses or CIDRs; empty = none. */
  trustProxy: string[];
  /** The address links are built from (DOCKET_PUBLIC_URL, an http(s) origin with an optional path); undefined = the listen address. */
  publicUrl: string | undefined;
  ocr: 'auto' | 'native' | 'tesseract.js';
  logLevel: string;
  /** HTTP limits against slow and greedy clients (api/limits.ts says what each bounds). */
  http: HttpLimits;
  /** Bearer token that opens GET /metrics; undefined = /metrics answers 404. */
  metricsToken: string | undefined;
  /** Bearer token of the operator API (/operator/*); undefined = those routes answer 404. */
  operatorToken: string | undefined;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function readConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${raw}: must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL: must be a postgres:// URL (leave it unset for the embedded SQLite store)');
  const bootstrapClientId = env.DOCKET_BOOTSTRAP_CLIENT_ID || undefined;
  const bootstrapClientSecret = env.DOCKET_BOOTSTRAP_CLIENT_SECRET || undefined;
  if ((bootstrapClientId === undefined) !== (bootstrapClientSecret === undefined)) problems.push('DOCKET_BOOTSTRAP_CLIENT_ID and DOCKET_BOOTSTRAP_CLIENT_SECRET must be set together');
  if (bootstrapClientSecret !== undefined && bootstrapClientSecret.length < 12) problems.push('DOCKET_BOOTSTRAP_CLIENT_SECRET: must be at least 12 characters');
  const trustProxy = (env.DOCKET_TRUST_PROXY ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  for (const entry of trustProxy) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !okBits || extra !== undefined) problems.push(`DOCKET_TRUST_PROXY: ${entry} is not an IP address or CIDR (e.g. 10.0.0.1, 10.0.0.0/8, ::1)`);
  }
  const publicUrl = env.DOCKET_PUBLIC_URL || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicUrl)) problems.push(`DOCKET_PUBLIC_URL=${publicUrl}: must be an http:// or https:// URL without query or fragment (e.g. https://docket.example.org)`);
  const ocr = env.DOCKET_OCR || 'auto';
  if (!['auto', 'native', 'tesseract.js'].includes(ocr)) problems.push(`DOCKET_OCR=${ocr}: must be auto, native or tesseract.js`);
  const secret = (name: string): string | undefined => {
    const value = env[name] || undefined;
    if (value !== undefined && value.length < 16) problems.push(`${name}: must be at least 16 characters`);
    return value;
  };
  const http: HttpLimits = {
    headersTimeoutMs: int('DOCKET_HEADERS_TIMEOUT_SECONDS', 20, 1, 3600) * 1000,
    requestTimeoutMs: int('DOCKET_REQUEST_TIMEOUT_SECONDS', 3600, 0, 86_400) * 1000,
    idleTimeoutMs: int('DOCKET_IDLE_TIMEOUT_SECONDS', 120, 0, 86_400) * 1000,
    keepAliveTimeoutMs: int('DOCKET_KEEP_ALIVE_TIMEOUT_SECONDS', 72, 1, 3600) * 1000,
    maxConnectionsPerIp: int('DOCKET_MAX_CONNECTIONS_PER_IP', 128, 0, 1_000_000),
  };
  if (http.requestTimeoutMs > 0 && http.requestTimeoutMs < http.headersTimeoutMs) {
    problems.push('DOCKET_REQUEST_TIMEOUT_SECONDS: must be 0 (none) or at least DOCKET_HEADERS_TIMEOUT_SECONDS');
  }
  const dataDir = resolve(env.DOCKET_DATA_DIR || './data');
  const config: Config = {
    ...readBlobSettings(env, dataDir, problems),
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl,
    bootstrapClientId,
    bootstrapClientSecret,
    maxUploadBytes: int('DOCKET_MAX_UPLOAD_BYTES', 200 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
    diskFloor: {
      minFreeBytes: int('DOCKET_MIN_FREE_BYTES', DEFAULT_DISK_FLOOR.minFreeBytes, 0, Number.MAX_SAFE_INTEGER),
      minFreePercent: int('DOCKET_MIN_FREE_PERCENT', DEFAULT_DISK_FLOOR.minFreePercent, 0, 100),
    },
    maxJsonBytes: int('DOCKET_MAX_JSON_BYTES', 50 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
    workers: int('DOCKET_WORKERS', availableParallelism(), 0, 256),
    leaseMs: int('DOCKET_LEASE_SECONDS', 30, 1, 86_400) * 1000,
    pollMs: int('DOCKET_POLL_MS', 5000, 10, 600_000),
    maxAttempts: int('DOCKET_MAX_ATTEMPTS', 3, 1, 100),
    retentionMs: int('DOCKET_RETENTION_HOURS', 72, 0, 24 * 365) * 3_600_000,
    sweepMs: int('DOCKET_SWEEP_MS', 1000, 10, 600_000),
    orphanGraceMs: int('DOCKET_ORPHAN_GRACE_SECONDS', 3600, 10, 30 * 86_400) * 1000,
    orphanSweepMs: int('DOCKET_ORPHAN_SWEEP_SECONDS', 60, 1, 86_400) * 1000,
    tokenTtlMs: int('DOCKET_TOKEN_TTL_SECONDS', 86_400, 60, 30 * 86_400) * 1000,
    trustProxy,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    ocr: ocr as Config['ocr'],
    logLevel: env.LOG_LEVEL || 'info',
    http,
    metricsToken: secret('DOCKET_METRICS_TOKEN'),
    operatorToken: secret('DOCKET_OPERATOR_TOKEN'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
