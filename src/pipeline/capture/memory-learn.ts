/**
 * @module Teaching vendor memory one document: its lines and its labelled values
 * (a completed validation, a posted sample, a corpus label) become an observation
 * (memory-observe.ts) that core/memory/learn.ts adds to the project's memory through
 * the vendor-memory port. Nothing of the file or its pages is kept but what the
 * observation holds. Returns what was learned, or the fields that matched nothing.
 */
import type { DocumentResult, FieldResult } from '../../core/capture.ts';
import { learn, teaches, type Learned } from '../../core/memory/learn.ts';
import type { VendorMemoryStore } from '../../core/ports/vendor-memory.ts';
import type { Page } from '../../core/page.ts';
import { newId } from '../../core/ids.ts';
import { captureSettings, type Project } from '../../core/project.ts';
import { fieldOutcomes, observe, unmatched } from './memory-observe.ts';
import { documentPages } from './stages.ts';
import { documentLines } from './text.ts';
import { learnsScorer } from '../../core/scorer/learning.ts';
import type { ScorerLearner } from '../../core/ports/scorer-learning.ts';
import { taughtExamples } from './examples.ts';

export interface MemoryTarget {
  store: VendorMemoryStore;
  accountId: string;
  projectId: string;
  /** Keeps the document's scorer examples too, and retrains the project's scorer when enough are new (pipeline/scorer-retrain.ts). */
  scorer?: ScorerLearner;
}

export type LearnOutcome = { ok: true; learned: Learned; unmatched: string[] } | { ok: false; unmatched: string[] };

/**
 * Teaches one typed document from `values` (field name → value); teaches nothing when no
 * labelled field is on the pages. When `doc` carries extracted fields, a value extraction
 * got right is located where extraction read it. `captured` are the fields as capture
 * gave them (before a person's corrections; by default `doc`'s): their confidences and
 * whether they were right teach the calibration (core/calibration-outcomes.ts).
 */
export async function learnDocument(target: MemoryTarget, project: Project, doc: Pick<DocumentResult, 'document_type' | 'pages'> & { fields?: DocumentResult['fields'] }, pages: readonly Page[], values: Readonly<Record<string, unknown>>, now: number, captured: readonly FieldResult[] = doc.fields ?? []): Promise<LearnOutcome> {
  const settings = captureSettings(project);
  const type = settings.document_types.find((t) => t.name === doc.document_type);
  const given = Object.keys(values).filter((k) => values[k] !== null && values[k] !== undefined && values[k] !== '');
  if (!type) return { ok: false, unmatched: given };
  const hints = Object.fromEntries((doc.fields ?? []).map((f) => [f.name, f.areas]));
  const own = documentPages(pages, doc as DocumentResult);
  const lines = documentLines(own);
  const o = observe(type.name, type.fields, lines, values, settings.date_order, hints);
  o.outcomes = fieldOutcomes(type.fields, captured, values, settings.date_order);
  const missing = unmatched(o, given);
  if (!teaches(o)) return { ok: false, unmatched: missing };
  let learned: Learned | null = null;
  await target.store.update(target.accountId, target.projectId, (m) => {
    const r = learn(m, o, now, newId);
    learned = r.learned;
    return r.memory;
  });
  if (target.scorer) await target.scorer.record(target.accountId, target.projectId, learnsScorer(project), taughtExamples(type, lines, settings, values as Record<string, unknown>, own.length), now);
  return { ok: true, learned: learned as unknown as Learned, unmatched: missing };
}

/** The values of a validated document's fields, as a person left them. */
export function validatedValues(doc: DocumentResult): Record<string, unknown> {
  return Object.fromEntries(doc.fields.filter((f) => f.value !== null && !Array.isArray(f.value)).map((f) => [f.name, f.value]));
}
