/**
 * @module The composition root's building blocks: opens the store and blob folder,
 * builds the engines and processor, and hands them to the API, the workers and the
 * sweeper. Only this folder imports store, pipeline, worker and api together.
 */
import { join } from 'node:path';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Problem } from '../core/errors.ts';
import { openStore, type Store } from '../store/connect.ts';
import { createFsBlobStore } from '../store/blob-fs.ts';
import { KEEP_CREATED, openS3BlobStore } from '../store/blob-s3.ts';
import { createScratch } from '../store/scratch.ts';
import { measuredBlobStore, type MeasuredBlobStore } from '../store/blob-measured.ts';
import { createQueueGauges } from '../store/queue-gauges.ts';
import { opsMetrics } from '../api/ops-metrics.ts';
import { createDiskGauge, explainOpenFailure } from '../store/free-space.ts';
import { createEngines } from '../pipeline/engines.ts';
import { createProcessor } from '../pipeline/processor.ts';
import { createSampleLearner } from '../pipeline/capture/sample.ts';
import { checkSubmittedResults, checkValidationResults } from '../pipeline/capture/results.ts';
import { sniffFile } from '../pipeline/sniff.ts';
import { withRenderedXml } from '../pipeline/einvoice/bare-xml.ts';
import type { Engines } from '../pipeline/types.ts';
import { startWorker, type WorkerHandle } from '../worker/loop.ts';
import { startSweeper, type SweeperHandle } from '../worker/sweeper.ts';
import { buildApp } from '../api/app.ts';
import { blobStoreCheck, databaseCheck } from '../api/health.ts';
import { diskCheck } from '../api/disk-guard.ts';
import type { ApiDeps, PageRenderer } from '../api/deps.ts';
import { projectLoader } from './project-loader.ts';
import { portalConfig, portalExtensions } from '../api/portal/index.ts';

/** The built validation and admin portal (`npm run build:web`), served at /app/. */
const WEB_ROOT = join(import.meta.dirname, '../../web/dist');
import { BlobStoreUnavailableError, type BlobStore } from '../core/ports/blob-store.ts';
import { blobTaskResults } from '../core/task-results.ts';
import type { ScorerLearningStore } from '../core/ports/scorer-learning.ts';
import { createRetrainer, type Retrainer } from '../pipeline/scorer-retrain.ts';
import type { DiskGauge } from '../core/ports/disk-gauge.ts';
import { ConfigError, type Config } from './config.ts';

export interface Runtime {
  config: Config;
  store: Store;
  blobs: MeasuredBlobStore;
  disk: DiskGauge;
  /** This process's worker busy ratio for /metrics; null until startServices starts a worker. */
  workerBusyRatio: () => number | null;
  log: pino.Logger;
  clock: () => number;
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const log = pino({ level: config.logLevel });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(async (err: unknown) => {
    throw await explainOpenFailure(err, config.dataDir);
  });
  const blobs = await openBlobStore(config).then(measuredBlobStore, async (err: unknown) => {
    await store.close();
    throw err;
  });
  // Once per outage, not once per failed query: the operator's view of the database coming and going.
  store.health.onChange((s) => log.warn({ database: s.detail }, s.ok ? 'database answers again' : 'database unreachable; retrying'));
  return { config, store, blobs, disk: createDiskGauge(config.dataDir, config.diskFloor), log, clock: Date.now, workerBusyRatio: () => null };
}

/** The filesystem store, or the S3 store once its endpoint, credentials and bucket passed the check at start. */
export async function openBlobStore(config: Pick<Config, 'blob' | 'scratchDir'> & Partial<Pick<Config, 'workers'>>, observe?: (op: string, ms: number, ok: boolean) => void): Promise<BlobStore> {
  if (config.blob.kind === 'fs') return createFsBlobStore(config.blob.root);
  const s3 = config.blob;
  // An upload received by a process with worker slots is kept for them (blob-s3.ts); an API-only node keeps nothing.
  const keep = (config.workers ?? 0) > 0 ? { keepCreated: KEEP_CREATED } : {};
  // A store that fails its check at start is a configuration problem, told as one (no stack trace).
  return openS3BlobStore({ ...s3, scratch: createScratch(config.scratchDir), ...keep, ...(observe ? { observe } : {}) }).catch((err: unknown) => {
    throw err instanceof BlobStoreUnavailableError ? new ConfigError([`DOCKET_BLOB_URL=s3://${s3.bucket}${s3.prefix ? `/${s3.prefix}` : ''}: ${err.message}`]) : err;
  });
}

function pageRenderer(engines: Engines): PageRenderer {
  return async (input) => {
    const type = await sniffFile(input.filePath);
    const options = { dpi: input.dpi, format: 'png' } as const;
    const data = type
      ? await engines.pages.renderPageImage(input.filePath, type, input.pageIndex, options)
      : await withRenderedXml(input.filePath, (pdf) => engines.pages.renderPageImage(pdf, 'pdf', input.pageIndex, options));
    if (!data) throw new Problem('not_found', 'the task\'s file has no pages to show');
    return { data, contentType: 'image/png' };
  };
}

export interface Services {
  engines: Engines;
  blobs: BlobStore;
  worker: WorkerHandle | null;
  sweeper: SweeperHandle;
}

