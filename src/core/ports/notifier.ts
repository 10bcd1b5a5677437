/**
 * @module The notifier port: wakes idle workers the moment a task becomes claimable
 * (`src/store/notifier.ts`: LISTEN/NOTIFY on PostgreSQL, an in-process signal on SQLite).
 */

/** Wakes idle workers when a task becomes claimable. */
export interface Notifier {
  notify(): void;
  /** Calls `listener` on every notification (from any process); returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}
