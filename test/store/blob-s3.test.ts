/**
 * @module The S3 blob store under the blob-store contract (blob-contract.ts), against a
 * real Ceph RGW (test/helpers/s3.ts), with 5 MiB parts so the contract's 11 MB blobs
 * go multipart; plus what only S3 has: the check at start (a wrong key, a missing
 * bucket, an endpoint that does not answer, each a clear error before any upload),
 * `DOCKET_S3_CREATE_BUCKET`, the key prefix, the scratch copy's clean-up, and the
 * SHA-256 docket takes reaching each request's signature through the SDK's cached
 * handlers (RGW checks it against the body).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMultipartUploadCommand, DeleteBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { BlobStoreUnavailableError } from '../../src/core/ports/blob-store.ts';
import { KEEP_CREATED, openS3BlobStore, type S3BlobOptions } from '../../src/store/blob-s3.ts';
import { createScratch } from '../../src/store/scratch.ts';
import { createS3Client, signedSha256 } from '../../src/store/s3-client.ts';
import { deleteTaskBlobs } from '../../src/core/purge.ts';
import { createTestBucket, s3Client, skipS3, testS3, type S3Env, type TestBucket } from '../helpers/s3.ts';
import { blobContract } from './blob-contract.ts';

function options(env: S3Env, bucket: string, prefix: string, scratchRoot: string): S3BlobOptions {
  return {
    bucket, prefix, endpoint: env.DOCKET_S3_ENDPOINT, region: env.AWS_REGION, forcePathStyle: true, createBucket: false,
    scratch: createScratch(scratchRoot), partSize: 5 * 1024 * 1024,
  };
}

/** The SDK's standard chain reads these; each test sets what it needs and puts them back. */
async function withCredentials<T>(env: S3Env, fn: () => Promise<T>, secret = env.AWS_SECRET_ACCESS_KEY, key = env.AWS_ACCESS_KEY_ID): Promise<T> {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = key;
  process.env.AWS_SECRET_ACCESS_KEY = secret;
  try {
    return await fn();
  } finally {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  }
}

blobContract('S3 (Ceph RGW)', async () => {
  const bucket = await createTestBucket();
  const scratch = await mkdtemp(join(tmpdir(), 'docket-scratch-test-'));
  // Created uploads kept for a worker, as `docket serve` with workers does: the contract holds with them.
  const blobs = await withCredentials(bucket.env, () => openS3BlobStore({ ...options(bucket.env, bucket.bucket, 'site-a', scratch), keepCreated: KEEP_CREATED }));
  const client = s3Client(bucket.env);
  return {
    blobs,
    async leaveInterruptedWrite() {
      await client.send(new CreateMultipartUploadCommand({ Bucket: bucket.bucket, Key: 'site-a/uploads/cut-off' }));
    },
    async drop() {
      await blobs.close();
      client.destroy();
      assert.deepEqual(await readdir(scratch), [], 'close removes the scratch folder');
      await rm(scratch, { recursive: true, force: true });
      await bucket.drop();
    },
  };
}, skipS3);

