/**
 * @module Picking from the page by keyboard (docs/portal.md#keyboard): the words (or lines)
 * of the page ordered by how near they are to where the field is expected — the box
 * its value was read from, else the boxes of its other candidates, else the top of
 * the page — so Alt+W steps through the likeliest ones first. Vertical distance
 * counts double: a value sits on its label's line more often than above or below it.
 */
import type { Box, PageWords } from '../api/types.ts';

export interface Pickable {
  text: string;
  box: Box;
}

function centre(b: Box): [number, number] {
  return [b.x + b.w / 2, b.y + b.h / 2];
}

function distance(a: Box, b: Box): number {
  const [ax, ay] = centre(a);
  const [bx, by] = centre(b);
  return Math.hypot(ax - bx, 2 * (ay - by));
}

/** The page's words or lines, nearest to `near` first (reading order when there is no box). */
export function pickables(words: PageWords, near: Box[], kind: 'word' | 'line'): Pickable[] {
  const items: Pickable[] = kind === 'word' ? words.words.map((w) => ({ text: w.text, box: w.box })) : words.lines.map((l) => ({ text: l.text, box: l.box }));
  const usable = items.filter((i) => i.text.trim() !== '');
  if (near.length === 0) return usable;
  const score = (p: Pickable) => Math.min(...near.map((b) => distance(b, p.box)));
  return usable.map((p) => ({ p, d: score(p) })).sort((a, b) => a.d - b.d).map((x) => x.p);
}

/** Step state of Alt+W: which field, kind and page it cycles, and where it stands. */
export interface PickCursor {
  key: string;
  i: number;
}

/**
 * The next pickable for the field after `cursor` (the nearest first, then outwards,
 * round again at the end); null when the page has none.
 */
export function nextPick(words: PageWords, near: Box[], kind: 'word' | 'line', key: string, cursor: PickCursor): { item: Pickable; cursor: PickCursor } | null {
  const list = pickables(words, near, kind);
  if (list.length === 0) return null;
  const i = cursor.key === key ? (cursor.i + 1) % list.length : 0;
  return { item: list[i] as Pickable, cursor: { key, i } };
}
