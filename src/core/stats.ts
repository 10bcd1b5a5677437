/**
 * @module The dashboard's pure helpers (docs/portal.md#admin-admin-role): the wire shape
 * of its answer, the median, and the pairing of validation events into wait and work
 * times, so the store (`src/store/stats-repo.ts`) and the tests use one definition. The
 * questions themselves are the port in core/ports/stats-repository.ts.
 */
import type { DashboardStats, StatsEvent, ThroughputBucket } from './ports/stats-repository.ts';

/** The dashboard's answer (`GET /app/api/admin/stats`): these figures, times as ISO strings; the portal reads this type. */
export interface AdminStatsJson extends Omit<DashboardStats, 'throughput'> {
  hours: number;
  counts: Record<string, number>;
  throughput: (Omit<ThroughputBucket, 'at'> & { at: string })[];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Pairs each task's validation events: queued → started gives a wait, started →
 * the next event gives a working time when that event completed validation (a
 * cancel or an expired lease is not finished work). Only spans ending in the window count.
 */
export function validationSpans(events: readonly StatsEvent[], since: number): { waits: number[]; works: number[] } {
  const waits: number[] = [];
  const works: number[] = [];
  let task = '';
  let queuedAt: number | null = null;
  let startedAt: number | null = null;
  for (const e of events) {
    if (e.task_id !== task) {
      task = e.task_id;
      queuedAt = null;
      startedAt = null;
    }
    if (startedAt !== null) {
      if ((e.to_state === 'validated' || e.to_state === 'running') && e.at >= since) works.push(e.at - startedAt);
      startedAt = null;
    }
    if (e.client_action !== 'validation') continue;
    if (e.to_state === 'pending:start_client_action' && queuedAt === null) queuedAt = e.at;
    else if (e.to_state === 'pending:complete_client_action') {
      if (queuedAt !== null && e.at >= since) waits.push(e.at - queuedAt);
      queuedAt = null;
      startedAt = e.at;
    }
  }
  return { waits, works };
}
