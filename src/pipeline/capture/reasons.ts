/**
 * @module Why a field is sent to a person for confirmation, in words with its numbers
 * ("confidence 62 %: two totals on the page, 26.60 and 26.00"). Built from
 * what extraction already knows: the confidence against the field's review threshold, the
 * other values found for it (`alternatives`), and the text the value was read from
 * when normalising changed it. Stored on the field as `confirmation_reason`.
 */
import type { FieldResult, FieldValue } from '../../core/capture.ts';

const COUNT = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function percent(x: number): string {
  return `${Math.round(x * 100)} %`;
}

/** A value as a person reads it: amounts with two decimals, dates ISO, text as is. */
export function displayValue(type: string, v: FieldValue): string | null {
  if (v === null || Array.isArray(v)) return null;
  if (typeof v === 'number') return type === 'amount' ? v.toFixed(2) : String(v);
  return String(v);
}

/**
 * The reason for a field whose `confidence` (calibrated when the project's validations
 * calibrated it) is below `threshold`, the same number the review compared it with; a
 * threshold above 1 is a field `max_field_error` reviews always (calibration-outcomes.ts
 * `ALWAYS`: its validations do not yet show it right often enough).
 */
export function confirmationReason(f: FieldResult, threshold: number): string {
  const parts = [threshold > 1 ? `confidence ${percent(f.confidence)} (always reviewed: its calibration does not show it right often enough for the project's error target)` : `confidence ${percent(f.confidence)} (below ${percent(threshold)})`];
  const shown = displayValue(f.type, f.value);
  const values: string[] = shown === null ? [] : [shown];
  for (const a of f.alternatives ?? []) {
    const v = displayValue(f.type, a.value);
    if (v !== null && !values.includes(v)) values.push(v);
  }
  if (values.length > 1) {
    // At most four named, so a page of amounts does not become a paragraph.
    const named = values.slice(0, 4);
    const list = named.length === 2 ? `${named[0]} and ${named[1]}` : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
    parts.push(`${COUNT[values.length] ?? values.length} candidates on the page, ${list}${values.length > named.length ? ' …' : ''}`);
  }
  const text = f.text?.trim();
  if (text && shown !== null && text !== shown) parts.push(`read as “${text}”`);
  return parts.join('; ');
}
