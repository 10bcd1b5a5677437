/**
 * @module The page model every stage after "pages" works on. One shape serves
 * born-digital pages (words from the PDF text layer) and scanned pages (words from
 * OCR), so separation, classification, extraction and the portal never ask where a
 * page came from.
 *
 * Unit and origin: all coordinates are PDF points (1/72 inch), origin at the top-left
 * corner of the page as displayed (after rotation), x to the right, y downwards. An
 * image page of W px at D dpi is W * 72 / D points wide. Points were chosen over
 * pixels because a born-digital page has no pixels, and over fractions of the page
 * because label/value geometry (distances, alignment) needs a physical unit.
 */

/** An axis-aligned rectangle in points, top-left origin. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Word {
  text: string;
  box: Box;
  /** 0..1; born-digital text is 1. */
  confidence: number;
}

export interface Line {
  text: string;
  box: Box;
  /** Indices into the page's `words`, in reading order. */
  words: number[];
}

export type PageSource = 'text' | 'ocr' | 'none';
export type Rotation = 0 | 90 | 180 | 270;

export interface Page {
  /** 0-based position in the file. */
  index: number;
  width: number;
  height: number;
  /** Resolution of the image the words were read from; 72 for text-layer pages. */
  dpi: number;
  /** Clockwise rotation applied to the source so that the text reads upright. */
  rotation: Rotation;
  source: PageSource;
  words: Word[];
  lines: Line[];
  /** What the reading left undone on this page, and why (e.g. lines the line reader did not read again). */
  notes?: string[];
}

/** The smallest box holding all the given boxes; a zero box for none. */
export function unionBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { x: 0, y: 0, w: 0, h: 0 };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** The page's text, line by line. */
export function pageText(page: Page): string {
  return page.lines.map((l) => l.text).join('\n');
}

/** Inches on the longer side of a Letter or A4 page, for a resolution estimated from pixels. */
const PAGE_INCHES = 11;

/**
 * The resolution to use for a page image: its own when plausible, else an estimate. A missing or placeholder one
 * (≤ 72 dpi, the JFIF and PNG default) is estimated as if the longer side were 11 inches (a Letter/A4 page), which
 * gives 300 dpi for a 2550×3300 scan.
 */
export function effectiveDpi(density: number | undefined, widthPx: number, heightPx: number): number {
  if (density !== undefined && density > 72 && density <= 2400) return density;
  return Math.min(600, Math.max(72, Math.round(Math.max(widthPx, heightPx) / PAGE_INCHES)));
}
