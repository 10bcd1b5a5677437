/**
 * @module The queue as an operator watches it (GET /metrics): how many tasks are in
 * each state across all accounts, and how long the oldest queued task has waited
 * (a growing age with idle workers means they cannot reach the database or the
 * store; with busy ones, that more workers are needed).
 */
export interface QueueGauges {
  byState: Record<string, number>;
  /** When the oldest task still waiting in `queued` was created; null when none waits. */
  oldestQueuedAt: number | null;
}

export interface QueueGaugeSource {
  read(): Promise<QueueGauges>;
}
