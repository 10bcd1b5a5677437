/**
 * @module Holding a task for validation (docs/architecture.md#leases). Opening the screen
 * starts the `validation` client action; while the person is active (a key, a click
 * or a pointer move in the last 5 minutes) the lease is extended every minute;
 * leaving the screen or closing the tab cancels the client action with a keepalive
 * request, so the task goes straight back to the queue instead of waiting for its
 * lease to expire. A reload finds the task held by the same user, gives it back and
 * takes it again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { QueueAnswer, ValidationSpec } from '../api/types.ts';

const EXTEND_EVERY_MS = 60_000;
const ACTIVE_WITHIN_MS = 5 * 60_000;

export type LeaseState =
  | { status: 'starting' }
  | { status: 'held'; spec: ValidationSpec; leaseUntil: string }
  | { status: 'unavailable'; message: string }
  | { status: 'released' };

const base = (id: string) => `/tasks/${encodeURIComponent(id)}`;

async function start(id: string): Promise<ValidationSpec> {
  try {
    return await call<ValidationSpec>('POST', `${base(id)}/start_client_action?action=validation`);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409 || err.problem.state !== 'pending:complete_client_action') throw err;
    const queue = await call<QueueAnswer>('GET', '/portal/queue');
    const mine = queue.in_progress.find((t) => t.id === id);
    if (!mine?.held_by_me) throw new ApiError({ ...err.problem, detail: `${mine?.held_by ?? 'someone else'} is validating this task` });
    await call('POST', `${base(id)}/cancel_client_action?action=validation`);
    return call<ValidationSpec>('POST', `${base(id)}/start_client_action?action=validation`);
  }
}

export function useLease(taskId: string) {
  const [state, setState] = useState<LeaseState>({ status: 'starting' });
  const held = useRef(false);
  const lastActive = useRef(Date.now());

  const cancel = useCallback((keepalive: boolean) => {
    if (!held.current) return Promise.resolve();
    held.current = false;
    return call('POST', `${base(taskId)}/cancel_client_action?action=validation`, { keepalive }).catch(() => undefined);
  }, [taskId]);

  useEffect(() => {
    let live = true;
    start(taskId).then((spec) => {
      held.current = true;
      if (live) setState({ status: 'held', spec, leaseUntil: spec.lease_expires_at });
      else void cancel(true);
    }, (err: unknown) => {
      if (live) setState({ status: 'unavailable', message: err instanceof ApiError ? err.problem.detail : String(err) });
    });
    const onHide = () => void cancel(true);
    window.addEventListener('pagehide', onHide);
    return () => {
      live = false;
      window.removeEventListener('pagehide', onHide);
      void cancel(true);
    };
  }, [taskId, cancel]);

  useEffect(() => {
    const mark = () => { lastActive.current = Date.now(); };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    const timer = setInterval(() => {
      if (!held.current || Date.now() - lastActive.current > ACTIVE_WITHIN_MS) return;
      call<{ lease_expires_at: string }>('POST', `${base(taskId)}/extend_client_action?action=validation`).then(
        (t) => setState((s) => (s.status === 'held' ? { ...s, leaseUntil: t.lease_expires_at } : s)),
        () => undefined,
      );
    }, EXTEND_EVERY_MS);
    return () => {
      for (const e of events) window.removeEventListener(e, mark);
      clearInterval(timer);
    };
  }, [taskId]);

  /** After a successful submit the lease is gone with the task's state; nothing to cancel. */
  const markCompleted = useCallback(() => {
    held.current = false;
  }, []);

  const release = useCallback(async () => {
    await cancel(false);
    setState({ status: 'released' });
  }, [cancel]);

  return { state, markCompleted, release };
}
