/**
 * @module The validation screen's two questions, as modal dialogs driven by keys
 * (docs/portal.md#validation-every-user): rejecting asks for one of the project's reasons
 * (arrow keys pick, Enter rejects, Escape goes back); submitting with confirmations
 * still open asks once (Enter submits anyway, Escape goes back to the first one).
 * The dialog element traps focus while open and hands it back when closed.
 */
import { useEffect, useRef, useState } from 'react';

function useModal() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // showModal focuses the first control; the one meant to answer Enter is marked instead.
    d?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  return ref;
}

export function RejectDialog({ reasons, onReject, onClose }: { reasons: string[]; onReject(reason: string): void; onClose(): void }) {
  const ref = useModal();
  const [reason, setReason] = useState(reasons[0] ?? '');
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="reject-title" onClose={onClose} onCancel={onClose}>
      <h2 id="reject-title">Reject this task</h2>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); if (reason) onReject(reason); }}>
        <label htmlFor="reject-reason">Reason</label>
        <select id="reject-reason" value={reason} data-autofocus="" onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter' && reason) { e.preventDefault(); onReject(reason); } }} size={Math.min(6, Math.max(2, reasons.length))}>
          {reasons.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <div className="dialog-buttons">
          <button type="button" className="ghost" onClick={onClose}>Back <kbd>Esc</kbd></button>
          <button type="submit" className="danger" disabled={!reason}>Reject <kbd>Enter</kbd></button>
        </div>
      </form>
    </dialog>
  );
}

export function ConfirmSubmitDialog({ open, onSubmit, onClose }: { open: string[]; onSubmit(): void; onClose(): void }) {
  const ref = useModal();
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-submit-title" aria-describedby="confirm-submit-list" onClose={onClose} onCancel={onClose}>
      <h2 id="confirm-submit-title">{open.length} {open.length === 1 ? 'check is' : 'checks are'} still open</h2>
      <p id="confirm-submit-list">Not confirmed yet: {open.join(', ')}. Submitted as they are, they will be stored unchecked.</p>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
        <div className="dialog-buttons">
          <button type="button" className="ghost" onClick={onClose}>Go back <kbd>Esc</kbd></button>
          <button type="submit" className="primary" data-autofocus="">Submit anyway <kbd>Enter</kbd></button>
        </div>
      </form>
    </dialog>
  );
}
