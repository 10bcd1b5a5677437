/**
 * @module bench/ingest: uploads per second through `POST /tasks` (a 200 KB PDF, real
 * auth, tags, store and blob fsync) against a bare Fastify route that streams the
 * same body to disk with the same fsync, measured in the same run with autocannon.
 * Both servers run as separate processes; docket runs API-only (DOCKET_WORKERS=0, as
 * an API node in scale-out) so that processing does not compete for the 2 cores.
 * Rounds run in pairs (ABBA order); the figure is the median of the pairs' ratios,
 * with the medians of req/s and p99 beside it, and each server's CPU per request
 * (and Ceph's, on the S3 store): on a shared machine req/s follows the other jobs,
 * CPU per request much less.
 *
 *   node bench/ingest.ts [--rounds 10] [--seconds 3] [--connections 10]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../test/helpers/server.ts';
import { makePdfOfSize, EXAMPLE_TAGS } from '../test/helpers/fixtures.ts';
import { testS3CpuSeconds } from '../test/helpers/s3.ts';
import { arg, cpuOf, median, serverPid, token, createProject } from './lib.ts';

const rounds = arg('rounds', 10);
const seconds = arg('seconds', 3);
const connections = arg('connections', 10);

async function startBare(dir: string): Promise<{ url: string; pid: number | null; stop(): void }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bare-upload-server.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) resolve(m[1] as string);
    });
  });
  return { url, pid: child.pid ?? null, stop: () => child.kill('SIGTERM') };
}

function load(url: string, headers: Record<string, string>, body: Buffer): Promise<autocannon.Result> {
  return autocannon({ url, method: 'POST', headers, body, connections, duration: seconds, pipelining: 1 });
}

const pdf = await makePdfOfSize(200 * 1024);
const server = await startServer({ env: { DOCKET_WORKERS: '0', LOG_LEVEL: 'error', ...(process.env.BENCH_SERVER_ENV ? JSON.parse(process.env.BENCH_SERVER_ENV) : {}) } });
const bareDir = await mkdtemp(join(tmpdir(), 'docket-bare-'));
const bare = await startBare(bareDir);
try {
  const bearer = await token(server.url, server.clientId, server.clientSecret);
  const project = await createProject(server.url, bearer, { name: 'Ingest bench', validation: { mode: 'never' } });
  const docketHeaders = { authorization: `Bearer ${bearer}`, 'content-type': 'application/pdf', 'x-aluma-tags': EXAMPLE_TAGS };
  const results: { docket: autocannon.Result[]; bare: autocannon.Result[] } = { docket: [], bare: [] };
  const docketPid = serverPid(server.dataDir);
  const cpu = { docket: [] as number[], bare: [] as number[] };
  /** One round's load, with the CPU its server used per request. */
  const measured = async (pid: number | null, into: number[], run: () => Promise<autocannon.Result>) => {
    const c0 = cpuOf(pid);
    const r = await run();
    into.push((1000 * (cpuOf(pid) - c0)) / Math.max(1, r.requests.total));
    return r;
  };
  const runBare = async () => results.bare.push(await measured(bare.pid, cpu.bare, () => load(`${bare.url}/upload`, { 'content-type': 'application/pdf' }, pdf)));
  // Ceph's CPU during docket's rounds, when docket runs on the test store.
  const ceph = () => (/DOCKET_BLOB_URL/.test(process.env.BENCH_SERVER_ENV ?? '') ? testS3CpuSeconds() : 0);
  let cephSeconds = 0;
  const runDocket = async () => {
    const c0 = ceph();
    results.docket.push(await measured(docketPid, cpu.docket, () => load(`${server.url}/tasks?project_id=${project}`, docketHeaders, pdf)));
    cephSeconds += ceph() - c0;
  };
  // Pairs in ABBA order, so that a machine speeding up or slowing down during the run
  // favours neither side; each pair gives a ratio, and the median of those is reported.
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      await runBare();
      await runDocket();
    } else {
      await runDocket();
      await runBare();
    }
  }
  const summary = (rs: autocannon.Result[]) => ({
    rps: median(rs.map((r) => r.requests.average)),
    p99: median(rs.map((r) => r.latency.p99)),
    errors: rs.reduce((n, r) => n + r.errors + r.non2xx, 0),
  });
  const d = summary(results.docket);
  const b = summary(results.bare);
  console.log(`bench/ingest: ${(pdf.length / 1024).toFixed(0)} KB PDF, ${connections} connections, ${rounds} × ${seconds} s rounds (medians)`);
  console.log(`  docket POST /tasks : ${d.rps.toFixed(0)} req/s, p99 ${d.p99} ms, errors ${d.errors}`);
  console.log(`  bare Fastify+fsync : ${b.rps.toFixed(0)} req/s, p99 ${b.p99} ms, errors ${b.errors}`);
  const ratios = results.docket.map((r, i) => r.requests.average / (results.bare[i] as autocannon.Result).requests.average);
  const uploads = results.docket.reduce((n, r) => n + r.requests.total, 0);
  const ms = (xs: number[]) => `${median(xs).toFixed(2)} ms [${xs.map((x) => x.toFixed(1)).join(' ')}]`;
  console.log(`  CPU per request    : docket ${ms(cpu.docket)}, bare ${ms(cpu.bare)} (medians of the rounds)`);
  if (cephSeconds > 0) console.log(`  Ceph's CPU         : ${((1000 * cephSeconds) / uploads).toFixed(2)} ms per upload (mon, osd and radosgw)`);
  // The filesystem store's target is 0.8; the S3 store's 0.6 (an upload is also a request to the store).
  const target = /DOCKET_BLOB_URL/.test(process.env.BENCH_SERVER_ENV ?? '') ? 0.6 : 0.8;
  console.log(`  ratio docket/bare  : ${median(ratios).toFixed(2)} median of ${rounds} paired rounds [${ratios.map((x) => x.toFixed(2)).join(' ')}] (target >= ${target})`);
} finally {
  bare.stop();
  await server.dispose();
  await rm(bareDir, { recursive: true, force: true });
}
