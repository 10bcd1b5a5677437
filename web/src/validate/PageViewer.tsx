/**
 * @module The page viewer: the current page image (rendered by the service on first
 * request, 110 dpi) with an SVG overlay in PDF points (the page model's unit, top-left
 * origin — src/core/page.ts), so boxes need no conversion at any zoom or rotation.
 * Shows the current field's source boxes, the other fields' faintly; clicking a word
 * or dragging a box over words hands their text to the current field (and, for a
 * table, its printed rows, one per table row).
 */
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Box, PageWords, SpecPage } from '../api/types.ts';
import { linesIn } from './grid-pick.ts';

export interface Highlight {
  box: Box;
  current: boolean;
  colour: 'red' | 'orange' | 'green';
}

interface Props {
  page: SpecPage;
  words: PageWords | null;
  zoom: number;
  /** Fit the whole page in the frame (overrides `zoom`). */
  fitPage: boolean;
  /** The current field's box: scrolled into the middle of the frame, and zoomed to until its text is readable. */
  focusBox: Box | null;
  onZoomIn(): void;
  rotation: number;
  highlights: Highlight[];
  canPick: boolean;
  /** The text picked, and its printed rows (one for a click or a box over one row). */
  onPick(text: string, lines: string[]): void;
  onLoad(): void;
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Words inside a dragged box, in reading order: by line, then left to right. */
export function wordsIn(words: PageWords, box: Box): string {
  const hit = words.words.filter((w) => intersects(w.box, box));
  hit.sort((a, b) => (Math.abs(a.box.y - b.box.y) < Math.min(a.box.h, b.box.h) / 2 ? a.box.x - b.box.x : a.box.y - b.box.y));
  return hit.map((w) => w.text).join(' ');
}

/** Text below this height on screen is hard to read and to check: a focused field's box is zoomed to at least this. */
const READABLE_PX = 14;
const MAX_ZOOM = 3;

export function PageViewer({ page, words, zoom, fitPage, focusBox, onZoomIn, rotation, highlights, canPick, onPick, onLoad }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [fitWidth, setFitWidth] = useState(700);
  const [fitHeight, setFitHeight] = useState(900);
  const [loaded, setLoaded] = useState(false);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);

  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setFitWidth(Math.max(120, el.clientWidth - 32));
      setFitHeight(Math.max(120, el.clientHeight - 32));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => setLoaded(false), [page.image_url]);

  const sideways = rotation % 180 !== 0;
  // "Fit" fits the page's displayed width (its height when turned sideways) to the frame.
  const widthFit = fitWidth * zoom * (sideways ? page.width / page.height : 1);
  // "Fit page": the whole page in the frame, whichever side limits it.
  const pageFit = Math.min(fitWidth * (sideways ? page.width / page.height : 1), fitHeight * (sideways ? 1 : page.width / page.height));
  const w = Math.round(fitPage ? pageFit : widthFit);
  const h = Math.round((w * page.height) / page.width);
  const scale = w / page.width;

  // Focus follows the field: its box to the middle of the frame, zoomed in step by step while its text is too small to read.
  useEffect(() => {
    const el = frame.current;
    if (!el || !focusBox || rotation !== 0) return;
    if (!fitPage && focusBox.h * scale < READABLE_PX && zoom < MAX_ZOOM) {
      onZoomIn();
      return;
    }
    const left = 16 + (focusBox.x + focusBox.w / 2) * scale - el.clientWidth / 2;
    const top = 16 + (focusBox.y + focusBox.h / 2) * scale - el.clientHeight / 2;
    el.scrollTo({ left: Math.max(0, left), top: Math.max(0, top), behavior: 'instant' as ScrollBehavior });
  }, [focusBox, scale, rotation, fitPage, zoom, onZoomIn]);
  const outer = sideways ? { width: h, height: w } : { width: w, height: h };
  const transform = rotation === 90 ? `translateX(${h}px) rotate(90deg)` : rotation === 180 ? `translate(${w}px, ${h}px) rotate(180deg)` : rotation === 270 ? `translateY(${w}px) rotate(270deg)` : 'none';

  function toPage(e: ReactPointerEvent): { x: number; y: number } {
    const m = svg.current?.getScreenCTM();
    if (!m) return { x: 0, y: 0 };
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  }

  function down(e: ReactPointerEvent<SVGSVGElement>) {
    if (!canPick || e.button !== 0) return;
    const p = toPage(e);
    (e.target as Element).setPointerCapture?.(e.pointerId);
    setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
  }

  function move(e: ReactPointerEvent<SVGSVGElement>) {
    if (!drag) return;
    const p = toPage(e);
    setDrag({ ...drag, x1: p.x, y1: p.y });
  }

  function up() {
    if (!drag || !words) return setDrag(null);
    const box = { x: Math.min(drag.x0, drag.x1), y: Math.min(drag.y0, drag.y1), w: Math.abs(drag.x1 - drag.x0), h: Math.abs(drag.y1 - drag.y0) };
    setDrag(null);
    // A press without a drag is a click: the word under the pointer.
    const click = box.w < 2 && box.h < 2;
    const text = click ? wordsIn(words, { x: box.x - 0.5, y: box.y - 0.5, w: 1, h: 1 }) : wordsIn(words, box);
    if (text) onPick(text, click ? [text] : linesIn(words, box));
  }

  return (
    <div className="viewer-frame" ref={frame} tabIndex={0} aria-label={`Page ${page.index + 1} of the file`}>
      <div className="page-outer" style={outer}>
        <div className="page-inner" style={{ width: w, height: h, transform }}>
          {!loaded && <div className="page-skeleton" aria-hidden="true" />}
          <img
            src={page.image_url}
            alt={`Page ${page.index + 1}`}
            width={w}
            height={h}
            draggable={false}
            onLoad={() => { setLoaded(true); onLoad(); }}
          />
          <svg
            ref={svg}
            className={canPick ? 'overlay picking' : 'overlay'}
            viewBox={`0 0 ${page.width} ${page.height}`}
            width={w}
            height={h}
            onPointerDown={down}
            onPointerMove={move}
            onPointerUp={up}
            role="img"
            aria-label={canPick ? 'Page text: click a word or drag a box to fill the current field' : 'Page text'}
          >
            {words?.words.map((wd, i) => <rect key={i} className="word" x={wd.box.x} y={wd.box.y} width={wd.box.w} height={wd.box.h}><title>{wd.text}</title></rect>)}
            {highlights.map((hl, i) => (
              <rect key={`h${i}`} className={`area ${hl.colour}${hl.current ? ' current' : ''}`} x={hl.box.x - 2} y={hl.box.y - 2} width={hl.box.w + 4} height={hl.box.h + 4} rx={2} />
            ))}
            {focusBox && <rect className="area focus" x={focusBox.x - 3} y={focusBox.y - 3} width={focusBox.w + 6} height={focusBox.h + 6} rx={2} />}
            {drag && <rect className="drag" x={Math.min(drag.x0, drag.x1)} y={Math.min(drag.y0, drag.y1)} width={Math.abs(drag.x1 - drag.x0)} height={Math.abs(drag.y1 - drag.y0)} />}
          </svg>
        </div>
      </div>
    </div>
  );
}
