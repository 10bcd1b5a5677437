/**
 * @module Document separation (docs/project-file.md#separation-separation): splits a file's pages into documents.
 * Modes: `none` (one document), `per_page`, `blank_page` (a page without text is a
 * separator and is dropped), `barcode` (a page with a barcode, optionally matching
 * a pattern, is a separator), `patch_code` (a page with one of the project's patch
 * codes is a separator), `first_page_pattern` (a page whose text matches
 * starts a document) and `auto` (a page whose most likely type differs from the
 * previous page's, or that reads like a first page, starts one). Each boundary has
 * a confidence; one below the project's threshold is an "unsure boundary" action.
 */
import { pageText, type Page } from '../../core/page.ts';
import type { PatchCode, SeparationSettings } from '../../core/project.ts';
import { projectPattern } from '../../core/project/pattern.ts';
import { pageBudget, withPatternBudget, type PatternBudget } from '../../core/project/pattern-budget.ts';

export interface Segment {
  first: number;
  last: number;
  /** Confidence that a document starts at `first`. */
  confidence: number;
  /** Patterns not run on the segment's pages (pattern-budget.ts). */
  notes?: string[];
}

export interface SeparationInputs {
  /** Barcode texts of a page, for the `barcode` mode. */
  barcodes?: (page: number) => Promise<string[]>;
  /** Patch codes of a page, for the `patch_code` mode. */
  patches?: (page: number) => Promise<PatchCode[]>;
  /** Most likely type and its confidence for one page, for the `auto` mode. */
  classifyPage?: (page: Page) => { type: string | null; confidence: number };
}

/** How sure we are that a page is blank: no words at all, or a few specks of low-confidence OCR. */
export function blankness(page: Page): number {
  const words = page.words.filter((w) => /[\p{L}\p{N}]/u.test(w.text));
  if (words.length === 0) return page.source === 'none' ? 0.9 : 0.99;
  const chars = words.reduce((s, w) => s + w.text.length, 0);
  const conf = words.reduce((s, w) => s + w.confidence, 0) / words.length;
  if (words.length <= 3 && chars <= 8) return conf < 0.6 ? 0.85 : 0.6;
  return 0;
}

const FIRST_PAGE_HINT = /\b(?:page|seite|pagina|p\.)\s*1\s*(?:of|\/|von|de|sur)\s*\d+\b/i;

interface Decision {
  index: number;
  /** Confidence that a document starts at the page (≥ 0.5 starts one). */
  start: number;
  /** A separator page is dropped and passes its confidence on to the page after it. */
  separator: boolean;
  notes: string[];
}

/** Turns per-page decisions into segments. */
function build(decisions: readonly Decision[]): Segment[] {
  const out: Segment[] = [];
  let cur: Segment | null = null;
  let carried = 0;
  let pending: string[] = [];
  for (const d of decisions) {
    pending.push(...d.notes);
    if (d.separator) {
      if (cur) out.push(cur);
      cur = null;
      carried = Math.max(carried, d.start);
      continue;
    }
    if (cur === null || d.start >= 0.5) {
      if (cur) out.push(cur);
      const first = out.length === 0 && carried === 0;
      cur = { first: d.index, last: d.index, confidence: first ? 1 : Math.max(d.start, carried) };
      carried = 0;
      if (pending.length > 0) [cur.notes, pending] = [pending, []];
    } else {
      cur.last = d.index;
      // Keeping a page with the previous one is a decision too: an unsure "no boundary" makes the segment unsure.
      cur.confidence = Math.min(cur.confidence, 1 - d.start);
      if (pending.length > 0) [cur.notes, pending] = [[...(cur.notes ?? []), ...pending], []];
    }
  }
  if (cur && pending.length > 0) cur.notes = [...(cur.notes ?? []), ...pending];
  if (cur) out.push(cur);
  return out;
}

type PageType = { type: string | null; confidence: number };

/** The decision for one page; `prev` is the previous page's type in the `auto` mode. */
async function decide(settings: SeparationSettings, page: Page, first: boolean, prev: PageType | null, inputs: SeparationInputs, budget: PatternBudget): Promise<Omit<Decision, 'index' | 'notes'> & { type?: PageType }> {
  const budgeted = <T>(fn: () => T): T => withPatternBudget(budget, fn);
  switch (settings.mode) {
    case 'blank_page': {
      const b = blankness(page);
      return b >= 0.5 ? { start: b, separator: settings.drop_separator } : { start: 0, separator: false };
    }
    case 'barcode': {
      const re = settings.barcode_pattern !== null ? projectPattern(settings.barcode_pattern, '') : null;
      const codes = inputs.barcodes ? await inputs.barcodes(page.index) : [];
      return budgeted(() => codes.some((c) => (re ? re.test(c) === true : true))) ? { start: 1, separator: settings.drop_separator } : { start: 0, separator: false };
    }
    case 'patch_code': {
      const codes = inputs.patches ? await inputs.patches(page.index) : [];
      return codes.some((c) => settings.patch_codes.includes(c)) ? { start: 1, separator: settings.drop_separator } : { start: 0, separator: false };
    }
    case 'first_page_pattern':
      return { start: budgeted(() => projectPattern(settings.pattern ?? '^$', 'im').test(pageText(page))) === true ? 0.95 : 0.05, separator: false };
    case 'auto': {
      const b = budgeted(() => inputs.classifyPage?.(page)) ?? { type: null, confidence: 0 };
      if (first || prev === null) return { start: 1, separator: false, type: b };
      const a = prev;
      if (FIRST_PAGE_HINT.test(pageText(page).slice(0, 4000))) return { start: 0.9, separator: false, type: b };
      if (a.type !== null && b.type !== null && a.type !== b.type) return { start: Math.min(a.confidence, b.confidence), separator: false, type: b };
      // Same (or unknown) type: a continuation, surer the surer both pages are.
      return { start: a.type === b.type && a.type !== null ? (1 - Math.min(a.confidence, b.confidence)) / 2 : 0.3, separator: false, type: b };
    }
    case 'per_page':
      return { start: 1, separator: false };
    default:
      return { start: first ? 1 : 0, separator: false };
  }
}

/**
 * Splits the pages into segments. Pages are taken one at a time (a stored page set's
 * `each()`, or an array), so only the current page is held whatever the file's size.
 */
export async function separate(settings: SeparationSettings, pages: Iterable<Page> | AsyncIterable<Page>, inputs: SeparationInputs = {}): Promise<Segment[]> {
  const decisions: Decision[] = [];
  let prev: PageType | null = null;
  for await (const page of pages) {
    const budget = pageBudget(1);
    const d = await decide(settings, page, decisions.length === 0, prev, inputs, budget);
    prev = d.type ?? null;
    decisions.push({ index: page.index, start: d.start, separator: d.separator, notes: budget.notes(`page ${page.index + 1}`) });
  }
  return build(decisions);
}
