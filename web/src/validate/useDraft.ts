/**
 * @module The draft's state with its service checks: every change that can alter
 * validity (a committed value, a new type, moved boundaries) is sent to
 * `POST /tasks/{id}/validation/preview`, which answers the problems and the
 * documents it extracted again; only the latest answer is applied, so a slow one
 * never overwrites newer work.
 */
import { useCallback, useRef, useState } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { PreviewAnswer, ValidationSpec } from '../api/types.ts';
import { applyCheck, docOf, generalProblems, toResults, type DraftDoc } from './draft.ts';

export function useDraft(taskId: string) {
  const [docs, setDocsState] = useState<DraftDoc[]>([]);
  const [banner, setBanner] = useState<string[]>([]);
  const [checking, setChecking] = useState(false);
  const ref = useRef<DraftDoc[]>([]);
  const seq = useRef(0);
  const dirty = useRef(false);

  const setDocs = useCallback((d: DraftDoc[]) => {
    ref.current = d;
    setDocsState(d);
  }, []);

  const init = useCallback((spec: ValidationSpec) => {
    const initial = spec.documents.map(docOf);
    setDocs(initial);
    return initial;
  }, [setDocs]);

  /** Checks the draft as it is now; resolves with the draft after the answer (or unchanged when superseded). */
  const check = useCallback(async (draft: DraftDoc[] = ref.current): Promise<DraftDoc[]> => {
    const mine = ++seq.current;
    dirty.current = false;
    setChecking(true);
    try {
      const answer = await call<PreviewAnswer>('POST', `/tasks/${encodeURIComponent(taskId)}/validation/preview`, { body: toResults(draft) });
      if (mine !== seq.current) return ref.current;
      // Edits made while the check ran are kept: validity is laid onto the current draft by field name.
      const base = ref.current === draft ? draft : ref.current;
      const next = applyCheck(base, answer.problems, answer.documents && base.length === answer.documents.length ? answer.documents : undefined);
      setDocs(next);
      // Document-level messages show on their cards, and a missing type is already an open action.
      setBanner(generalProblems(answer.problems).filter((m) => !/^documents\[\d+\](\.document_type)?: /.test(m)));
      return next;
    } catch (err) {
      setBanner([err instanceof ApiError ? err.problem.detail : String(err)]);
      return ref.current;
    } finally {
      if (mine === seq.current) setChecking(false);
    }
  }, [taskId, setDocs]);

  /** Applies a submit's 422 problems onto the fields they name. */
  const showProblems = useCallback((problems: { path: string; message: string }[]) => {
    const next = applyCheck(ref.current, problems);
    setDocs(next);
    setBanner(generalProblems(problems).filter((m) => !/^documents\[\d+\]: /.test(m)));
    return next;
  }, [setDocs]);

  return { docs, ref, setDocs, init, check, checking, banner, setBanner, dirty, showProblems };
}
