/**
 * @module The S3 store every S3 suite runs against: a throwaway Ceph RGW started by
 * scripts/s3-store.sh once per machine and shared by every test process (the script
 * is idempotent and locked, so the first process starts it in ~5 s and the others
 * find it running in ~0.3 s; it is left running for the next test file, and CI stops
 * it at the end). DOCKET_TEST_S3_ENDPOINT points the suites at another S3 instead
 * (credentials then from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). Each suite gets
 * its own bucket, emptied and removed by `drop`. When no S3 can be had the suites are
 * skipped with the reason, unless DOCKET_REQUIRE_S3=1 (set by CI), which turns that
 * into a failure, as DOCKET_REQUIRE_POSTGRES does in stores.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export const REQUIRE_S3 = process.env.DOCKET_REQUIRE_S3 === '1';
const SCRIPT = join(import.meta.dirname, '../../scripts/s3-store.sh');
/** Where the shared test store lives; one per machine user. */
export const S3_TEST_DIR = process.env.DOCKET_TEST_S3_DIR || join(tmpdir(), 'docket-test-s3');

/** The environment a docket process needs to reach the test store (without DOCKET_BLOB_URL). */
export type S3Env = Record<'DOCKET_S3_ENDPOINT' | 'AWS_REGION' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'DOCKET_S3_FORCE_PATH_STYLE', string>;

let started: Promise<S3Env | string> | null = null;

function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

/** The test store's environment, or why there is none. */
export function testS3(): Promise<S3Env | string> {
  started ??= (async () => {
    const e = process.env;
    if (e.DOCKET_TEST_S3_ENDPOINT) {
      if (!e.AWS_ACCESS_KEY_ID || !e.AWS_SECRET_ACCESS_KEY) return 'DOCKET_TEST_S3_ENDPOINT is set but AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not';
      return {
        DOCKET_S3_ENDPOINT: e.DOCKET_TEST_S3_ENDPOINT, AWS_REGION: e.AWS_REGION || 'us-east-1', AWS_ACCESS_KEY_ID: e.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: e.AWS_SECRET_ACCESS_KEY, DOCKET_S3_FORCE_PATH_STYLE: e.DOCKET_S3_FORCE_PATH_STYLE || '1',
      };
    }
    try {
      const { stdout } = await promisify(execFile)('bash', [SCRIPT, 'start', S3_TEST_DIR], { timeout: 180_000 });
      return parseEnv(stdout) as S3Env;
    } catch (err) {
      const detail = ((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n').slice(0, 3).join(' / ');
      return `no throwaway Ceph S3 store (scripts/s3-store.sh start: ${detail}); run 'scripts/s3-store.sh install' as root or set DOCKET_TEST_S3_ENDPOINT`;
    }
  })();
  return started;
}

/** The `skip` option for an S3 suite: false to run, or the reason; throws when CI requires S3. */
export async function skipS3(): Promise<false | string> {
  const env = await testS3();
  if (typeof env !== 'string') return false;
  if (REQUIRE_S3) throw new Error(`DOCKET_REQUIRE_S3=1 but ${env}`);
  return env;
}

export function s3Client(env: S3Env): S3Client {
  return new S3Client({
    endpoint: env.DOCKET_S3_ENDPOINT, region: env.AWS_REGION, forcePathStyle: env.DOCKET_S3_FORCE_PATH_STYLE === '1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface TestBucket {
  bucket: string;
  env: S3Env;
  /** What a docket process needs: the store's env plus DOCKET_BLOB_URL for `prefix`. */
  processEnv(prefix?: string): Record<string, string>;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  drop(): Promise<void>;
}

/** A fresh bucket for one suite (the store must be available: check `skipS3` first). */
export async function createTestBucket(): Promise<TestBucket> {
  const env = await testS3();
  if (typeof env === 'string') throw new Error(env);
  const bucket = `docket-test-${randomBytes(6).toString('hex')}`;
  const client = s3Client(env);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  async function keys(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }
  return {
    bucket,
    env,
    processEnv: (prefix = '') => ({ ...env, DOCKET_BLOB_URL: `s3://${bucket}${prefix ? `/${prefix}` : ''}` }),
    keys,
    async drop() {
      for (let all = await keys(); all.length > 0; all = await keys()) {
        await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: all.slice(0, 1000).map((Key) => ({ Key })), Quiet: true } }));
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
      client.destroy();
    },
  };
}

/** A store of the test's own, for fault tests that take S3 away (the shared one serves other test processes). */
export interface PrivateS3 {
  env: S3Env;
  /** Stops only the gateway: S3 is down, the objects stay. */
  rgwStop(): Promise<void>;
  rgwStart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a private store in `dir` on ports offset from the shared one's by `offset` (1–40). */
export async function startPrivateS3(dir: string, offset: number): Promise<PrivateS3> {
  const run = promisify(execFile);
  const env = {
    ...process.env, S3_PORT: String(17480 + offset), MON_PORT: String(16700 + offset),
    OSD_PORT_MIN: String(16900 + offset * 20), OSD_PORT_MAX: String(16919 + offset * 20),
  };
  const { stdout } = await run('bash', [SCRIPT, 'start', dir], { env, timeout: 180_000 });
  return {
    env: parseEnv(stdout) as S3Env,
    rgwStop: async () => void (await run('bash', [SCRIPT, 'rgw-stop', dir], { env })),
    rgwStart: async () => void (await run('bash', [SCRIPT, 'rgw-start', dir], { env, timeout: 60_000 })),
    stop: async () => void (await run('bash', [SCRIPT, 'stop', dir, '--purge'], { env })),
  };
}

/** The pids of the shared test store's daemons (mon, osd, radosgw); none for another S3. */
export function testS3Pids(): number[] {
  const run = join(S3_TEST_DIR, 'run');
  if (process.env.DOCKET_TEST_S3_ENDPOINT || !existsSync(run)) return [];
  const pids: number[] = [];
  for (const f of readdirSync(run).filter((n) => n.endsWith('.pid'))) {
    try {
      pids.push(Number(readFileSync(join(run, f), 'utf8').trim()));
    } catch {
      // A daemon stopping as we look has no pid file.
    }
  }
  return pids;
}

/** CPU seconds used so far by the shared test store's daemons (mon, osd, radosgw; benches report Ceph's share); 0 without one. */
export function testS3CpuSeconds(): number {
  let sum = 0;
  for (const pid of testS3Pids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th (proc(5)), in 1/100 s.
      const x = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(x[11]) + Number(x[12])) / 100;
    } catch {
      // A daemon that is gone uses nothing more.
    }
  }
  return sum;
}
