/**
 * @module The validation screen's top bar: the task, who holds it until when, the
 * actions remaining, and every way out with its key — shortcuts, reject, postpone,
 * give back, next task, submit. It wraps onto more lines instead of scrolling
 * sideways when the screen is narrow or zoomed (WCAG 1.4.10).
 */
import { clock } from '../app/format.ts';

interface Props {
  title: string;
  subtitle: string;
  leaseUntil: string;
  remaining: number;
  checking: boolean;
  submitting: boolean;
  busy: boolean;
  onHelp(): void;
  onReject(): void;
  onPostpone(): void;
  onGiveBack(): void;
  onNextTask(): void;
  onSubmit(): void;
}

export function ValidateBar(p: Props) {
  return (
    <div className="vbar">
      <div className="vtitle">
        <h1>{p.title}</h1>
        <span className="muted">{p.subtitle}</span>
      </div>
      <span className="holder">Held by you until {clock(p.leaseUntil)}</span>
      <span className={p.remaining === 0 ? 'counter done' : 'counter'} role="status" aria-live="polite">
        {p.remaining === 0 ? 'No actions remaining' : `${p.remaining} action${p.remaining === 1 ? '' : 's'} remaining`}{p.checking ? ' · checking…' : ''}
      </span>
      <div className="vactions">
        <button type="button" className="ghost" onClick={p.onHelp} aria-keyshortcuts="? F1">Shortcuts <kbd>?</kbd></button>
        <button type="button" className="ghost danger" disabled={p.busy} onClick={p.onReject} aria-keyshortcuts="Alt+X">Reject… <kbd>Alt+X</kbd></button>
        <button type="button" className="ghost" disabled={p.busy} onClick={p.onPostpone} aria-keyshortcuts="Alt+P">Postpone <kbd>Alt+P</kbd></button>
        <button type="button" className="ghost" disabled={p.busy} onClick={p.onGiveBack} aria-keyshortcuts="Alt+G">Give back <kbd>Alt+G</kbd></button>
        <button type="button" className="ghost" disabled={p.busy} onClick={p.onNextTask} aria-keyshortcuts="Alt+N">Next task <kbd>Alt+N</kbd></button>
        <button type="button" id="submit" className="primary" disabled={p.submitting || p.busy} onClick={p.onSubmit} aria-keyshortcuts="Control+Enter">
          {p.submitting ? 'Submitting…' : 'Submit'} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}
