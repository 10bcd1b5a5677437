/**
 * @module Deleting a task's file and derived data (DESIGN §2: "file and all derived
 * data are deleted at once" when a task becomes final). The API and workers call it
 * right after a final transition; the sweeper calls it for any final task not yet
 * marked purged, so a crash between the two steps is repaired on the next sweep.
 */
import type { BlobStore, Clock } from './ports.ts';
import type { TaskRepository } from './repositories.ts';

export function taskPrefix(taskId: string): string {
  return `tasks/${taskId}`;
}

export async function purgeTask(deps: { tasks: Pick<TaskRepository, 'markPurged'>; blobs: BlobStore; clock: Clock }, taskId: string): Promise<void> {
  await deps.blobs.deletePrefix(taskPrefix(taskId));
  await deps.tasks.markPurged(taskId, deps.clock());
}
