/**
 * @module The keyboard shortcuts, listed in one table that both the `?` dialog and
 * the key handler read, so the list shown is always the list that works.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['Enter', 'Confirm the current value and go to the next action'],
  ['Tab / Shift+Tab', 'Next / previous field'],
  ['Alt+↓ / Alt+↑', 'Next / previous document'],
  ['Alt+→ / Alt+←, PageDown / PageUp', 'Next / previous page'],
  ['Alt+T', 'Change the current document\'s type (arrow keys, then Enter)'],
  ['Alt+B', 'Confirm the current document\'s boundary'],
  ['Alt+S', 'Split: a new document starts at the current page'],
  ['Alt+M', 'Merge the current document with the next'],
  ['Alt+= / Alt+- / Alt+0 / Alt+9', 'Zoom in / out / fit width / fit page'],
  ['Alt+R', 'Rotate the view 90°'],
  ['Alt+W / Alt+Shift+W', 'Fill the current field with the next word / line near where it is expected on the page'],
  ['Alt+V', 'Move focus to the page (arrow keys scroll it)'],
  ['Ctrl+Enter', 'Submit the task (asks once when checks are still open)'],
  ['Alt+N', 'Next task: give this one back and open the next'],
  ['Alt+G', 'Give this task back and go to the queue'],
  ['Alt+P', 'Postpone: later in your own queue, and open the next'],
  ['Alt+X', 'Reject with a reason'],
  ['In line items: ↑ / ↓, Alt+I / Alt+K', 'Row above / below; add a row below / remove the row'],
  ['Escape', 'Close this list; leave the field for the page'],
  ['? or F1', 'Show this list'],
];

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose} onCancel={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="grid compact">
        <thead><tr><th scope="col">Keys</th><th scope="col">Does</th></tr></thead>
        <tbody>{SHORTCUTS.map(([k, d]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{d}</td></tr>)}</tbody>
      </table>
      <form method="dialog"><button type="submit" className="primary" autoFocus>Close</button></form>
    </dialog>
  );
}

/** Whether the list is open; closing it hands the focus back to where it was (the dialog is unmounted, so the browser cannot). */
export function useHelp(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(false);
  const back = useRef<HTMLElement | null>(null);
  const set = useCallback((next: boolean) => {
    if (next) back.current = document.activeElement as HTMLElement | null;
    setOpen(next);
    if (!next) setTimeout(() => back.current?.focus(), 0);
  }, []);
  return [open, set];
}
