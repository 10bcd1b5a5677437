/**
 * @module The validation screen (docs/portal.md#validation-every-user): holds the task (lease.ts), shows the
 * page viewer beside the fields panel, and drives both from the keyboard — Enter
 * confirms and moves to the next open action, Tab moves between fields, Alt-keys move
 * between documents and pages (keys.ts, listed by `?`). Submit completes the client
 * action (asking once about checks still open); a 422's problems land on their fields;
 * after a successful submit the next task of the same project opens with a notice.
 * The ways out (useWayOut.ts), focus (useFocus.ts), edits (useEditing.ts) and the
 * viewer's state (useViewer.ts) live beside it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { Box, PageWords } from '../api/types.ts';
import { colourOf, confirmType, mergeWithNext, nextAction, openActions, setRows, setText, splitAt, toResults, type Target } from './draft.ts';
import { useLease } from './lease.ts';
import { useDraft } from './useDraft.ts';
import { commandOf } from './keys.ts';
import { PageViewer, type Highlight } from './PageViewer.tsx';
import { Thumbnails } from './Thumbnails.tsx';
import { DocumentCard } from './DocumentCard.tsx';
import { ShortcutsDialog, useHelp } from './Shortcuts.tsx';
import { ViewerTools } from './ViewerTools.tsx';
import { ValidateBar } from './ValidateBar.tsx';
import { ConfirmSubmitDialog, RejectDialog } from './WayOut.tsx';
import { openNextTask, takeNotice } from './wayout.ts';
import { useWayOut } from './useWayOut.ts';
import { useViewer } from './useViewer.ts';
import { uncheckedLabels } from './places.ts';
import { useFocus } from './useFocus.ts';
import { useEditing } from './useEditing.ts';
import { nextPick, type PickCursor } from './pick.ts';
import { useGridPick } from './useGridPick.ts';

export function Validate({ taskId }: { taskId: string }) {
  const lease = useLease(taskId);
  const draft = useDraft(taskId);
  const spec = lease.state.status === 'held' ? lease.state.spec : null;
  const { current, page, setPage, focusWanted, goTo, onTarget } = useFocus(draft.ref);
  const edit = useEditing(draft, goTo);
  const view = useViewer();
  const [notice] = useState(takeNotice);
  const [ask, setAsk] = useState<string[] | null>(null);
  const [picked, setPicked] = useState<Box | null>(null);
  const pickAt = useRef<PickCursor>({ key: '', i: -1 });
  const [words, setWords] = useState<Map<number, PageWords>>(new Map());
  const [help, setHelp] = useHelp();
  const [submitting, setSubmitting] = useState(false);
  const [pageLoaded, setPageLoaded] = useState(false);
  const { docs } = draft;
  const grid = useGridPick(draft, current, page, words.get(page), setPicked);

  const { init } = draft;
  useEffect(() => {
    if (!spec) return;
    const initial = init(spec);
    goTo(nextAction(initial, null)?.target ?? null, initial);
  }, [spec, init, goTo]);

  useEffect(() => {
    if (!spec || words.has(page)) return;
    call<PageWords>('GET', `/tasks/${encodeURIComponent(taskId)}/pages/${page}/words`).then((w) => setWords((m) => new Map(m).set(page, w)), () => undefined);
  }, [spec, page, words, taskId]);

  useEffect(() => {
    if (spec && pageLoaded && docs.length > 0) performance.mark('docket:validation-ready');
  }, [spec, pageLoaded, docs.length]);

  async function submit(anyway = false) {
    if (!spec || submitting) return;
    setAsk(null);
    // Confirmations still open: ask once; Enter in the question submits anyway.
    const unchecked = uncheckedLabels(draft.ref.current, openActions(draft.ref.current));
    if (!anyway && unchecked.length > 0) return setAsk(unchecked);
    setSubmitting(true);
    try {
      if (draft.dirty.current) await draft.check();
      await call('POST', `/tasks/${encodeURIComponent(taskId)}/complete_client_action?action=validation`, { body: toResults(draft.ref.current) });
      lease.markCompleted();
      await openNextTask(spec.task.project_id, taskId, `Submitted ${spec.task.name}.`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem.problems) {
        // Refused: to the first value that must change, whose message says why.
        const d = draft.showProblems(err.problem.problems);
        goTo((openActions(d).find((a) => a.kind === 'invalid_field') ?? nextAction(d, null))?.target ?? null, d);
      } else draft.setBanner([err instanceof ApiError ? err.problem.detail : String(err)]);
    } finally {
      setSubmitting(false);
    }
  }

  /** Alt+W / Alt+Shift+W: the next word or line nearest where the current field is expected, into the field. */
  function pickNear(kind: 'word' | 'line') {
    const w = words.get(page);
    if (grid.pickNear(kind) || !current || !('field' in current) || !w) return;
    const f = draft.ref.current[current.doc]?.fields.find((x) => x.name === current.field);
    if (!f || f.rows !== null) return;
    const near = [...f.original.areas, ...(f.original.alternatives ?? []).flatMap((a) => a.areas)].filter((a) => a.page === page).map((a) => a.box);
    const next = nextPick(w, near, kind, `${current.doc}/${current.field}/${kind}/${page}`, pickAt.current);
    if (!next) return;
    pickAt.current = next.cursor;
    draft.dirty.current = true;
    draft.setDocs(setText(draft.ref.current, current.doc, current.field, next.item.text));
    setPicked(next.item.box);
    focusWanted.current = current;
  }

  const way = useWayOut(taskId, spec, lease.markCompleted, draft.setBanner);
  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e: KeyboardEvent) => {
    if (help || ask || way.reasons || !spec) return;
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
      case 'boundary': return d[cur]?.boundaryNeedsReview ? edit.boundaryDone(cur) : undefined;
      case 'split': return void edit.restructure(splitAt(d, page));
      case 'merge': return void edit.restructure(mergeWithNext(d, docIndex));
      case 'zoom-in': return view.zoomStep(1);
      case 'zoom-out': return view.zoomStep(-1);
      case 'zoom-fit': return view.fit('width');
      case 'zoom-page': return view.fit('page');
      case 'rotate': return view.rotate();
      case 'next-task': return void way.nextTask();
      case 'give-back': return void way.giveBack();
      case 'postpone': return void way.postpone();
      case 'reject': return void way.openReject();
      case 'pick-word': return pickNear('word');
      case 'pick-line': return pickNear('line');
      case 'viewer': return document.querySelector<HTMLElement>('.viewer-frame')?.focus();
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

  const focusBox = useMemo<Box | null>(() => {
    if (picked) return picked;
    if (!current || !('field' in current)) return null;
    return docs[current.doc]?.fields.find((f) => f.name === current.field)?.original.areas.find((a) => a.page === page)?.box ?? null;
  }, [docs, current, page, picked]);
  useEffect(() => setPicked(null), [current]);

  if (lease.state.status === 'starting') return <div className="page" aria-busy="true"><p>Opening the task…</p></div>;
  if (lease.state.status === 'unavailable') return <div className="page"><h1>Task not available</h1><p className="notice error" role="alert">{lease.state.message}</p><p><a href="#/">Back to the queue</a></p></div>;
  if (lease.state.status === 'released' || !spec) return <div className="page"><p>The task went back to the queue. <a href="#/">Back to the queue</a></p></div>;

  const currentField = current && 'field' in current ? docs[current.doc]?.fields.find((f) => f.name === current.field) : undefined;
  const specPage = spec.pages[page] ?? spec.pages[0];
  return (
    <div className="validate">
      <ValidateBar
        title={spec.task.name}
        subtitle={`${spec.task.project_name} · ${spec.pages.length} pages · ${docs.length} documents`}
        leaseUntil={lease.state.leaseUntil}
        remaining={remaining}
        checking={draft.checking}
        submitting={submitting}
        busy={way.busy}
        onHelp={() => setHelp(true)}
        onReject={() => void way.openReject()}
        onPostpone={() => void way.postpone()}
        onGiveBack={() => void way.giveBack()}
        onNextTask={() => void way.nextTask()}
        onSubmit={() => void submit()}
      />
      {notice && draft.banner.length === 0 && <p className="notice ok" role="status">{notice}</p>}
      {draft.banner.length > 0 && <div className="notice error" role="alert"><ul>{draft.banner.map((m) => <li key={m}>{m}</li>)}</ul></div>}
      <div className="vgrid">
        <Thumbnails pages={spec.pages} docs={docs} current={page} ready={pageLoaded} onSelect={setPage} />
        <section className="viewer" aria-label="Page viewer">
          <ViewerTools
            page={page}
            pages={spec.pages.length}
            zoomLabel={view.label}
            pickHint={!currentField ? '' : currentField.rows === null ? `Click a word, drag a box or press Alt+W to fill “${currentField.name.replace(/_/g, ' ')}”` : 'Click a word or press Alt+W to fill the cell; drag a box over rows to fill its column from its row down'}
            onPage={(p) => setPage(Math.max(0, Math.min(spec.pages.length - 1, p)))}
            onZoom={view.zoomStep}
            onFit={view.fit}
            onRotate={view.rotate}
          />
          {specPage && (
            <PageViewer
              page={specPage}
              words={words.get(page) ?? null}
              zoom={view.zoom}
              fitPage={view.fitPage}
              focusBox={focusBox}
              onZoomIn={() => view.zoomStep(1)}
              rotation={view.rotation}
              highlights={highlights}
              canPick={!!currentField}
              onLoad={() => setPageLoaded(true)}
              onPick={(text, lines) => {
                if (!current || !('field' in current) || grid.pick(text, lines)) return;
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
              onType={(t) => edit.changeType(i, t)}
              onTypeKey={(e) => void edit.onTypeKey(i, e)}
              onConfirmType={() => { const n = confirmType(draft.ref.current, i); draft.setDocs(n); edit.next(n, { doc: i, part: 'type' }); }}
              onConfirmBoundary={() => edit.boundaryDone(i)}
              onSplit={() => void edit.restructure(splitAt(draft.ref.current, page))}
              onMerge={() => void edit.restructure(mergeWithNext(draft.ref.current, i))}
              onText={(name, text) => { draft.dirty.current = true; draft.setDocs(setText(draft.ref.current, i, name, text)); }}
              onRows={(name, rows) => { draft.dirty.current = true; draft.setDocs(setRows(draft.ref.current, i, name, rows)); }}
              onFieldKey={(name, e) => edit.onFieldKey(i, name, e)}
            />
          ))}
        </section>
      </div>
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
      {ask && <ConfirmSubmitDialog open={ask} onSubmit={() => void submit(true)} onClose={() => { setAsk(null); goTo(nextAction(draft.ref.current, null)?.target ?? null); }} />}
      {way.reasons && <RejectDialog reasons={way.reasons} onReject={(r) => void way.reject(r)} onClose={() => { way.closeReject(); if (current) focusWanted.current = current; }} />}
    </div>
  );
}
