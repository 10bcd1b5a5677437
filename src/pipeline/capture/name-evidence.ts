/**
 * @module Evidence about a company-name candidate beyond its own line (company.ts):
 *
 * - spelt elsewhere: another line of the document spells the name again (a footer
 *   "thank you for shopping at …", a web or e-mail address "facebook.com/B-Best-
 *   Restaurant", the name repeated under the items). Two separate readings that
 *   agree are unlikely to share a misread, so it counts as a second, independent
 *   candidate of score 0.5 (pooled as 1 − (1 − s)(1 − 0.5));
 * - cut short: a stray low-confidence mark right before the name on its line
 *   ("—" read at 0.15 where the first ONE of "ONE ONE THREE SEAFOOD RESTAURANT"
 *   was printed) means the name may have lost a word, so its score drops by 30 %.
 *
 * Lines next to the candidate's own are not "elsewhere": a name wrapped over two
 * lines, or followed by its registration number, is still one reading.
 */
import type { Word } from '../../core/page.ts';
import { isAddressStart } from './layout.ts';
import type { Candidate } from './methods.ts';
import type { TextLine } from './text.ts';

const SECOND_READING = 0.5;
const CUT_SHORT = 0.7;
/** Word confidence below which a mark before a name is a glyph OCR could not read, not punctuation. */
const STRAY = 0.5;
/** Lines that name the shop in passing: thanks, web and e-mail addresses. */
const MENTION = /@|www|https?:|\.com|\.my|thank|\btq\b|visit|follow/i;

function letters(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Whether a line other than the candidate's (and its neighbours) spells the name:
 * the whole name without its legal form (`key`, 5+ characters), or in a thanks, web
 * or e-mail line its first word of 5+ letters ("TQ FOR SHOPPING WITH myNEWS" for
 * MYNEWS RETAIL SB). Address lines are not evidence: streets share names with shops.
 */
export function spelledElsewhere(c: Candidate, lines: readonly TextLine[]): boolean {
  const key = letters(c.key ?? String(c.value));
  const first = letters(String(c.value).split(/\s+/)[0] ?? '');
  return lines.some((l, j) => {
    if (Math.abs(j - c.order) <= 1 || isAddressStart(l.text)) return false;
    const t = letters(l.text);
    return (key.length >= 5 && t.includes(key)) || (first.length >= 5 && /^\p{L}+$/u.test(first) && MENTION.test(l.text) && t.includes(first));
  });
}

/** Whether the word before position `start` of a line is a stray mark OCR could not read (the name may be cut short). */
export function cutShort(words: readonly Word[], start: number): boolean {
  const w = words[start - 1];
  return w !== undefined && w.confidence < STRAY && !/\p{L}{2,}/u.test(w.text);
}

/** The candidates with the evidence of this module applied to their scores. */
export function withNameEvidence(cands: readonly Candidate[], lines: readonly TextLine[], cut: ReadonlySet<Candidate>): Candidate[] {
  return cands.map((c) => {
    let score = cut.has(c) ? c.score * CUT_SHORT : c.score;
    if (spelledElsewhere(c, lines)) score = 1 - (1 - score) * (1 - SECOND_READING);
    return { ...c, score };
  });
}
