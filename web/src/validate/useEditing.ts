/**
 * @module What keys and edits do to the draft on the validation screen
 * (docs/portal.md#keyboard): Enter confirms a value and moves to the next open action
 * (never past a value that must change), Tab moves field to field without trapping,
 * a new type is checked after a short pause so arrow keys can pass over types, and
 * splits and merges are checked at once.
 */
import { useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { confirmBoundary, confirmField, confirmType, nextAction, setType, type DraftDoc, type Target } from './draft.ts';
import type { useDraft } from './useDraft.ts';

export function useEditing(draft: ReturnType<typeof useDraft>, goTo: (t: Target | null, d?: DraftDoc[]) => void) {
  const next = (d: DraftDoc[], from: Target) => goTo(nextAction(d, from)?.target ?? null, d);
  const typeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  async function commitField(doc: number, name: string) {
    let d = draft.ref.current;
    if (draft.dirty.current) d = await draft.check(d);
    // Enter does not leave a value that must change: the field keeps the focus, its messages say why.
    if (d[doc]?.fields.find((f) => f.name === name)?.valid === false) return;
    d = confirmField(d, doc, name);
    draft.setDocs(d);
    next(d, { doc, field: name });
  }

  function onFieldKey(doc: number, name: string, e: ReactKeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      void commitField(doc, name);
    } else if (e.key === 'Tab' && e.currentTarget.hasAttribute('data-field-input')) {
      // Field to field, skipping the buttons between; past the first or last field Tab goes on as usual (no trap).
      const inputs = [...document.querySelectorAll<HTMLElement>('[data-field-input]')];
      const to = inputs[inputs.indexOf(e.currentTarget) + (e.shiftKey ? -1 : 1)];
      if (to) {
        e.preventDefault();
        to.focus();
      }
      if (draft.dirty.current) void draft.check();
    } else if (e.key === 'Escape') {
      e.currentTarget.blur();
    }
  }

  function changeType(doc: number, type: string | null) {
    const d = setType(draft.ref.current, doc, type);
    draft.setDocs(d);
    if (typeTimer.current) clearTimeout(typeTimer.current);
    typeTimer.current = setTimeout(() => void draft.check(), 150);
  }

  async function onTypeKey(doc: number, e: ReactKeyboardEvent<HTMLSelectElement>) {
    if (e.key !== 'Enter' || e.ctrlKey) return;
    e.preventDefault();
    if (typeTimer.current) {
      clearTimeout(typeTimer.current);
      typeTimer.current = null;
      await draft.check();
    }
    const d = confirmType(draft.ref.current, doc);
    draft.setDocs(d);
    if (d[doc]?.type !== null) next(d, { doc, part: 'type' });
  }

  function boundaryDone(doc: number) {
    const d = confirmBoundary(draft.ref.current, doc);
    draft.setDocs(d);
    next(d, { doc, part: 'boundary' });
  }

  async function restructure(d: DraftDoc[]) {
    draft.setDocs(d);
    const checked = await draft.check(d);
    goTo(nextAction(checked, null)?.target ?? null, checked);
  }


  return { next, commitField, onFieldKey, changeType, onTypeKey, boundaryDone, restructure };
}
