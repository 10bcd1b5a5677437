/**
 * @module bench/s3-ops: what one S3 request costs the throwaway Ceph store
 * (scripts/s3-store.sh) in CPU and context switches, per operation, for the store as
 * shipped and for the same store with other settings, measured in the same run.
 *
 * Two private stores start side by side (own folders and ports): "shipped" and
 * "tried", the shipped conf plus the `--try` lines (S3_EXTRA_CONF). Each round puts N
 * 200 KB objects (If-None-Match: *, SHA-256 signed, as docket's uploads), gets and
 * heads them, lists task prefixes and deletes them (DeleteObjects, 5 keys each),
 * with 8 requests in flight, on each store in ABBA order. CPU is utime+stime of the
 * daemons (/proc/PID/stat), switches the sum over their threads
 * (/proc/PID/task/TID/status); the figures are medians of the rounds. On a VM a
 * context switch is dear (the kernel's share of radosgw's profile was mostly
 * scheduling), so the switches are the steadier figure when the machine is loaded.
 *
 *   node bench/s3-ops.ts --try 'rgw thread pool size = 64' [--rounds 6] [--n 300]
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { arg, median } from './lib.ts';

const rounds = arg('rounds', 6);
const n = arg('n', 300);
const at = process.argv.indexOf('--try');
const tried = at >= 0 ? (process.argv[at + 1] ?? '') : '';
if (!tried) throw new Error("usage: node bench/s3-ops.ts --try 'ceph conf lines' [--rounds 6] [--n 300]");
const SCRIPT = join(import.meta.dirname, '../scripts/s3-store.sh');
const body = randomBytes(200 * 1024);
const sha = createHash('sha256').update(body).digest('hex');

interface Store { name: string; dir: string; env: NodeJS.ProcessEnv; client: S3Client; rows: Map<string, Record<string, number>[]> }

function start(name: string, offset: number, extra: string): Store {
  const dir = mkdtempSync(join(tmpdir(), `docket-s3-ops-${name}-`));
  const env = { ...process.env, S3_PORT: String(18580 + offset), MON_PORT: String(18680 + offset), OSD_PORT_MIN: String(18700 + 50 * offset), OSD_PORT_MAX: String(18749 + 50 * offset), S3_EXTRA_CONF: extra };
  const vars = Object.fromEntries(execFileSync('bash', [SCRIPT, 'start', dir], { env, encoding: 'utf8' }).trim().split('\n').map((l) => l.split('=') as [string, string]));
  const client = new S3Client({
    endpoint: vars.DOCKET_S3_ENDPOINT, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: vars.AWS_ACCESS_KEY_ID as string, secretAccessKey: vars.AWS_SECRET_ACCESS_KEY as string },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { name, dir, env, client, rows: new Map() };
}

/** CPU ms and context switches of the store's daemons so far. */
function usage(s: Store): { cpu: number; switches: number } {
  let cpu = 0;
  let switches = 0;
  for (const f of readdirSync(join(s.dir, 'run')).filter((x) => x.endsWith('.pid'))) {
    const pid = readFileSync(join(s.dir, 'run', f), 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const x = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu += (Number(x[11]) + Number(x[12])) * 10;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      switches += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    }
  }
  return { cpu, switches };
}

async function inFlight(count: number, one: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < count) await one(next++);
  }));
}

async function round(s: Store, r: number): Promise<void> {
  const Bucket = `ops-${r}-${randomBytes(3).toString('hex')}`;
  await s.client.send(new CreateBucketCommand({ Bucket }));
  const keys = Array.from({ length: n }, (_, i) => `tasks/t${i % 60}/k${i}`);
  const put = (i: number) => {
    const command = new PutObjectCommand({ Bucket, Key: keys[i], Body: body, ContentLength: body.length, IfNoneMatch: '*' });
    command.middlewareStack.add((next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = sha;
      return next(args);
    }, { step: 'build' });
    return s.client.send(command);
  };
  const phases: [string, number, (i: number) => Promise<unknown>][] = [
    ['put', n, put],
    ['get', n, async (i) => (await s.client.send(new GetObjectCommand({ Bucket, Key: keys[i] }))).Body?.transformToByteArray()],
    ['head', n, (i) => s.client.send(new HeadObjectCommand({ Bucket, Key: keys[i] }))],
    ['list', n, (i) => s.client.send(new ListObjectsV2Command({ Bucket, Prefix: `tasks/t${i % 60}/` }))],
    ['delete 5', n / 5, (i) => s.client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.slice(5 * i, 5 * i + 5).map((Key) => ({ Key })), Quiet: true } }))],
  ];
  for (const [name, count, one] of phases) {
    const u0 = usage(s);
    await inFlight(count, one);
    const u1 = usage(s);
    const rows = s.rows.get(name) ?? [];
    rows.push({ cpu: (u1.cpu - u0.cpu) / count, switches: (u1.switches - u0.switches) / count });
    s.rows.set(name, rows);
  }
}

const stores = [start('shipped', 0, ''), start('tried', 1, tried)];
try {
  for (const s of stores) await round(s, -1).then(() => s.rows.clear());
  for (let r = 0; r < rounds; r++) for (const s of r % 2 ? [...stores].reverse() : stores) await round(s, r);
  console.log(`bench/s3-ops: ${n} 200 KB objects a round, 8 in flight, ${rounds} ABBA rounds; Ceph's CPU ms and context switches per request (medians)`);
  console.log(`  tried: ${tried.replace(/\n/g, '; ')}`);
  for (const op of (stores[0] as Store).rows.keys()) {
    const cell = (s: Store, k: string) => median((s.rows.get(op) ?? []).map((x) => x[k] as number));
    const [a, b] = stores as [Store, Store];
    console.log(`  ${op.padEnd(9)} CPU ${cell(a, 'cpu').toFixed(2)} -> ${cell(b, 'cpu').toFixed(2)} ms (${(cell(b, 'cpu') / cell(a, 'cpu')).toFixed(2)})`
      + `   switches ${cell(a, 'switches').toFixed(1)} -> ${cell(b, 'switches').toFixed(1)} (${(cell(b, 'switches') / cell(a, 'switches')).toFixed(2)})`);
  }
  console.log(`  machine: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} load average at the end; shared by other jobs`);
} finally {
  for (const s of stores) {
    s.client.destroy();
    execFileSync('bash', [SCRIPT, 'stop', s.dir], { env: s.env });
    rmSync(s.dir, { recursive: true, force: true });
  }
}
