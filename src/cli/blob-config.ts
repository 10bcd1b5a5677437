/**
 * @module Where blobs live, read from the environment with the rest of the
 * configuration (config.ts): the filesystem store under the data folder by default,
 * or an S3 bucket when `DOCKET_BLOB_URL=s3://bucket/prefix` (docs/deploy.md lists
 * every variable). Credentials are not read here: the AWS SDK's standard chain finds
 * them (AWS_ACCESS_KEY_ID…, a profile, an instance role).
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isBlobKey } from '../core/ports/blob-store.ts';
import type { S3Settings } from '../store/s3-client.ts';

export type BlobConfig = { kind: 'fs'; root: string } | ({ kind: 's3' } & S3Settings);

export interface BlobSettings {
  blob: BlobConfig;
  /** Per-process scratch folders go under this (`DOCKET_SCRATCH_DIR`). */
  scratchDir: string;
}

type Env = Record<string, string | undefined>;

/** Bucket names as S3 allows them (3–63 lower-case letters, digits, dots and hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function flag(env: Env, name: string, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  problems.push(`${name}=${raw}: must be 1 or 0`);
  return false;
}

/** Parses `s3://bucket/prefix`; `problems` gets what is wrong with it. */
export function parseBlobUrl(url: string, env: Env, problems: string[]): BlobConfig | null {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m) {
    problems.push(`DOCKET_BLOB_URL=${url}: must be s3://bucket or s3://bucket/prefix (leave it unset for the data folder)`);
    return null;
  }
  const bucket = m[1] as string;
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (!BUCKET.test(bucket)) problems.push(`DOCKET_BLOB_URL: ${bucket} is not a valid bucket name`);
  if (prefix !== '' && !isBlobKey(prefix)) problems.push(`DOCKET_BLOB_URL: the prefix ${prefix} may hold only letters, digits, '_', '-', '.' and '/'`);
  const endpoint = env.DOCKET_S3_ENDPOINT || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+\/?$/.test(endpoint)) problems.push(`DOCKET_S3_ENDPOINT=${endpoint}: must be http(s)://host[:port]`);
  return {
    kind: 's3', bucket, prefix, endpoint,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    forcePathStyle: flag(env, 'DOCKET_S3_FORCE_PATH_STYLE', problems),
    createBucket: flag(env, 'DOCKET_S3_CREATE_BUCKET', problems),
  };
}

export function readBlobSettings(env: Env, dataDir: string, problems: string[]): BlobSettings {
  const url = env.DOCKET_BLOB_URL || '';
  const blob = url === '' ? null : parseBlobUrl(url, env, problems);
  return {
    blob: blob ?? { kind: 'fs', root: join(dataDir, 'blobs') },
    scratchDir: resolve(env.DOCKET_SCRATCH_DIR || join(tmpdir(), 'docket-scratch')),
  };
}
