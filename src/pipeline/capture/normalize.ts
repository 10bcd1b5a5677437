/**
 * @module Normalisation of extracted (or typed) text into field values: dates to ISO
 * 8601, amounts and numbers to JS numbers (thousand and decimal separators of the
 * usual European, Anglo and Swiss/Indian styles, currency signs and codes), enum
 * values to their canonical spelling. The same functions find dates and amounts in
 * running text, so extraction and a person's typed corrections are read alike.
 */
import type { DateOrder } from '../../core/project.ts';
import { similarity } from './fuzzy.ts';

const MONTHS: Record<string, number> = {};
const MONTH_NAMES: string[][] = [
  ['jan', 'january', 'januar', 'januari', 'janvier', 'enero', 'gennaio', 'janeiro', 'jänner'],
  ['feb', 'february', 'februar', 'februari', 'février', 'fevrier', 'febrero', 'febbraio', 'fevereiro'],
  ['mar', 'march', 'märz', 'maerz', 'maart', 'mars', 'marzo', 'março', 'marco', 'mrt'],
  ['apr', 'april', 'avril', 'abril', 'aprile'],
  ['may', 'mai', 'mei', 'mayo', 'maggio', 'maio'],
  ['jun', 'june', 'juni', 'juin', 'junio', 'giugno', 'junho'],
  ['jul', 'july', 'juli', 'juillet', 'julio', 'luglio', 'julho'],
  ['aug', 'august', 'augustus', 'août', 'aout', 'agosto'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'settembre', 'setembro'],
  ['oct', 'october', 'oktober', 'octobre', 'octubre', 'ottobre', 'outubro', 'okt'],
  ['nov', 'november', 'novembre', 'noviembre', 'novembro'],
  ['dec', 'december', 'dezember', 'décembre', 'decembre', 'diciembre', 'dicembre', 'dezembro', 'dez'],
];
MONTH_NAMES.forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));
const MONTH_ALT = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

const SEP = String.raw`[\/.\-]`;
export const DATE_PATTERN = new RegExp(
  [
    String.raw`\b(\d{4})${SEP}(\d{1,2})${SEP}(\d{1,2})\b`,
    // OCR reads a dash as "~" now and then ("30~04-2018"), so the two separators need not match.
    String.raw`\b(\d{1,2})\s?([\/.\-~])\s?(\d{1,2})\s?[\/.\-~]\s?(\d{4}|\d{2})(?!\d)`,
    String.raw`\b(\d{1,2})(?:st|nd|rd|th)?[\s\-.]{0,2}(${MONTH_ALT})\.?,?[\s\-.]{0,2}(\d{4}|\d{2})(?!\d)`,
    String.raw`\b(${MONTH_ALT})\.?[\s\-]{0,2}(\d{1,2})(?:st|nd|rd|th)?\s?,?[\s\-]{0,2}(\d{4})(?!\d)`,
  ].join('|'),
  'giu',
);

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

