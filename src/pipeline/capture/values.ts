/**
 * @module Reading one field value out of a piece of text by the field's type (or
 * a project pattern): the step shared by every extraction method once it has
 * found where to look. Returns the value, the character span it came from, and a
 * 0..1 quality saying how much the text looked like a value of that type.
 */
import type { DateOrder, FieldDef } from '../../core/project.ts';
import { projectPattern } from '../../core/project/pattern.ts';
import { collapse, findAmounts, findCurrency, findDates, parseAmount, parseDate, parseEnum, parseNumber } from './normalize.ts';

export interface ValueMatch {
  value: string | number;
  text: string;
  start: number;
  end: number;
  quality: number;
}

/** Normalises text typed by a person or matched by a pattern; null when it is not a value of the type. */
export function normalizeValue(field: Pick<FieldDef, 'type' | 'values'>, text: string, order: DateOrder): string | number | null {
  const t = collapse(text);
  if (t === '') return null;
  switch (field.type) {
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : parseDate(t, order);
    case 'amount':
      return parseAmount(t) ?? parseNumber(t);
    case 'number':
      return parseNumber(t);
    case 'enum': {
      // A currency sign stands for its code when the enum lists codes (€ → EUR).
      const currency = findCurrency(t);
      return parseEnum(t, field.values) ?? (currency !== null && field.values.includes(currency) ? currency : null);
    }
    default:
      return t;
  }
}

function leadTrim(text: string): number {
  const m = /^[\s:#.\-–=|]+/.exec(text);
  return m ? m[0].length : 0;
}

/** Values of the field's type in `text`, best first. */
export function valuesIn(field: FieldDef, text: string, order: DateOrder, pattern: string | null, flags: string): ValueMatch[] {
  // The type finders read at most 4000 characters of a line (one line, or a short window).
  const input = text.length > 4000 ? text.slice(0, 4000) : text;
  if (pattern !== null) {
    const m = projectPattern(pattern, flags).exec(text);
    if (!m) return [];
    const groupText = m.group ?? m.text;
    const start = m.group !== undefined ? m.groupIndex : m.index;
    const value = field.type === 'text' ? collapse(groupText) : normalizeValue(field, groupText, order);
    if (value === null || value === '') return [];
    return [{ value, text: groupText, start, end: start + groupText.length, quality: 1 }];
  }
  switch (field.type) {
    case 'date':
      return findDates(input, order).map((d, i) => ({ value: d.value, text: d.text, start: d.index, end: d.index + d.text.length, quality: i === 0 ? 1 : 0.9 }));
    case 'amount':
    case 'number': {
      const found = findAmounts(input);
      return found.map((a, i) => ({
        value: a.value.value,
        text: a.text,
        start: a.index,
        end: a.index + a.text.length,
        // A total with decimals is a price; a bare integer is more often a count, a table number or an id (0.3).
        quality: (field.type === 'number' || a.value.decimals ? 1 : a.value.currency ? 0.7 : 0.3) * (i === 0 ? 1 : 0.9) * (a.value.value === 0 && field.type === 'amount' ? 0.5 : 1),
      }));
    }
    case 'enum': {
      const words = input.split(/\s+/);
      for (let n = 1; n <= 3; n++) {
        for (let s = 0; s + n <= words.length; s++) {
          const v = parseEnum(words.slice(s, s + n).join(' '), field.values);
          if (v !== null) {
            const gram = words.slice(s, s + n).join(' ');
            const start = input.indexOf(gram);
            return [{ value: v, text: gram, start, end: start + gram.length, quality: 1 }];
          }
        }
      }
      return [];
    }
    default: {
      const skip = leadTrim(input);
      const rest = input.slice(skip).replace(/[\s:]+$/, '');
      if (rest === '' || !/[\p{L}\p{N}]/u.test(rest)) return [];
      return [{ value: collapse(rest), text: rest, start: skip, end: skip + rest.length, quality: 1 }];
    }
  }
}
