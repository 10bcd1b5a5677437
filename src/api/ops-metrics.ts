/**
 * @module The operating metrics of GET /metrics beside the HTTP ones (health.ts), in
 * the Prometheus text format: tasks per state and the age of the oldest queued task
 * (the database's view, the same from every node), this process's worker busy ratio
 * (time its slots spent on a task over the time they existed; absent on API-only
 * nodes), and this process's blob-store calls, errors and seconds per operation.
 */
import type { QueueGaugeSource } from '../core/ports/queue-gauges.ts';

export interface OpsMetricSources {
  queue: QueueGaugeSource;
  clock: () => number;
  /** Per blob-store operation since start. */
  blobStats?: () => Map<string, { calls: number; errors: number; seconds: number }>;
  /** Null when this process runs no worker. */
  workerBusyRatio?: () => number | null;
}

export function opsMetrics(src: OpsMetricSources): () => Promise<string[]> {
  return async () => {
    const lines: string[] = [];
    const q = await src.queue.read();
    lines.push('# HELP docket_tasks Tasks in each state, all accounts.', '# TYPE docket_tasks gauge');
    for (const [state, n] of Object.entries(q.byState).sort()) lines.push(`docket_tasks{state="${state}"} ${n}`);
    lines.push('# HELP docket_queue_oldest_age_seconds How long the oldest queued task has waited; 0 when none waits.', '# TYPE docket_queue_oldest_age_seconds gauge');
    lines.push(`docket_queue_oldest_age_seconds ${q.oldestQueuedAt === null ? 0 : Math.max(0, (src.clock() - q.oldestQueuedAt) / 1000)}`);
    const busy = src.workerBusyRatio?.() ?? null;
    if (busy !== null) {
      lines.push('# HELP docket_worker_busy_ratio Share of this process\'s worker slot time spent on tasks since start.', '# TYPE docket_worker_busy_ratio gauge', `docket_worker_busy_ratio ${busy.toFixed(4)}`);
    }
    const blobs = src.blobStats?.();
    if (blobs) {
      lines.push('# HELP docket_blob_operations_total Blob-store calls by operation.', '# TYPE docket_blob_operations_total counter');
      for (const [op, s] of blobs) lines.push(`docket_blob_operations_total{op="${op}"} ${s.calls}`);
      lines.push('# HELP docket_blob_errors_total Blob-store calls that failed (a missing key is not a failure).', '# TYPE docket_blob_errors_total counter');
      for (const [op, s] of blobs) lines.push(`docket_blob_errors_total{op="${op}"} ${s.errors}`);
      lines.push('# HELP docket_blob_duration_seconds Time spent in blob-store calls.', '# TYPE docket_blob_duration_seconds summary');
      for (const [op, s] of blobs) lines.push(`docket_blob_duration_seconds_sum{op="${op}"} ${s.seconds.toFixed(6)}`, `docket_blob_duration_seconds_count{op="${op}"} ${s.calls}`);
    }
    return lines;
  };
}
