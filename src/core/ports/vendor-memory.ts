/**
 * @module The vendor-memory port: one project's memory of the vendors it learned
 * (core/memory/model.ts), read by the capture stage that applies it and changed by
 * learning. `src/store/vendor-memory-repo.ts` keeps it in SQLite or PostgreSQL;
 * core/memory/in-memory-store.ts keeps it in a Map (the accuracy harness, tests).
 * A stored memory that is not valid JSON of the memory's shape, or is larger than
 * `MEMORY_LIMITS.bytes`, is set aside (kept apart, not read) and the project starts
 * cold; listeners hear of it so that it is logged.
 */
import type { VendorMemory } from '../memory/model.ts';

export interface SetAside {
  project_id: string;
  reason: string;
}

export interface VendorMemoryStore {
  /** The project's memory; empty when it has none or when the stored one was set aside. */
  load(projectId: string): Promise<VendorMemory>;
  /** Replaces the memory with `change(current)`, one change at a time per project. */
  update(accountId: string, projectId: string, change: (current: VendorMemory) => VendorMemory): Promise<VendorMemory>;
  /** Erases what the project learned (and anything set aside); false when there was nothing. */
  erase(projectId: string): Promise<boolean>;
  /** Checks every stored memory at start, setting aside the corrupt or oversized ones. */
  check(): Promise<SetAside[]>;
  /** Called with each memory set aside, at start or when one is read. */
  onSetAside(listener: (s: SetAside) => void): void;
}
