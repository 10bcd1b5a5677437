/**
 * @module The dashboard's port: the questions the admin dashboard asks the store (tasks created
 * and finished per bucket, automation, validation wait and work), answered by
 * `src/store/stats-repo.ts` on both databases.
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
