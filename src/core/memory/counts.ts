/**
 * @module Counting evidence without flip-flopping (docs/vendor-memory.md#learning, contradictions): every value
 * is counted, and the value a field's memory gives (`held`) changes only when a
 * different value is seen `REPLACE_STREAK` times in a row. One validation that
 * corrects a vendor's name another way is counted but changes nothing; the same
 * correction made again (the vendor really renamed itself) wins. Alternating
 * corrections (A, B, A, B) never move it.
 */
import { MEMORY_LIMITS, type Counted, type FieldMemory } from './model.ts';

/** Consecutive observations of a new value that replace the held one. */
export const REPLACE_STREAK = 2;

/** Adds one observation to a counted list, keeping the `MEMORY_LIMITS.perList` most used (then most recent). */
export function count(list: Counted[], value: string, now: number): Counted[] {
  const out = list.map((c) => (c.value === value ? { ...c, n: c.n + 1, seen: now } : c));
  if (!out.some((c) => c.value === value)) out.push({ value, n: 1, seen: now });
  out.sort((a, b) => b.n - a.n || b.seen - a.seen);
  return out.slice(0, MEMORY_LIMITS.perList);
}

export function emptyField(): FieldMemory {
  return { values: [], held: null, challenger: null, labels: [], places: [] };
}

/** Counts a value and applies the replacement rule to what the field holds. */
export function observeValue(f: FieldMemory, value: string, now: number): FieldMemory {
  const values = count(f.values, value, now);
  if (f.held === null || f.held === value) return { ...f, values, held: value, challenger: null };
  const streak = f.challenger?.value === value ? f.challenger.streak + 1 : 1;
  if (streak >= REPLACE_STREAK) return { ...f, values, held: value, challenger: null };
  return { ...f, values, challenger: { value, streak } };
}

/** How often the held value was seen, and out of how many observations. */
export function support(f: FieldMemory): { n: number; total: number } {
  const total = f.values.reduce((s, c) => s + c.n, 0);
  return { n: f.values.find((c) => c.value === f.held)?.n ?? 0, total };
}

/** The most used entry of a list (ties: the most recent), or null. */
export function top(list: readonly Counted[] | undefined): Counted | null {
  return list && list.length > 0 ? (list[0] as Counted) : null;
}
