/**
 * @module `docket blobs migrate`'s copy (src/cli/blobs.ts) from a filesystem store
 * into a real Ceph bucket: every object copied and verified by SHA-256, a rerun
 * skips what is there with the same bytes, and an object changed in the bucket
 * meanwhile is copied again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { openS3BlobStore } from '../../src/store/blob-s3.ts';
import { createScratch } from '../../src/store/scratch.ts';
import { migrateBlobs } from '../../src/cli/blobs.ts';
import { createTestBucket, skipS3 } from '../helpers/s3.ts';

test('blobs migrate copies and verifies every object, and resumes', { skip: await skipS3() }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-migrate-'));
  const bucket = await createTestBucket();
  process.env.AWS_ACCESS_KEY_ID = bucket.env.AWS_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = bucket.env.AWS_SECRET_ACCESS_KEY;
  const to = await openS3BlobStore({
    bucket: bucket.bucket, prefix: 'moved', endpoint: bucket.env.DOCKET_S3_ENDPOINT, region: bucket.env.AWS_REGION,
    forcePathStyle: true, createBucket: false, scratch: createScratch(join(dir, 'scratch')),
  });
  try {
    const from = createFsBlobStore(join(dir, 'blobs'));
    const keys = ['uploads/a', 'uploads/b', 'tasks/a/result.json', 'tasks/a/outputs/0', 'tasks/a/page-images/0.png'];
    for (const k of keys) await from.put(k, randomBytes(1000 + k.length));
    const first = await migrateBlobs(from, to, 3);
    assert.deepEqual(first, { copied: 5, skipped: 0, failed: [] });
    for (const k of keys) assert.deepEqual(await to.read(k), await from.read(k), k);
    assert.deepEqual((await bucket.keys()).sort(), keys.map((k) => `moved/${k}`).sort());
    await to.put('uploads/b', Buffer.from('changed meanwhile'));
    const again = await migrateBlobs(from, to, 3);
    assert.deepEqual(again, { copied: 1, skipped: 4, failed: [] });
    assert.deepEqual(await to.read('uploads/b'), await from.read('uploads/b'));
  } finally {
    await to.close();
    await bucket.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
