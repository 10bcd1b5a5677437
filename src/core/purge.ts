/**
 * @module Deleting a task's file and derived data (docs/architecture.md#task-states: "file and all derived
 * data are deleted at once" when a task becomes final). The API and workers call it
 * right after a final transition; the sweeper calls it for any final task not yet
 * marked purged, so a crash between the two steps is repaired on the next sweep.
 */
import type { BlobStore, Clock } from './ports.ts';
import type { TaskRepository } from './repositories.ts';

export const TASKS_FOLDER = 'tasks';
export const UPLOADS_FOLDER = 'uploads';

/** The folder of a task's derived data (pages, outputs, results). */
export function taskPrefix(taskId: string): string {
  return `${TASKS_FOLDER}/${taskId}`;
}

/**
 * Where an upload's original file is kept: one flat folder, so an upload makes no
 * folder of its own (bench/ingest). Tasks created before this layout keep their
 * original at `tasks/<id>/original`, which `deleteTaskBlobs` still covers.
 */
export function uploadKey(taskId: string): string {
  return `${UPLOADS_FOLDER}/${taskId}`;
}

/** Deletes everything stored for a task: its original and its derived data. */
export async function deleteTaskBlobs(blobs: BlobStore, taskId: string): Promise<void> {
  await blobs.delete(uploadKey(taskId));
  await blobs.deletePrefix(taskPrefix(taskId));
}

export async function purgeTask(deps: { tasks: Pick<TaskRepository, 'markPurged'>; blobs: BlobStore; clock: Clock }, taskId: string): Promise<void> {
  await deleteTaskBlobs(deps.blobs, taskId);
  await deps.tasks.markPurged(taskId, deps.clock());
}
