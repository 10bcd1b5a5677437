/**
 * @module The dashboard's questions to the store (docs/portal.md#admin-admin-role): tasks
 * created and finished per time bucket, the automation rate and the time tasks wait
 * for and spend in validation. Declared here so the API asks them through a port and
 * `src/store/stats-repo.ts` answers them for SQLite and PostgreSQL alike. The pure
 * helpers (median, pairing of validation events) live here too, so both the store and
 * tests use one definition.
 */

export interface StatsWindow {
  account_id: string;
  /** Epoch ms, inclusive. Tasks are deleted 72 h after they finish (docs/architecture.md#task-states), so older windows are thin. */
  since: number;
  until: number;
  /** Bucket width of the throughput series, ms. */
  bucket_ms: number;
}

export interface ThroughputBucket {
  /** Start of the bucket, epoch ms. */
  at: number;
  created: number;
  completed: number;
  failed: number;
}

export interface DashboardStats {
  throughput: ThroughputBucket[];
  /** Documents of tasks that reached export in the window, and how many of them went through validation. */
  documents_exported: number;
  documents_validated: number;
  /** Share of exported documents that needed no person; null when nothing was exported. */
  automation_rate: number | null;
  /** Median ms from entering the validation queue to a person starting it. */
  validation_wait_ms_median: number | null;
  /** Median ms from a person starting validation to completing it. */
  validation_work_ms_median: number | null;
  validations_completed: number;
}

/** The dashboard's answer (`GET /app/api/admin/stats`): these figures, times as ISO strings; the portal reads this type. */
export interface AdminStatsJson extends Omit<DashboardStats, 'throughput'> {
  hours: number;
  counts: Record<string, number>;
  throughput: (Omit<ThroughputBucket, 'at'> & { at: string })[];
}

export interface StatsRepository {
  dashboard(window: StatsWindow): Promise<DashboardStats>;
}

/** A task event as the stats pairing reads it, ordered by task then time. */
export interface StatsEvent {
  task_id: string;
  to_state: string;
  client_action: string | null;
  reason: string;
  at: number;
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
