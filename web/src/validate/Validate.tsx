/**
 * @module The validation screen (docs/portal.md#validation-every-user): holds the task (lease.ts), shows the
 * page viewer beside the fields panel, and drives both from the keyboard — Enter
 * confirms and moves to the next open action, Tab moves between fields, Alt-keys move
 * between documents and pages (keys.ts, listed by `?`). Submit completes the client
 * action; a 422's problems land on their fields; after a successful submit the next
 * task of the same project opens.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { PageWords, QueueAnswer } from '../api/types.ts';
import { clock } from '../app/format.ts';
import { navigate } from '../app/router.ts';
import { colourOf, confirmBoundary, confirmField, confirmType, mergeWithNext, nextAction, openActions, setRows, setText, setType, splitAt, toResults, type DraftDoc, type Target } from './draft.ts';
import { useLease } from './lease.ts';
import { useDraft } from './useDraft.ts';
import { commandOf } from './keys.ts';
import { PageViewer, type Highlight } from './PageViewer.tsx';
import { Thumbnails } from './Thumbnails.tsx';
import { DocumentCard, boundaryButtonId, typeSelectId } from './DocumentCard.tsx';
import { fieldInputId } from './FieldRow.tsx';
import { ShortcutsDialog } from './Shortcuts.tsx';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

function elementOf(t: Target): HTMLElement | null {
  const id = 'field' in t ? fieldInputId(t.doc, t.field) : t.part === 'type' ? typeSelectId(t.doc) : boundaryButtonId(t.doc);
  return document.getElementById(id) ?? document.getElementById(typeSelectId(t.doc));
}

function pageOf(docs: DraftDoc[], t: Target): number | null {
  const d = docs[t.doc];
  if (!d) return null;
  const area = 'field' in t ? d.fields.find((f) => f.name === t.field)?.original.areas[0] : undefined;
  return area && area.page >= d.pages[0] && area.page <= d.pages[1] ? area.page : d.pages[0];
}

export function Validate({ taskId }: { taskId: string }) {
  const lease = useLease(taskId);
  const draft = useDraft(taskId);
  const spec = lease.state.status === 'held' ? lease.state.spec : null;
  const [current, setCurrent] = useState<Target | null>(null);
  const [page, setPage] = useState(0);
  const [zoom, setZoom] = useState(2);
  const [rotation, setRotation] = useState(0);
  const [words, setWords] = useState<Map<number, PageWords>>(new Map());
  const [help, setHelpState] = useState(false);
  const helpReturn = useRef<HTMLElement | null>(null);
  // The dialog is unmounted on close, so focus is handed back here rather than by the browser.
  const setHelp = useCallback((open: boolean) => {
    if (open) helpReturn.current = document.activeElement as HTMLElement | null;
    setHelpState(open);
    if (!open) setTimeout(() => helpReturn.current?.focus(), 0);
  }, []);
  const [submitting, setSubmitting] = useState(false);
  const [pageLoaded, setPageLoaded] = useState(false);
  const focusWanted = useRef<Target | 'submit' | null>(null);
  const typeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { docs } = draft;

  const { init } = draft;
  useEffect(() => {
    if (!spec) return;
    const initial = init(spec);
    focusWanted.current = nextAction(initial, null)?.target ?? 'submit';
    const first = focusWanted.current;
    if (first === 'submit') return;
    setCurrent(first);
    const p = pageOf(initial, first);
    if (p !== null) setPage(p);
  }, [spec, init]);

  useEffect(() => {
    const want = focusWanted.current;
    if (!want) return;
    // The element may not be rendered yet (a draft set in the same commit): keep the wish for the next render.
    const el = want === 'submit' ? document.getElementById('submit') : elementOf(want);
    if (!el) return;
    focusWanted.current = null;
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  });

  useEffect(() => {
    if (!spec || words.has(page)) return;
    call<PageWords>('GET', `/tasks/${encodeURIComponent(taskId)}/pages/${page}/words`).then((w) => setWords((m) => new Map(m).set(page, w)), () => undefined);
  }, [spec, page, words, taskId]);

  useEffect(() => {
    if (spec && pageLoaded && docs.length > 0) performance.mark('docket:validation-ready');
  }, [spec, pageLoaded, docs.length]);

  const goTo = useCallback((t: Target | null, d: DraftDoc[] = draft.ref.current) => {
    if (!t) {
      focusWanted.current = 'submit';
      setCurrent(null);
      return;
    }
    focusWanted.current = t;
    setCurrent(t);
    const p = pageOf(d, t);
    if (p !== null) setPage(p);
  }, [draft.ref]);

  const onTarget = useCallback((t: Target) => {
    setCurrent(t);
    const p = pageOf(draft.ref.current, t);
    if (p !== null) setPage(p);
  }, [draft.ref]);

  const next = useCallback((d: DraftDoc[], from: Target) => goTo(nextAction(d, from)?.target ?? null, d), [goTo]);

  async function commitField(doc: number, name: string) {
    let d = draft.ref.current;
    if (draft.dirty.current) d = await draft.check(d);
    d = confirmField(d, doc, name);
    draft.setDocs(d);
    next(d, { doc, field: name });
  }

  function onFieldKey(doc: number, name: string, e: ReactKeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      void commitField(doc, name);
    } else if (e.key === 'Tab' && e.currentTarget.hasAttribute('data-field-input')) {
      e.preventDefault();
      const inputs = [...document.querySelectorAll<HTMLElement>('[data-field-input]')];
      const at = inputs.indexOf(e.currentTarget);
      inputs[(at + (e.shiftKey ? -1 : 1) + inputs.length) % inputs.length]?.focus();
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

  async function submit() {
    if (!spec || submitting) return;
    setSubmitting(true);
    try {
      if (draft.dirty.current) await draft.check();
      await call('POST', `/tasks/${encodeURIComponent(taskId)}/complete_client_action?action=validation`, { body: toResults(draft.ref.current) });
      lease.markCompleted();
      const queue = await call<QueueAnswer>('GET', `/portal/queue?project_id=${encodeURIComponent(spec.task.project_id)}`);
      const nextTask = queue.waiting.find((t) => t.id !== taskId);
      if (nextTask) navigate(`#/tasks/${nextTask.id}`);
      else {
        sessionStorage.setItem('docket.notice', `Submitted ${spec.task.name}. No more tasks of ${spec.task.project_name} are waiting.`);
        navigate('#/');
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem.problems) {
        const d = draft.showProblems(err.problem.problems);
        goTo(nextAction(d, null)?.target ?? null, d);
      } else draft.setBanner([err instanceof ApiError ? err.problem.detail : String(err)]);
    } finally {
      setSubmitting(false);
    }
  }

  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e: KeyboardEvent) => {
    if (help || !spec) return;
    const cmd = commandOf(e);
    if (!cmd) return;
    e.preventDefault();
    const d = draft.ref.current;
    const docIndex = Math.max(0, d.findIndex((x) => page >= x.pages[0] && page <= x.pages[1]));
    const cur = current?.doc ?? docIndex;
    const firstOf = (i: number): Target => (d[i]?.fields[0] ? { doc: i, field: d[i]!.fields[0]!.name } : { doc: i, part: 'type' });
    switch (cmd) {
      case 'help': return setHelp(true);
      case 'submit': return void submit();
      case 'next-doc': return goTo(firstOf(Math.min(d.length - 1, cur + 1)));
      case 'prev-doc': return goTo(firstOf(Math.max(0, cur - 1)));
      case 'next-page': return setPage((p) => Math.min(spec.pages.length - 1, p + 1));
      case 'prev-page': return setPage((p) => Math.max(0, p - 1));
      case 'type': return goTo({ doc: cur, part: 'type' });
      case 'boundary': return d[cur]?.boundaryNeedsReview ? boundaryDone(cur) : undefined;
      case 'split': return void restructure(splitAt(d, page));
      case 'merge': return void restructure(mergeWithNext(d, docIndex));
      case 'zoom-in': return setZoom((z) => Math.min(ZOOMS.length - 1, z + 1));
      case 'zoom-out': return setZoom((z) => Math.max(0, z - 1));
      case 'zoom-fit': return setZoom(2);
      case 'rotate': return setRotation((r) => (r + 90) % 360);
    }
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => onKey.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  const remaining = useMemo(() => openActions(docs).length, [docs]);
  const highlights = useMemo<Highlight[]>(() => docs.flatMap((d, di) => d.fields.flatMap((f) => f.original.areas.filter((a) => a.page === page && !f.edited).map((a) => ({
    box: a.box, colour: colourOf(f), current: current !== null && current.doc === di && 'field' in current && current.field === f.name,
  })))), [docs, page, current]);

  if (lease.state.status === 'starting') return <div className="page" aria-busy="true"><p>Opening the task…</p></div>;
  if (lease.state.status === 'unavailable') return <div className="page"><h1>Task not available</h1><p className="notice error" role="alert">{lease.state.message}</p><p><a href="#/">Back to the queue</a></p></div>;
  if (lease.state.status === 'released' || !spec) return <div className="page"><p>The task went back to the queue. <a href="#/">Back to the queue</a></p></div>;

  const currentField = current && 'field' in current ? docs[current.doc]?.fields.find((f) => f.name === current.field) : undefined;
  const specPage = spec.pages[page] ?? spec.pages[0];
  return (
    <div className="validate">
      <div className="vbar">
        <div className="vtitle">
          <h1>{spec.task.name}</h1>
          <span className="muted">{spec.task.project_name} · {spec.pages.length} pages · {docs.length} documents</span>
        </div>
        <span className="holder">Held by you until {clock(lease.state.leaseUntil)}</span>
        <span className={remaining === 0 ? 'counter done' : 'counter'} role="status" aria-live="polite">
          {remaining === 0 ? 'No actions remaining' : `${remaining} action${remaining === 1 ? '' : 's'} remaining`}{draft.checking ? ' · checking…' : ''}
        </span>
        <button type="button" className="ghost" onClick={() => setHelp(true)} aria-keyshortcuts="?">Shortcuts <kbd>?</kbd></button>
        <button type="button" className="ghost" onClick={() => void lease.release().then(() => navigate('#/'))}>Give back</button>
        <button type="button" id="submit" className="primary" disabled={submitting} onClick={() => void submit()} aria-keyshortcuts="Control+Enter">
          {submitting ? 'Submitting…' : 'Submit'} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
      {draft.banner.length > 0 && <div className="notice error" role="alert"><ul>{draft.banner.map((m) => <li key={m}>{m}</li>)}</ul></div>}
      <div className="vgrid">
        <Thumbnails pages={spec.pages} docs={docs} current={page} ready={pageLoaded} onSelect={setPage} />
        <section className="viewer" aria-label="Page viewer">
          <div className="viewer-tools" role="toolbar" aria-label="Page tools">
            <button type="button" className="small ghost" tabIndex={-1} onClick={() => setPage(Math.max(0, page - 1))} disabled={page === 0} aria-label="Previous page">‹</button>
            <span>Page {page + 1} / {spec.pages.length}</span>
            <button type="button" className="small ghost" tabIndex={-1} onClick={() => setPage(Math.min(spec.pages.length - 1, page + 1))} disabled={page >= spec.pages.length - 1} aria-label="Next page">›</button>
            <span className="sep" />
            <button type="button" className="small ghost" tabIndex={-1} onClick={() => setZoom(Math.max(0, zoom - 1))} aria-label="Zoom out">−</button>
            <button type="button" className="small ghost" tabIndex={-1} onClick={() => setZoom(2)}>Fit</button>
            <button type="button" className="small ghost" tabIndex={-1} onClick={() => setZoom(Math.min(ZOOMS.length - 1, zoom + 1))} aria-label="Zoom in">+</button>
            <span className="muted">{Math.round((ZOOMS[zoom] ?? 1) * 100)} %</span>
            <button type="button" className="small ghost" tabIndex={-1} onClick={() => setRotation((rotation + 90) % 360)} aria-label="Rotate view">⟳</button>
            <span className="muted pick-hint">{currentField && currentField.rows === null ? `Click a word or drag a box to fill “${currentField.name.replace(/_/g, ' ')}”` : ''}</span>
          </div>
          {specPage && (
            <PageViewer
              page={specPage}
              words={words.get(page) ?? null}
              zoom={ZOOMS[zoom] ?? 1}
              rotation={rotation}
              highlights={highlights}
              canPick={!!currentField && currentField.rows === null}
              onLoad={() => setPageLoaded(true)}
              onPick={(text) => {
                if (!current || !('field' in current)) return;
                const d = setText(draft.ref.current, current.doc, current.field, text);
                draft.setDocs(d);
                void draft.check(d);
                focusWanted.current = current;
              }}
            />
          )}
        </section>
        <section className="panel" aria-label="Documents and fields">
          {docs.map((d, i) => (
            <DocumentCard
              key={d.key}
              index={i}
              doc={d}
              count={docs.length}
              types={spec.document_types}
              current={current}
              page={page}
              onTarget={onTarget}
              onType={(t) => changeType(i, t)}
              onTypeKey={(e) => void onTypeKey(i, e)}
              onConfirmType={() => { const n = confirmType(draft.ref.current, i); draft.setDocs(n); next(n, { doc: i, part: 'type' }); }}
              onConfirmBoundary={() => boundaryDone(i)}
              onSplit={() => void restructure(splitAt(draft.ref.current, page))}
              onMerge={() => void restructure(mergeWithNext(draft.ref.current, i))}
              onText={(name, text) => { draft.dirty.current = true; draft.setDocs(setText(draft.ref.current, i, name, text)); }}
              onRows={(name, rows) => { draft.dirty.current = true; draft.setDocs(setRows(draft.ref.current, i, name, rows)); }}
              onFieldKey={(name, e) => onFieldKey(i, name, e)}
            />
          ))}
        </section>
      </div>
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
