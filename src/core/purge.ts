/**
 * @module Deleting a task's file and derived data (docs/architecture.md#task-states: "file and all derived
 * data are deleted at once" when a task becomes final). The API and workers call it
 * right after a final transition; the sweeper calls it for any final task not yet
 * marked purged, so a crash between the two steps is repaired on the next sweep.
 * What to delete comes from task-files.ts, which builds every key of a task under
 * the roots it names here, so no file of a task can be missed.
 */
import type { BlobStore } from './ports/blob-store.ts';
import type { Clock } from './ports/clock.ts';
import type { TaskRepository } from './ports/task-repository.ts';
import { taskBlobRoots } from './task-files.ts';

/** Deletes everything stored for a task, its original and its derived data, in one call (on S3: a listing and one DeleteObjects). */
export async function deleteTaskBlobs(blobs: BlobStore, taskId: string): Promise<void> {
  const { upload, prefix } = taskBlobRoots(taskId);
  await blobs.deletePrefix(prefix, { keys: [upload] });
}

export async function purgeTask(deps: { tasks: Pick<TaskRepository, 'markPurged'>; blobs: BlobStore; clock: Clock }, taskId: string): Promise<void> {
  await deleteTaskBlobs(deps.blobs, taskId);
  await deps.tasks.markPurged(taskId, deps.clock());
}