function iso(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export interface Found<T> {
  value: T;
  index: number;
  text: string;
}

/** Letters OCR prints for digits in a scanned number (3O.9O, 2O18, l8/03): O/o/D/Q read for 0, l/I/| for 1, S for 5, B for 8, Z for 2. */
const LOOKALIKE: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', l: '1', I: '1', '|': '1', S: '5', B: '8', Z: '2' };
const LOOKALIKE_NEAR_DIGIT = /[\d.,/-][OoDQlI|SBZ]/;
const NUMERIC_RUN = /(?<!\p{L})[\dOoDQlI|SBZ](?:[\dOoDQlI|SBZ]|[.,/\-](?=[\dOoDQlI|SBZ]))*(?!\p{L})/gu;

/**
 * Look-alike letters inside a number respelt as the digits they stand for, the
 * text's length unchanged (character offsets still map to words). Only in a run
 * with at least two real digits, at least as many digits as look-alikes, and never
 * as the run's first character, nor next to other letters: "3O.9O" → "30.90", "2O18" → "2018", but "SDN",
 * "B1" (a unit), "S$8.20" (a currency sign) and words stay as printed.
 */
export function digitLookalikes(text: string): string {
  // Most lines have no look-alike right after a digit or separator: one cheap test skips the run scan.
  if (!LOOKALIKE_NEAR_DIGIT.test(text)) return text;
  return text.replace(NUMERIC_RUN, (run) => {
    const digits = run.replace(/\D/g, '').length;
    const alikes = [...run.slice(1)].filter((c) => c in LOOKALIKE).length;
    if (digits < 2 || alikes === 0 || alikes > digits || !/^\d/.test(run)) return run;
    return run[0] + [...run.slice(1)].map((c) => LOOKALIKE[c] ?? c).join('');
  });
}

/**
 * A day written before a month's name whose leading 0 OCR read as a letter O
 * ("O5 Mar 2018", SROIE receipt 030): the one place a number's first character
 * is respelt, since a month name right after it leaves no other reading.
 */
const DAY_BEFORE_MONTH = new RegExp(String.raw`\b[Oo](\d)(?=(?:st|nd|rd|th)?[\s\-.]{0,2}(?:${MONTH_ALT})\b)`, 'giu');

/**
 * Whether a numeric date's two separators agree, or one is the "~" OCR reads for a dash ("30~04-2018"). Mixed ones are
 * an amount after a number ("6% off @43.15 -2.75" is no 15 February 1975; SROIE 426's date was lost to it).
 */
function sameSeparators(text: string): boolean {
  const [a, b] = text.match(/[/.\-~]/g) ?? [];
  return a === b || a === '~' || b === '~';
}

/** Every date in the text, ISO-normalised, in order (look-alike letters read as digits). */
export function findDates(text: string, order: DateOrder = 'dmy'): Found<string>[] {
  const out: Found<string>[] = [];
  const read = digitLookalikes(text);
  for (const m of (/[Oo]\d/.test(read) ? read.replace(DAY_BEFORE_MONTH, '0$1') : read).matchAll(DATE_PATTERN)) {
    let value: string | null = null;
    if (m[1] !== undefined) value = iso(Number(m[1]), Number(m[2]), Number(m[3]));
    else if (m[4] !== undefined) {
      if (!sameSeparators(m[0])) continue;
      const a = Number(m[4]);
      const b = Number(m[6]);
      const y = fullYear(m[7] as string);
      const dayFirst = a > 12 ? true : b > 12 ? false : order !== 'mdy';
      value = dayFirst ? iso(y, b, a) : iso(y, a, b);
      if (order === 'ymd' && (m[7] as string).length === 2 && a > 31) value = null;
    } else if (m[8] !== undefined) value = iso(fullYear(m[10] as string), MONTHS[(m[9] as string).toLowerCase()] ?? 0, Number(m[8]));
    else if (m[11] !== undefined) value = iso(Number(m[13]), MONTHS[(m[11] as string).toLowerCase()] ?? 0, Number(m[12]));
    if (value !== null) out.push({ value, index: m.index, text: m[0] });
  }
  return out;
}

/**
 * The day-month order a document prints, where its own dates tell: a numeric date whose first part is over 12
 * ("17/11/2017") proves day first, one whose second part is ("11/17/2017") month first. With proof of one order only,
 * that order holds for the document's ambiguous dates ("11/03/2017" beside "11/17/2017" is 3 November); otherwise,
 * and for year-first projects, the project's order.
 */
export function documentDateOrder(texts: readonly string[], order: DateOrder): DateOrder {
  if (order === 'ymd') return order;
  let dayFirst = 0;
  let monthFirst = 0;
  for (const text of texts) {
    for (const m of text.matchAll(DATE_PATTERN)) {
      if (m[4] === undefined) continue;
      const a = Number(m[4]);
      const b = Number(m[6]);
      if (a > 12 && a <= 31 && b <= 12) dayFirst++;
      else if (b > 12 && b <= 31 && a <= 12) monthFirst++;
    }
  }
  if (monthFirst > 0 && dayFirst === 0) return 'mdy';
  if (dayFirst > 0 && monthFirst === 0) return 'dmy';
  return order;
}

export function parseDate(text: string, order: DateOrder = 'dmy'): string | null {
  return findDates(text, order)[0]?.value ?? null;
}

const CURRENCY_SIGNS: Record<string, string> = { '$': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR', RM: 'MYR', Rs: 'INR', 'S$': 'SGD' };
const CURRENCY_CODES = 'USD|EUR|GBP|JPY|INR|MYR|SGD|CHF|AUD|CAD|CNY|HKD|NZD|SEK|NOK|DKK|PLN|CZK|IDR|THB|PHP|ZAR|BRL|MXN';
export const AMOUNT_PATTERN = new RegExp(
  String.raw`(?<![\d.,])(-\s?)?(?:(${CURRENCY_CODES}|RM|Rs\.?|S\$|[$€£¥₹])\s?)?(-\s?)?(\d{1,3}(?:[,.'\u00a0]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d])(?:\s?(${CURRENCY_CODES}|€))?`,
  'gu',
);

/** Reads a number written with any of the common separator styles; null if it is not one. */
export function parseNumber(text: string): number | null {
  let s = text.replace(/[\s\u00a0']/g, '');
  const neg = /^-|-$|^\(.*\)$/.test(s);
  s = s.replace(/[^\d.,]/g, '');
  if (!/\d/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let decimal: string | null = null;
  if (lastDot >= 0 && lastComma >= 0) decimal = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const count = s.split(sep).length - 1;
    const after = s.length - s.lastIndexOf(sep) - 1;
    // One separator followed by exactly three digits is a thousands separator (1,234 / 1.234).
    decimal = count === 1 && !(after === 3 && !/^0[.,]/.test(s)) ? sep : null;
  }
  const thousands = decimal === '.' ? ',' : decimal === ',' ? '.' : /[.,]/;
  let clean = s.split(thousands).join('');
  if (decimal === ',') clean = clean.replace(',', '.');
  const n = Number(clean);
  if (!Number.isFinite(n)) return null;
  return neg ? -n : n;
}

export interface Amount {
  value: number;
  currency: string | null;
  /** Whether the text had decimals (a price usually does; a quantity or id does not). */
  decimals: boolean;
}

/** Every amount in the text, in order (look-alike letters read as digits). */
export function findAmounts(text: string): Found<Amount>[] {
  const out: Found<Amount>[] = [];
  for (const m of digitLookalikes(text).matchAll(AMOUNT_PATTERN)) {
    const digits = m[4] as string;
    const value = parseNumber(digits);
    if (value === null) continue;
    const negative = m[1] !== undefined || m[3] !== undefined || m[5] === '-';
    const code = m[2] ?? (m[5] !== '-' ? m[5] : undefined);
    const currency = code ? (CURRENCY_SIGNS[code.replace(/\.$/, '')] ?? code.toUpperCase()) : null;
    const decimals = /[.,]\d{1,2}$/.test(digits);
    out.push({ value: { value: negative ? -value : value, currency, decimals }, index: m.index, text: m[0].trim() });
  }
  return out;
}

export function parseAmount(text: string): number | null {
  return findAmounts(text)[0]?.value.value ?? null;
}

/** A currency named in the text (ISO code), or null. */
export function findCurrency(text: string): string | null {
  const code = new RegExp(`\\b(${CURRENCY_CODES})\\b`).exec(text);
  if (code) return code[1] as string;
  for (const [sign, iso4217] of Object.entries(CURRENCY_SIGNS)) {
    if (/^[A-Z]/.test(sign) ? new RegExp(`\\b${sign}\\b`).test(text) : text.includes(sign)) return iso4217;
  }
  return null;
}

/** The enum value the text names (case-insensitive, fuzzy), or null. */
export function parseEnum(text: string, values: readonly string[]): string | null {
  const t = text.trim().toLowerCase();
  let best: string | null = null;
  let bestScore = 0.8;
  for (const v of values) {
    const s = similarity(t, v.toLowerCase());
    if (s > bestScore || (s === bestScore && best === null)) {
      best = v;
      bestScore = s;
    }
  }
  return best;
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
