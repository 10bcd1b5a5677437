/**
 * @module The words of a company name line that company.ts reads names with: where a name stops (a function word of
 * a sentence around it, a document title after it) and its brackets as the print meant them — a country, region or
 * branch in brackets is part of the name ("MR D.I.Y. (M) SDN BHD", "BOOK TAK (TAMAN DAYA) SDN BHD"), a bracket
 * holding digits is a registration number that ends it. OCR glues brackets to the next word or leaves them alone
 * ("(KL )SDN", "BAKERIES( K )SDN": SROIE's Gardenia receipts), which hid the legal form.
 */
import { unionBox, type Word } from '../../core/page.ts';

/** Words a name never continues over (a sentence around it: "sold by Amazon Web Services, Inc."). */
export const FUNCTION_WORD = /^(?:by|of|to|from|for|in|at|the|and|with|via|le|la|de|du|des|von|der|die|van|het)$/i;
export const DOC_TITLE = /\b(?:tax\s+invoice|invoice|receipt|rechnung|factuur|facture|bill|quotation|statement)\b/i;

/**
 * The text before a document title word and the spaces and one separator (`-–:|`)
 * before it: what replacing `\s*[-–:|]?\s*\b(?:title)\b.*$` by nothing left. Read
 * backwards by hand, because that single regex took 150 s on an OCR line of 4000
 * spaces (its `\s*…\s*` retried from every start: cubic).
 */
export function beforeTitle(text: string): string {
  const m = DOC_TITLE.exec(text);
  if (!m) return text;
  const space = (i: number): boolean => i > 0 && /\s/.test(text[i - 1] as string);
  let end = m.index;
  while (space(end)) end--;
  if (end > 0 && '-–:|'.includes(text[end - 1] as string)) {
    end--;
    while (space(end)) end--;
  }
  return text.slice(0, end);
}

/** A country, region or branch in brackets inside a company name: "(M)", "(MALAYSIA)", "(S.E.A.)", "(TAMAN DAYA)". */
export const QUALIFIER = /^\(\p{Lu}[\p{L}. ]{0,20}\)$/u;

/**
 * The words of a name segment with its brackets as the print meant them: OCR glues a bracket to the next word or
 * leaves it alone ("(KL )SDN", "BAKERIES( K )SDN"), and a qualifier of up to three words is one word here
 * ("(TAMAN DAYA)"), so that only a bracket holding digits (a registration number) ends a name.
 */
export function bracketWords(words: readonly Word[]): Word[] {
  const split = words.flatMap((w) => {
    const m = /^(\))(\p{L}.*)$|^(.*\p{L})(\()$/u.exec(w.text);
    return m ? (m[1] ? [')', m[2] as string] : [m[3] as string, '(']).map((text) => ({ ...w, text })) : [w];
  });
  const join = (ws: Word[], sep: string): Word => ({ text: ws.map((w) => w.text).join(sep), box: unionBox(ws.map((w) => w.box)), confidence: Math.min(...ws.map((w) => w.confidence)) });
  const out: Word[] = [];
  for (let i = 0; i < split.length; i++) {
    const w = split[i] as Word;
    // The closing bracket is looked for among the next three words only: a line of thousands of words stays linear.
    const close = /^\(/.test(w.text) ? split.slice(i, i + 4).findIndex((c) => /\)$/.test(c.text)) + i : -1;
    if (close >= i) {
      const group = split.slice(i, close + 1);
      const q = join(group, ' ');
      q.text = q.text.replace(/\(\s+/, '(').replace(/\s+\)/, ')');
      if (QUALIFIER.test(q.text)) {
        out.push(q);
        i = close;
        continue;
      }
    }
    out.push(w);
  }
  return out;
}
