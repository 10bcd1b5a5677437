/**
 * @module Where the person is on the validation screen: the current target (field,
 * type or boundary), the page shown, and the focus wished for. Moving to a target
 * shows its page; the wished-for element is focused on the next render where it
 * exists (a draft set in the same commit may not be rendered yet), or Submit when
 * nothing is left to do.
 */
import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { DraftDoc, Target } from './draft.ts';
import { elementOf, pageOf } from './places.ts';

export function useFocus(docsRef: MutableRefObject<DraftDoc[]>) {
  const [current, setCurrent] = useState<Target | null>(null);
  const [page, setPage] = useState(0);
  const focusWanted = useRef<Target | 'submit' | null>(null);

  useEffect(() => {
    const want = focusWanted.current;
    if (!want) return;
    const el = want === 'submit' ? document.getElementById('submit') : elementOf(want);
    if (!el) return;
    focusWanted.current = null;
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  });

  /** Moves to `t` (Submit when null): its page, and the focus on the next render. */
  const goTo = useCallback((t: Target | null, d: DraftDoc[] = docsRef.current) => {
    focusWanted.current = t ?? 'submit';
    setCurrent(t);
    const p = t ? pageOf(d, t) : null;
    if (p !== null) setPage(p);
  }, [docsRef]);

  /** The person moved there themselves (focus is already on it): only the page follows. */
  const onTarget = useCallback((t: Target) => {
    setCurrent(t);
    const p = pageOf(docsRef.current, t);
    if (p !== null) setPage(p);
  }, [docsRef]);

  return { current, page, setPage, focusWanted, goTo, onTarget };
}
