/**
 * @module The S3 connection of the S3 blob store: the client with the settings every
 * S3 implementation we test against needs, the mapping of its errors onto the
 * blob-store port's, and the check at start.
 *
 * - Checksums only when required: with the SDK's default (`WHEN_SUPPORTED`) a
 *   streamed PutObject body is sent aws-chunked with a trailing checksum, which Ceph
 *   RGW 16 refuses (411 MissingContentLength). Harmless against AWS.
 * - Retries: the SDK's standard mode (exponential backoff with jitter, on 5xx,
 *   throttling such as SlowDown/503 and 429, and network errors), `maxAttempts` in
 *   all. Timeouts: 5 s to connect, `requestTimeoutMs` of socket silence per request.
 * - Per request: the handler the middleware stack resolves to is built once per kind
 *   of command (`cacheMiddleware`, the SDK's own option since 3.649), not on every
 *   send, so no middleware may be added to a single command: the SHA-256 docket signs
 *   rides on the body (`signedSha256`) to one client-wide middleware.
 *   SDK HeadObject CPU in docket, same run, 4 in flight: see docs/deploy.md#sizing.
 * - Errors: a missing key becomes an `ENOENT` error as the filesystem store gives; a
 *   failed `If-None-Match: *` (412) becomes `BlobExistsError`; anything from the
 *   store's side (network, timeout, 5xx, throttling, refused credentials) becomes
 *   `BlobStoreUnavailableError`: the document is not at fault.
 */
import { CreateBucketCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { BlobExistsError, BlobStoreUnavailableError } from '../core/ports/blob-store.ts';

export interface S3Settings {
  bucket: string;
  /** Key prefix inside the bucket, without slashes at either end; '' = the bucket's root. */
  prefix: string;
  /** `DOCKET_S3_ENDPOINT`; undefined = AWS for `region`. */
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** Create the bucket at start when it is missing (`DOCKET_S3_CREATE_BUCKET=1`). */
  createBucket: boolean;
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

export function createS3Client(s: S3Settings): S3Client {
  const config: S3ClientConfig = {
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: s.maxAttempts ?? 4,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 5_000, requestTimeout: s.requestTimeoutMs ?? 30_000 },
    cacheMiddleware: true,
  };
  if (s.endpoint) config.endpoint = s.endpoint;
  const client = new S3Client(config);
  // Set before signing (the build step precedes finalizeRequest), so SigV4 signs the hash docket took instead of hashing the body again.
  client.middlewareStack.add((next) => async (args) => {
    const body = (args.request as { body?: unknown }).body;
    const sha256 = typeof body === 'object' && body !== null ? payloadSha256.get(body) : undefined;
    if (sha256) (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = sha256;
    return next(args);
  }, { step: 'build', name: 'docketPayloadSha256' });
  return client;
}

/** The SHA-256 of request bodies docket has hashed already, by the body (the SDK copies a command's input, not its body). */
const payloadSha256 = new WeakMap<object, string>();

/** Marks a command input whose body's SHA-256 is `sha256`: the request is signed with it. */
export function signedSha256<T extends { Body: Uint8Array }>(input: T, sha256: string): T {
  payloadSha256.set(input.Body, sha256);
  return input;
}

interface SdkError {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** How many times the SDK sent the request that ended in `err` (retries included). */
export function attemptsOf(err: unknown): number {
  return (err as SdkError | null)?.$metadata?.attempts ?? 1;
}

export function statusOf(err: unknown): number | undefined {
  return (err as SdkError | null)?.$metadata?.httpStatusCode;
}

/** The error a caller of the port sees for an SDK error on `key`. */
export function mapS3Error(err: unknown, key: string): unknown {
  const e = (err ?? {}) as SdkError;
  const status = statusOf(err);
  if (e.name === 'NoSuchKey' || e.name === 'NotFound' || status === 404) {
    if (e.name === 'NoSuchBucket') return new BlobStoreUnavailableError(`the S3 bucket is gone (${key})`, { cause: err });
    return Object.assign(new Error(`no blob at ${key}`), { code: 'ENOENT', cause: err });
  }
  if (status === 412 || e.name === 'PreconditionFailed') return Object.assign(new BlobExistsError(key), { cause: err });
  if (status === undefined || status >= 500 || status === 429 || status === 401 || status === 403) {
    const what = status === undefined ? (e.name ?? 'no answer') : `${status} ${e.name ?? ''}`.trim();
    return new BlobStoreUnavailableError(`the S3 store failed (${what}) on ${key}`, { cause: err });
  }
  return err;
}

/** A sentence for an operator about why the store could not be opened. */
function explainStart(err: unknown, s: S3Settings): string {
  const e = (err ?? {}) as SdkError & { message?: string; code?: string };
  const where = s.endpoint ?? `AWS S3 (${s.region})`;
  switch (e.name) {
    case 'InvalidAccessKeyId':
      return `S3 at ${where} does not know the access key (AWS_ACCESS_KEY_ID): check the credentials`;
    case 'SignatureDoesNotMatch':
      return `S3 at ${where} refused the secret key (AWS_SECRET_ACCESS_KEY): check the credentials`;
    case 'AccessDenied':
      return `S3 at ${where} denies access to bucket ${s.bucket}: the credentials need list, read, write and delete rights on it`;
    case 'CredentialsProviderError':
      return `no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or another source of the AWS SDK's standard chain)`;
  }
  if (statusOf(err) === undefined) return `S3 at ${where} does not answer (${e.code ?? e.name ?? e.message ?? 'no answer'}): check DOCKET_S3_ENDPOINT`;
  return `S3 at ${where} answered ${statusOf(err)} ${e.name ?? ''} for bucket ${s.bucket}`.trim();
}

/**
 * Lists one key of the prefix: this proves the endpoint answers, the credentials are
 * accepted and the bucket exists. A missing bucket is created when allowed.
 */
export async function checkS3AtStart(client: S3Client, s: S3Settings): Promise<void> {
  const probe = () => client.send(new ListObjectsV2Command({ Bucket: s.bucket, Prefix: s.prefix ? `${s.prefix}/` : undefined, MaxKeys: 1 }));
  try {
    await probe();
  } catch (err) {
    if ((err as SdkError).name !== 'NoSuchBucket') throw new BlobStoreUnavailableError(explainStart(err, s), { cause: err });
    if (!s.createBucket) {
      throw new BlobStoreUnavailableError(`the S3 bucket ${s.bucket} does not exist: create it, or set DOCKET_S3_CREATE_BUCKET=1 to let docket create it`, { cause: err });
    }
    try {
      await client.send(new CreateBucketCommand({ Bucket: s.bucket }));
      await probe();
    } catch (again) {
      if ((again as SdkError).name !== 'BucketAlreadyOwnedByYou') throw new BlobStoreUnavailableError(`could not create the S3 bucket ${s.bucket}: ${explainStart(again, s)}`, { cause: again });
    }
  }
}
