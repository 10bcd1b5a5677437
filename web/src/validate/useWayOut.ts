/**
 * @module The validation screen's ways out (docs/portal.md#validation-every-user): give
 * back, next task (give back and open the next), postpone and reject with one of the
 * project's reasons. Each calls its portal route (the task's lease ends there), then
 * opens the next task or Home with a notice of what was done; a refusal shows in the
 * screen's banner and leaves the task held.
 */
import { useState } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { QueueAnswer, ValidationSpec } from '../api/types.ts';
import { navigate } from '../app/router.ts';
import { openNextTask } from './wayout.ts';

type Route = 'give_back' | 'postpone' | 'reject';

export function useWayOut(taskId: string, spec: ValidationSpec | null, markCompleted: () => void, setBanner: (m: string[]) => void) {
  const [busy, setBusy] = useState(false);
  const [reasons, setReasons] = useState<string[] | null>(null);
  const name = spec?.task.name ?? '';

  async function leave(route: Route, notice: string, then: 'next' | 'home', body?: unknown) {
    if (!spec || busy) return;
    setBusy(true);
    try {
      await call('POST', `/tasks/${encodeURIComponent(taskId)}/validation/${route}`, body === undefined ? {} : { body });
      markCompleted();
      if (then === 'next') await openNextTask(spec.task.project_id, taskId, notice);
      else {
        sessionStorage.setItem('docket.notice', notice);
        navigate('#/');
      }
    } catch (err) {
      setBanner([err instanceof ApiError ? err.problem.detail : String(err)]);
      setBusy(false);
    }
  }

  return {
    busy,
    /** The project's reject reasons while the reject question is open, else null. */
    reasons,
    closeReject: () => setReasons(null),
    async openReject() {
      if (!spec) return;
      const queue = await call<QueueAnswer>('GET', `/portal/queue?project_id=${encodeURIComponent(spec.task.project_id)}`).catch(() => null);
      setReasons(queue?.projects.find((p) => p.id === spec.task.project_id)?.reject_reasons ?? []);
    },
    reject: (reason: string) => {
      setReasons(null);
      return leave('reject', `Rejected ${name}: ${reason}.`, 'next', { reason });
    },
    giveBack: () => leave('give_back', `Gave back ${name}.`, 'home'),
    nextTask: () => leave('give_back', `Gave back ${name}.`, 'next'),
    postpone: () => leave('postpone', `Postponed ${name}: it comes last in your queue.`, 'next'),
  };
}
