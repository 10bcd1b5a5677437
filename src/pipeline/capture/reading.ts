/**
 * @module How far a multi-word text value (a company name, an address) can be
 * trusted as OCR read it. One misread word makes such a value wrong, so the reading
 * is judged by its weakest word and by what a misread leaves behind:
 *
 * - a symbol inside letters ("MA!'KOTA", "ST«TLONERY", "SE_ANGOR"), a lower-case
 *   letter against a digit ("1eSt") or a case change inside a word ("TesCO");
 * - a word of four or more letters that opens with consonants no Latin-script word
 *   opens with ("TKANO" for IKANO, "HREE" for THREE): the first glyph of a line is
 *   the one OCR most often drops or confuses;
 * - a word below `CLEAN_WORD` confidence. On the public receipts' even half, words
 *   of the company and address labels read at ≥ 0.85 were right 134 times in 137
 *   (the 3 misses a dropped first letter and two "SON" for SDN, which is respelt),
 *   those below 0.85 8 times in 13; a word under 0.85 is a doubtful reading, not a
 *   slightly weaker one, so it costs more than its linear share.
 */
import type { Word } from '../../core/page.ts';
import { minConfidence } from './text.ts';

/** Word confidence from which a reading counts as clean (see the module comment). */
export const CLEAN_WORD = 0.85;
/** What a doubtful word costs on top of the minimum confidence. */
const DOUBTFUL = 0.8;

/**
 * Consonant clusters that open words of English, the Germanic and Romance languages
 * and Malay/Indonesian (SROIE's names and streets); Y counts as a vowel.
 */
const ONSETS = new Set(
  'BL BR CH CHR CL CR CZ DH DJ DR DW FL FR GH GL GN GR GW KH KL KN KR KW MC NG NY PF PH PHR PL PN PR PS PT QU RH SC SCH SCHL SCHM SCHN SCHR SCHW SCR SH SHR SK SL SM SN SP SPH SPL SPR SQ ST STR SV SW SY SZ TH THR TR TS TSCH TW VL VR WH WR ZH ZW'.split(' '),
);

/** A word of 4+ letters opening with a consonant run that opens no word ("TKANO", "HREE"); acronyms without a vowel are not judged. */
export function implausibleOnset(word: string): boolean {
  const letters = word.replace(/[^\p{L}]/gu, '').toUpperCase();
  if (letters.length < 4 || !/^[A-Z]+$/.test(letters)) return false;
  const m = /^([^AEIOUY]*)[AEIOUY]/.exec(letters);
  if (!m) return false;
  const onset = m[1] as string;
  return onset.length >= 2 && !ONSETS.has(onset);
}

/**
 * 0..1: how much a text's words look like print rather than OCR noise; each odd
 * word costs 20 % (see the module comment).
 */
export function plausibility(texts: readonly string[]): number {
  let f = 1;
  for (const t of texts) if (/\p{L}[!'"¥«»|~`^_{}[\]\\<>]+\p{L}|\d\p{Ll}|\p{Ll}\d|\p{Ll}\p{Lu}/u.test(t) || implausibleOnset(t)) f *= 0.8;
  return f;
}

/**
 * The reading confidence of a text value: its weakest word, its odd words, and a
 * doubtful word's extra cost. `texts` are the value's words as given (a legal form
 * respelt, "SON" → "SDN"), by default the words as read.
 */
export function readingConfidence(words: readonly Word[], texts: readonly string[] = words.map((w) => w.text)): number {
  const min = minConfidence(words);
  return min * plausibility(texts) * (min < CLEAN_WORD ? DOUBTFUL : 1);
}
