/**
 * @module Decides whether a PDF page's text layer can be trusted or the page must be
 * OCR'd. The corpus has each failure: no text at all (scans, `vector-text-as-curves`),
 * a few characters over an image (`sparse`), and fonts without a Unicode map whose
 * extracted text is noise (`truetype_font_nomapping` yields `"7+%-`). Thresholds were
 * set on that corpus: real pages score above 0.8 letters/digits per character and
 * above 0.7 vowel-bearing Latin words; the garbage page scores 0.2.
 */
import type { Word } from '../../core/page.ts';

export type TextVerdict = 'usable' | 'empty' | 'sparse' | 'garbage';

/** Fewer visible characters than this and the page is judged on its drawings too. */
export const SPARSE_CHARS = 20;

const BAD_CHAR = /[\uFFFD\p{Co}\p{Cc}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const LATIN_WORD = /^[A-Za-z]{3,}$/;
const VOWEL = /[aeiouyAEIOUY]/;

export function judgeTextLayer(words: readonly Word[]): TextVerdict {
  let total = 0;
  let bad = 0;
  let wordChars = 0;
  let latin = 0;
  let latinWithVowel = 0;
  for (const w of words) {
    for (const ch of w.text) {
      total++;
      if (BAD_CHAR.test(ch)) bad++;
      else if (WORD_CHAR.test(ch)) wordChars++;
    }
    if (LATIN_WORD.test(w.text)) {
      latin++;
      if (VOWEL.test(w.text)) latinWithVowel++;
    }
  }
  if (total === 0) return 'empty';
  if (bad / total > 0.1) return 'garbage';
  if (total >= 5 && wordChars / total < 0.5) return 'garbage';
  // Unmapped glyph ids often come out as letters; real words almost always carry a vowel.
  if (latin >= 5 && latinWithVowel / latin < 0.5) return 'garbage';
  if (total < SPARSE_CHARS) return 'sparse';
  return 'usable';
}
