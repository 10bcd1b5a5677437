/**
 * @module The rule half of classification: each document type's keywords (whole
 * words, case-insensitive, punctuation ignored) and patterns add their weights. It
 * lives in core, beside the trained model, because training calibrates the rule
 * weight and the model together (calibrate.ts), and the capture stage scores with
 * the very same function, so the weight fitted is the weight applied.
 */
import type { DocumentType } from './model.ts';
import { projectPattern } from './pattern.ts';

/** Lower case, accents and punctuation dropped, whitespace collapsed: the form labels, keywords and lookups compare in. */
export function simplify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Only the first 20 000 characters count: a type shows itself early, and the cost stays bounded on long files. */
const MAX_TEXT = 20_000;

/** Per document type (by name): the summed weights of its keywords and patterns found in `text`. */
export function keywordScores(types: readonly Pick<DocumentType, 'name' | 'classify'>[], text: string): Map<string, number> {
  const head = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const simple = ` ${simplify(head)} `;
  const scores = new Map<string, number>();
  for (const t of types) {
    let s = 0;
    for (const k of t.classify.keywords) if (simple.includes(` ${simplify(k.pattern)} `)) s += k.weight;
    for (const p of t.classify.patterns) if (projectPattern(p.pattern, 'im').test(head)) s += p.weight;
    scores.set(t.name, s);
  }
  return scores;
}
