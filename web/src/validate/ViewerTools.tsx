/**
 * @module The page viewer's toolbar: page steps, zoom steps, fit width, fit page and
 * rotate, each a real button in the Tab order with its key shown and declared
 * (`aria-keyshortcuts`), so a mouse, a keyboard and a screen reader find the same controls.
 */
interface Props {
  page: number;
  pages: number;
  zoomLabel: string;
  pickHint: string;
  onPage(p: number): void;
  onZoom(step: -1 | 1): void;
  onFit(kind: 'width' | 'page'): void;
  onRotate(): void;
}

export function ViewerTools({ page, pages, zoomLabel, pickHint, onPage, onZoom, onFit, onRotate }: Props) {
  return (
    <div className="viewer-tools" role="toolbar" aria-label="Page tools">
      <button type="button" className="small ghost" onClick={() => onPage(page - 1)} disabled={page === 0} aria-label="Previous page" aria-keyshortcuts="Alt+ArrowLeft PageUp" title="Alt+← or PageUp">‹</button>
      <span>Page {page + 1} / {pages}</span>
      <button type="button" className="small ghost" onClick={() => onPage(page + 1)} disabled={page >= pages - 1} aria-label="Next page" aria-keyshortcuts="Alt+ArrowRight PageDown" title="Alt+→ or PageDown">›</button>
      <span className="sep" />
      <button type="button" className="small ghost" onClick={() => onZoom(-1)} aria-label="Zoom out" aria-keyshortcuts="Alt+-" title="Alt+-">−</button>
      <button type="button" className="small ghost" onClick={() => onFit('width')} aria-keyshortcuts="Alt+0" title="Alt+0">Fit width</button>
      <button type="button" className="small ghost" onClick={() => onFit('page')} aria-keyshortcuts="Alt+9" title="Alt+9">Fit page</button>
      <button type="button" className="small ghost" onClick={() => onZoom(1)} aria-label="Zoom in" aria-keyshortcuts="Alt+=" title="Alt+=">+</button>
      <span className="muted">{zoomLabel}</span>
      <button type="button" className="small ghost" onClick={onRotate} aria-label="Rotate view" aria-keyshortcuts="Alt+R" title="Alt+R">⟳</button>
      <span className="muted pick-hint">{pickHint}</span>
    </div>
  );
}