const retrainers = new WeakMap<Runtime, { store: ScorerLearningStore; learner: Retrainer }>();

/** The runtime's one scorer retrainer (pipeline/scorer-retrain.ts), shared by the task worker and the API of one process. */
export function scorerLearning(rt: Runtime): { store: ScorerLearningStore; learner: Retrainer } {
  let s = retrainers.get(rt);
  if (!s) {
    s = { store: rt.store.scorer, learner: createRetrainer(rt.store.scorer, { clock: rt.clock, onRetrained: (e) => (e.error ? rt.log.warn({ err: e.error, project: e.projectId }, 'the scorer could not be retrained') : rt.log.info({ project: e.projectId, version: e.version?.version, promoted: e.version?.promoted, cpu_ms: e.version?.report.cpu_ms }, 'scorer retrained')) }) };
    retrainers.set(rt, s);
  }
  return s;
}

export async function startServices(rt: Runtime, withWorkers: boolean): Promise<Services> {
  const engines = await createEngines({ threads: Math.max(1, rt.config.workers), ocr: rt.config.ocr, log: (level, message) => rt.log[level](message) });
  // A corrupt or oversized vendor memory is set aside (logged) and its project works cold; nothing else stops.
  rt.store.memory.onSetAside((s) => rt.log.error({ project: s.project_id, reason: s.reason }, 'vendor memory set aside; the project works cold'));
  await rt.store.memory.check().catch((err: unknown) => rt.log.error({ err }, 'could not check the vendor memories'));
  const process = createProcessor({
    blobs: rt.blobs, engines, memory: rt.store.memory, scorer: scorerLearning(rt),
    onLearned: (e) => (e.error ? rt.log.warn({ err: e.error, task: e.taskId }, 'a validation could not teach the vendor memory') : rt.log.info({ task: e.taskId, ms: Math.round(e.ms * 10) / 10, learned: e.outcome?.ok ?? false }, 'vendor memory learned from a validation')),
  });
  const workerId = `${hostname()}-${globalThis.process.pid}-${randomBytes(3).toString('hex')}`;
  const worker = withWorkers && rt.config.workers > 0
    ? startWorker({
        tasks: rt.store.tasks, projects: rt.store.projects, blobs: rt.blobs, process, notifier: rt.store.notifier,
        clock: rt.clock, log: rt.log, workerId, concurrency: rt.config.workers, leaseMs: rt.config.leaseMs,
        pollMs: rt.config.pollMs, maxAttempts: rt.config.maxAttempts,
      })
    : null;
  if (worker) rt.workerBusyRatio = () => worker.busyRatio();
  const sweeper = startSweeper({
    tasks: rt.store.tasks, accounts: rt.store.accounts, blobs: rt.blobs, notifier: rt.store.notifier, clock: rt.clock, log: rt.log,
    maxAttempts: rt.config.maxAttempts, retentionMs: rt.config.retentionMs, orphanGraceMs: rt.config.orphanGraceMs,
  }, rt.config.sweepMs, rt.config.orphanSweepMs);
  return { engines, blobs: rt.blobs, worker, sweeper };
}

export function apiDeps(rt: Runtime, engines: Engines): ApiDeps {
  return {
    repos: rt.store, blobs: rt.blobs, notifier: rt.store.notifier, clock: rt.clock,
    config: { maxUploadBytes: rt.config.maxUploadBytes, tokenTtlMs: rt.config.tokenTtlMs, maxJsonBytes: rt.config.maxJsonBytes, trustProxy: rt.config.trustProxy, ...(rt.config.publicUrl ? { publicUrl: rt.config.publicUrl } : {}) },
    results: blobTaskResults(rt.blobs),
    checkResults: checkValidationResults,
    checkSubmission: checkSubmittedResults,
    renderPage: pageRenderer(engines),
    loadProject: projectLoader(engines),
    memory: rt.store.memory,
    learnSample: createSampleLearner({ blobs: rt.blobs, engines, memory: rt.store.memory, scorer: scorerLearning(rt) }),
    scorer: scorerLearning(rt),
    disk: rt.disk,
    logger: { level: rt.config.logLevel },
  };
}

export async function createApi(rt: Runtime, engines: Engines) {
  const deps = apiDeps(rt, engines);
  const portal = portalExtensions({ api: deps, sessions: rt.store.sessions, stats: rt.store.stats, config: portalConfig(WEB_ROOT) });
  const { http, metricsToken, operatorToken } = rt.config;
  return buildApp(deps, {
    healthChecks: [databaseCheck(rt.store.health), blobStoreCheck(rt.blobs), diskCheck(deps)], database: rt.store.health, ...portal, http,
    metrics: opsMetrics({ queue: createQueueGauges(rt.store.db), clock: rt.clock, blobStats: () => rt.blobs.stats(), workerBusyRatio: () => rt.workerBusyRatio() }),
    ...(metricsToken ? { metricsToken } : {}), ...(operatorToken ? { operatorToken } : {}),
  });
}

export async function stopServices(s: Services): Promise<void> {
  await s.worker?.stop();
  await s.sweeper.stop();
  await s.engines.close();
  await s.blobs.close();
}