describe('S3 store: checked at start, prefixed, scratch cleaned', async () => {
  const reason = await skipS3();
  let bucket: TestBucket;
  let scratch: string;
  before(async () => {
    if (reason) return;
    bucket = await createTestBucket();
    scratch = await mkdtemp(join(tmpdir(), 'docket-scratch-test-'));
  });
  after(async () => {
    if (reason) return;
    await bucket.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  test('a wrong secret or an unknown key fails at start, naming the credentials', { skip: reason }, async () => {
    const env = bucket.env;
    await assert.rejects(withCredentials(env, () => openS3BlobStore(options(env, bucket.bucket, '', scratch)), 'wrong-secret-0000000000000000000000000000'),
      (err: Error) => err instanceof BlobStoreUnavailableError && /refused the secret key \(AWS_SECRET_ACCESS_KEY\)/.test(err.message));
    await assert.rejects(withCredentials(env, () => openS3BlobStore(options(env, bucket.bucket, '', scratch)), undefined, 'NOSUCHKEY00000000000'),
      (err: Error) => err instanceof BlobStoreUnavailableError && /does not know the access key/.test(err.message));
  });

  test('an endpoint that does not answer fails at start within seconds', { skip: reason }, async () => {
    const t0 = Date.now();
    const o = { ...options(bucket.env, bucket.bucket, '', scratch), endpoint: 'http://127.0.0.1:9', maxAttempts: 2 };
    await assert.rejects(withCredentials(bucket.env, () => openS3BlobStore(o)), /does not answer .*ECONNREFUSED.*DOCKET_S3_ENDPOINT/);
    assert.ok(Date.now() - t0 < 15_000);
  });

  test('a missing bucket is an error at start, or created with createBucket', { skip: reason }, async () => {
    const name = `${bucket.bucket}-new`;
    const o = options(bucket.env, name, 'p', scratch);
    await assert.rejects(withCredentials(bucket.env, () => openS3BlobStore(o)), /bucket .* does not exist: create it, or set DOCKET_S3_CREATE_BUCKET=1/);
    const blobs = await withCredentials(bucket.env, () => openS3BlobStore({ ...o, createBucket: true }));
    await blobs.check();
    await blobs.close();
    const client = s3Client(bucket.env);
    await client.send(new DeleteBucketCommand({ Bucket: name }));
    client.destroy();
  });

  test('keys live under the prefix; a local copy is a scratch file gone at release', { skip: reason }, async () => {
    const blobs = await withCredentials(bucket.env, () => openS3BlobStore(options(bucket.env, bucket.bucket, 'one/two', scratch)));
    try {
      await blobs.put('uploads/t1', Buffer.from('%PDF-1.7 x'));
      assert.deepEqual(await bucket.keys(), ['one/two/uploads/t1']);
      const local = await blobs.localFile('uploads/t1');
      assert.ok(local.path.startsWith(scratch));
      assert.equal((await stat(local.path)).size, 10);
      await local.release();
      await assert.rejects(stat(local.path));
    } finally {
      await blobs.close();
    }
    assert.deepEqual(await readdir(scratch), []);
  });

  test('a created upload is kept for this process\'s next taker: no download, gone at its release, after the bound, or past the bytes', { skip: reason }, async () => {
    const ops: string[] = [];
    const o = { ...options(bucket.env, bucket.bucket, 'keep', scratch), keepCreated: { ms: 300, bytes: 5000 }, observe: (op: string) => ops.push(op) };
    const blobs = await withCredentials(bucket.env, () => openS3BlobStore(o));
    const gets = () => ops.filter((op) => op === 'get').length;
    try {
      const body = Buffer.from('%PDF-1.7 kept');
      await blobs.put('uploads/k1', body, { create: true });
      const a = await blobs.localFile('uploads/k1');
      assert.deepEqual(await readFile(a.path), body);
      assert.equal(gets(), 0, 'the worker\'s copy is the bytes this process received');
      await a.release();
      await assert.rejects(stat(a.path), 'the taker inherited the hold: its release removes the copy');
      const b = await blobs.localFile('uploads/k1');
      assert.equal(gets(), 1, 'a later taker downloads');
      await b.release();
      await blobs.put('uploads/k2', body, { create: true });
      await blobs.put('uploads/k3', Buffer.alloc(2000), { create: true });
      await blobs.put('uploads/k4', Buffer.alloc(6000), { create: true });
      assert.equal((await readdir(scratch)).length, 1);
      const folder = join(scratch, (await readdir(scratch))[0] as string);
      assert.equal((await readdir(folder)).length, 2, 'a body past the bound is not kept');
      // Past the bound (300 ms) the timers remove the files; waited for, not timed.
      for (let i = 0; i < 100 && (await readdir(folder)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await readdir(folder), [], 'copies nobody took go after the bound');
      for (let i = 0; i < 4; i++) await blobs.put(`uploads/m${i}`, Buffer.alloc(2000), { create: true });
      assert.equal((await readdir(folder)).length, 2, 'the oldest go past the bytes bound');
      const m3 = await blobs.localFile('uploads/m3');
      assert.equal(gets(), 1);
      await m3.release();
      const m0 = await blobs.localFile('uploads/m0');
      assert.equal(gets(), 2, 'an evicted copy is downloaded');
      await m0.release();
      await blobs.put('uploads/plain', body);
      await blobs.localFile('uploads/plain').then((c) => c.release());
      assert.equal(gets(), 3, 'only creates are kept');
    } finally {
      await blobs.close();
    }
    assert.deepEqual(await readdir(scratch), []);
  });
});

test('a purge is 2 requests (the upload in the folder\'s DeleteObjects); a second racing it sends none, one after a write under the prefix does', { skip: await skipS3() }, async () => {
  const bucket = await createTestBucket();
  const scratch = await mkdtemp(join(tmpdir(), 'docket-scratch-test-'));
  const ops: string[] = [];
  const blobs = await withCredentials(bucket.env, () => openS3BlobStore({ ...options(bucket.env, bucket.bucket, '', scratch), observe: (op) => ops.push(op) }));
  const purge = () => deleteTaskBlobs(blobs, 'p');
  try {
    await blobs.put('uploads/p', Buffer.from('%PDF'));
    await blobs.put('tasks/p/original', Buffer.from('1'));
    ops.length = 0;
    await Promise.all([purge(), purge()]);
    assert.deepEqual(ops, ['list', 'delete'], 'one listing and one DeleteObjects; the second purge joined the first');
    assert.deepEqual(await bucket.keys(), []);
    await purge();
    assert.deepEqual(ops.slice(2), ['list', 'delete'], 'a purge after the first has ended runs again');
    ops.length = 0;
    await blobs.put('tasks/p/result.json', Buffer.from('{}'));
    const first = purge();
    await blobs.put('tasks/p/outputs/0', Buffer.from('x'));
    await Promise.all([first, purge()]);
    assert.deepEqual(await bucket.keys(), []);
  } finally {
    await blobs.close();
    await rm(scratch, { recursive: true, force: true });
    await bucket.drop();
  }
});

test('every PutObject is signed with the SHA-256 given for its body, through the cached handler', { skip: await skipS3() }, async () => {
  const bucket = await createTestBucket();
  // The SDK reads the credentials at the first request.
  const client = createS3Client({ ...options(bucket.env, bucket.bucket, '', tmpdir()), maxAttempts: 1 });
  const put = (key: string, body: Buffer, sha: string) => client.send(new PutObjectCommand(signedSha256({ Bucket: bucket.bucket, Key: key, Body: body }, sha))).then(() => 'stored', (err: Error) => err.name);
  try {
    const outcomes = await withCredentials(bucket.env, async () => {
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        const body = Buffer.from(`body ${i}`);
        out.push(await put(`right-${i}`, body, createHash('sha256').update(body).digest('hex')), await put(`wrong-${i}`, body, '0'.repeat(64)));
      }
      return out;
    });
    assert.deepEqual(outcomes, ['stored', 'XAmzContentSHA256Mismatch', 'stored', 'XAmzContentSHA256Mismatch', 'stored', 'XAmzContentSHA256Mismatch']);
    assert.deepEqual((await bucket.keys()).sort(), ['right-0', 'right-1', 'right-2']);
  } finally {
    client.destroy();
    await bucket.drop();
  }
});

test('the helper reports the store or why there is none', async () => {
  const env = await testS3();
  assert.ok(typeof env === 'string' ? env.length > 0 : env.DOCKET_S3_ENDPOINT.startsWith('http'));
});
