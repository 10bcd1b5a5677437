/**
 * @module `docket blobs migrate --to s3://bucket/prefix`: copies a filesystem blob
 * store (the data folder's, or `--from DIR`) into an S3 bucket, for moving a
 * single-machine install to S3 (docs/deploy.md). Every object is read back from the
 * bucket and its SHA-256 compared with the source's; a rerun skips the objects
 * already there whose bytes match, so an interrupted migration resumes where it
 * stopped. The S3 endpoint and credentials come from the same variables as the
 * service's (DOCKET_S3_ENDPOINT, AWS_REGION, DOCKET_S3_FORCE_PATH_STYLE, the SDK's
 * chain). Exits 1 if any object could not be copied and verified.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { BlobStore } from '../core/ports/blob-store.ts';
import { mapLimit } from '../shared/limiter.ts';
import { ConfigError, readConfig } from './config.ts';
import { parseBlobUrl } from './blob-config.ts';
import { command } from './usage.ts';

async function sha256Of(blobs: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await blobs.get(key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface MigrateReport {
  copied: number;
  skipped: number;
  failed: { key: string; reason: string }[];
}

/** Copies every blob of `from` into `to`, verifying each; skips those already there with the same bytes. */
export async function migrateBlobs(from: BlobStore, to: BlobStore, parallel: number, progress: (line: string) => void = () => undefined): Promise<MigrateReport> {
  const present = new Map<string, number>();
  for await (const b of to.list('')) present.set(b.key, b.size);
  const keys: { key: string; size: number }[] = [];
  for await (const b of from.list('')) keys.push(b);
  const report: MigrateReport = { copied: 0, skipped: 0, failed: [] };
  await mapLimit(keys, parallel, async ({ key, size }) => {
    try {
      const source = await sha256Of(from, key);
      if (present.get(key) === size && (await sha256Of(to, key)) === source) {
        report.skipped++;
        return;
      }
      const written = await to.put(key, await from.get(key));
      const stored = await sha256Of(to, key);
      if (written.sha256 !== source || stored !== source) throw new Error(`SHA-256 differs after the copy (source ${source}, sent ${written.sha256}, stored ${stored})`);
      report.copied++;
      if (report.copied % 100 === 0) progress(`docket: ${report.copied} copied, ${report.skipped} already there, of ${keys.length}`);
    } catch (err) {
      report.failed.push({ key, reason: (err as Error).message });
    }
  });
  return report;
}

export const blobsMigrateCommand = command({
  words: ['blobs', 'migrate'],
  summary: 'Copy a filesystem blob store into an S3 bucket, verifying every object\'s SHA-256; a rerun resumes.',
  options: {
    to: { type: 'string', value: 's3://BUCKET[/PREFIX]', help: 'the bucket to copy into', required: true },
    from: { type: 'string', value: 'DIR', help: 'the blob folder to copy (default: the configured one)' },
    parallel: { type: 'string', value: 'N', help: 'objects copied at once, 1 to 64 (default 4)' },
  },
  run: (v) => migrateCommand(v.to as string, v.from, v.parallel),
});

async function migrateCommand(target: string, fromDir: string | undefined, parallelOption: string | undefined): Promise<number> {
  const config = readConfig();
  const problems: string[] = [];
  const s3 = parseBlobUrl(target, process.env, problems);
  if (!s3 || problems.length > 0) throw new ConfigError(problems.map((p) => p.replace('DOCKET_BLOB_URL', '--to')));
  const parallel = Number(parallelOption ?? 4);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new ConfigError(['--parallel: an integer from 1 to 64']);
  const root = fromDir ? resolve(fromDir) : config.blob.kind === 'fs' ? config.blob.root : null;
  if (!root) throw new ConfigError(['--from DIR: the configured blob store is not a folder; name the folder to copy']);
  // Loaded when the command runs, so `blobs migrate --help` opens nothing.
  const { createFsBlobStore } = await import('../store/blob-fs.ts');
  const { openBlobStore } = await import('./wire.ts');
  const from = createFsBlobStore(root);
  const to = await openBlobStore({ blob: s3, scratchDir: config.scratchDir });
  try {
    const r = await migrateBlobs(from, to, parallel, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`docket: ${r.copied} copied and verified, ${r.skipped} already there and verified, ${r.failed.length} failed (${root} → ${target})\n`);
    for (const f of r.failed.slice(0, 20)) process.stderr.write(`docket: ${f.key}: ${f.reason}\n`);
    return r.failed.length > 0 ? 1 : 0;
  } finally {
    await to.close();
  }
}
