/**
 * @module The SQLite checkpointer's thread. node:sqlite is synchronous, so a WAL
 * checkpoint run by the main connection (SQLite does one every 1000 pages by default)
 * blocks the event loop while it copies pages and fsyncs: tens of milliseconds, a few
 * times a second under upload load. Here a second connection on its own thread runs
 * PASSIVE checkpoints, which never wait for or block the writer (sqlite.org/wal.html
 * §"Checkpointing"); the main connection has automatic checkpoints turned off.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };

/**
 * Opened on first use and opened again after a failure: on a full disk opening can fail
 * (SQLITE_FULL, SQLITE_CANTOPEN for the -shm file), and an exception escaping this thread
 * would reach the main thread as an 'error' event. Every error here is caught: the next
 * round tries again.
 */
let db: DatabaseSync | null = null;

function connection(): DatabaseSync {
  if (!db) {
    db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 5000');
  }
  return db;
}

function checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): void {
  try {
    connection().exec(`PRAGMA wal_checkpoint(${mode})`);
  } catch {
    // A busy database, or a full disk: the next round checkpoints what this one could not.
  }
}

const timer = setInterval(() => checkpoint('PASSIVE'), intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint('TRUNCATE');
  try {
    db?.close();
  } catch {
    // Closing never loses data: what is not checkpointed stays in the WAL for the next start.
  }
  parentPort?.postMessage('stopped');
  parentPort?.close();
});
