/**
 * @module The task-results port (core/ports/task-results.ts) over the blob store: the
 * worker writes the result when capture ends, the API reads it for the
 * specifications and records a person's Validation Results beside it, and the
 * worker's finish phase applies those (extracting again what a changed type or page
 * range needs) before it builds the outputs. Keys are the ones task-files.ts names.
 */
import type { CaptureResult } from './capture.ts';
import type { BlobStore } from './ports/blob-store.ts';
import type { Corrections, TaskResults } from './ports/task-results.ts';
import { correctionsKey, resultKey } from './task-files.ts';

export function blobTaskResults(blobs: BlobStore): TaskResults {
  // One read, a missing blob answered by its ENOENT: on S3 a look first was one more round trip per read (HEAD + GET).
  async function readJson<T>(key: string): Promise<T | null> {
    try {
      return JSON.parse((await blobs.read(key)).toString('utf8')) as T;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return null;
      throw err;
    }
  }
  const write = async (taskId: string, result: CaptureResult) => {
    await blobs.put(resultKey(taskId), Buffer.from(JSON.stringify(result)));
  };
  return {
    read: (taskId) => readJson<CaptureResult>(resultKey(taskId)),
    write,
    async writeCorrections(taskId, corrections) {
      await blobs.put(correctionsKey(taskId), Buffer.from(JSON.stringify(corrections)));
    },
    readCorrections: (taskId) => readJson<Corrections>(correctionsKey(taskId)),
    async writeCorrected(taskId, result) {
      await write(taskId, result);
      await blobs.delete(correctionsKey(taskId));
    },
  };
}
