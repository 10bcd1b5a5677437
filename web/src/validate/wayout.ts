/**
 * @module Leaving a task for the next one (docs/portal.md#validation-every-user): after a
 * submit, a reject, a postpone or "next task", the next task of the same project
 * opens with a notice saying what happened to the last one; with none left, Home
 * opens with that notice. Tasks this person postponed come last (the queue sorts
 * them there), and the task just left is never the next one.
 */
import { call } from '../api/client.ts';
import type { QueueAnswer } from '../api/types.ts';
import { navigate } from '../app/router.ts';

const NOTICE = 'docket.notice';

export async function openNextTask(projectId: string, left: string, notice: string): Promise<void> {
  const queue = await call<QueueAnswer>('GET', `/portal/queue?project_id=${encodeURIComponent(projectId)}`);
  const next = queue.waiting.find((t) => t.id !== left);
  sessionStorage.setItem(NOTICE, next ? `${notice} Next: ${next.name}.` : `${notice} No more tasks of this project are waiting.`);
  navigate(next ? `#/tasks/${next.id}` : '#/');
}

/** The notice left by the last screen, read once. */
export function takeNotice(): string | null {
  const n = sessionStorage.getItem(NOTICE);
  if (n) sessionStorage.removeItem(NOTICE);
  return n;
}
