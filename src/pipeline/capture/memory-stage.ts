/**
 * @module The `memory` capture stage (docs/vendor-memory.md#capture), after extraction:
 * a document whose anchors recognise a vendor the project learned gets its static
 * fields from memory when the page supports the remembered value (an OCR-garbled
 * name becomes the name as validated), and its changing fields read first under the
 * label this vendor printed them under before. Agreement raises a field's confidence
 * so a known vendor's documents can pass without review; a value memory gives in place
 * of the extracted one keeps the extracted one as an alternative.
 */
import type { DocumentResult, FieldResult } from '../../core/capture.ts';
import { findAnchors, foldLetters } from '../../core/memory/anchors.ts';
import { support, top } from '../../core/memory/counts.ts';
import type { FieldMemory, VendorMemory } from '../../core/memory/model.ts';
import { recognise, type Recognition } from '../../core/memory/recognise.ts';
import { captureSettings, type CaptureSettings, type FieldDef } from '../../core/project.ts';
import { learningEnabled } from '../../core/project/learning.ts';
import type { Stage } from '../types.ts';
import { labelAt, fieldKind, pageSupport, SUPPORTED } from './memory-observe.ts';
import { documentPages } from './stages.ts';
import { documentLines, spanWords, type TextLine } from './text.ts';
import { simplify } from './fuzzy.ts';
import { unionBox } from '../../core/page.ts';
import { valuesIn } from './values.ts';
import { extractStored } from './long-document.ts';

/**
 * Confidence of a static value memory gives: the value a person validated for this
 * vendor, printed on this page, on a document whose anchors recognised the vendor.
 * 0.9 at the recognition threshold (score 3), 0.99 from score 6 (a tax id and a phone,
 * or a tax id and two header lines); times the share of the vendor's documents that
 * had this value, and 0.95 when the page supports it only loosely (Dice < 0.9).
 */
export function staticConfidence(rec: Recognition, pageScore: number, f: FieldMemory): number {
  const { n, total } = support(f);
  const base = 0.9 + 0.09 * Math.min(1, Math.max(0, (rec.score - 3) / 3));
  return base * (total > 0 ? n / total : 0) * (pageScore >= 0.9 ? 1 : 0.95);
}

/** How the document's note names a recognised vendor. */
const NOTE = 'vendor memory: vendor ';

/** Confidence of a changing value read under the vendor's remembered label, when extraction read the same. */
export const LABEL_CONFIDENCE = 0.96;

/**
 * When extraction found nothing, the value under the label fills the field: 0.75 for a
 * label seen once, up to 0.85 for one seen three times or more.
 */
export function relabelConfidence(seen: number): number {
  return 0.7 + 0.05 * Math.min(3, seen);
}

/**
 * When the value under the vendor's label differs from what extraction read, neither is
 * trusted: the field is capped here (below every review threshold of the demo project)
 * and the label's value becomes its first alternative. A receipt prints its total before
 * and after rounding under labels a vendor does not always use the same way; on the dev
 * half, replacing extraction's value by the label's was as often wrong as right.
 */
export const DISAGREEMENT_CONFIDENCE = 0.5;

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
  return typeof a === 'string' && typeof b === 'string' && simplify(a) === simplify(b);
}

/**
 * Whether extraction read a longer name that holds the remembered one ("MUSTERLIEFERANT
 * GMBH" where "Lieferant GmbH" was learned): another company whose name the page prints
 * whole, which memory must not cut down (e-invoice dev half).
 */
function longerName(value: unknown, held: string): boolean {
  if (typeof value !== 'string') return false;
  const a = foldLetters(value);
  const b = foldLetters(held);
  return a !== b && a.length >= b.length + 4 && a.includes(b);
}

function replace(f: FieldResult, value: string | number, text: string, confidence: number, areas: FieldResult['areas']): void {
  const old = { value: f.value, text: f.text, confidence: f.confidence, areas: f.areas };
  const alternatives = f.value === null ? (f.alternatives ?? []) : [old, ...(f.alternatives ?? []).filter((a) => !sameValue(a.value, value))].slice(0, 4);
  Object.assign(f, { value, text, confidence, areas, alternatives });
}

/** The value printed under one of the vendor's labels, most used label first. */
function underLabel(def: FieldDef, m: FieldMemory, lines: readonly TextLine[], settings: CaptureSettings): { value: string | number; text: string; area: FieldResult['areas'][number]; seen: number } | null {
  const simple = lines.map((l) => simplify(l.text));
  for (const label of m.labels.slice(0, 3)) {
    const above = label.value.startsWith('^');
    const words = above ? label.value.slice(1) : label.value;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as TextLine;
      // Only lines whose label words (or whose line above's) are there can give the value.
      if (!(simple[above ? i - 1 : i] ?? '').includes(words)) continue;
      for (const v of valuesIn(def, line.text, settings.date_order, null, 'i')) {
        if (labelAt(lines, i, v.start) !== label.value) continue;
        const words = spanWords(line, v.start, v.end);
        return { value: v.value, text: v.text, area: { page: line.page, box: words.length > 0 ? unionBox(words.map((w) => w.box)) : line.box }, seen: label.n };
      }
    }
  }
  return null;
}

/** Applies a recognised vendor's memory to one document; returns the note saying so, or null. */
export function applyMemory(memory: VendorMemory, settings: CaptureSettings, doc: DocumentResult, lines: readonly TextLine[]): string | null {
  const type = settings.document_types.find((t) => t.name === doc.document_type);
  if (!type || memory.vendors.length === 0) return null;
  const rec = recognise(memory, findAnchors(lines));
  if (!rec) return null;
  const known = rec.vendor.fields[type.name] ?? {};
  const used: string[] = [];
  for (const def of type.fields) {
    const f = doc.fields.find((x) => x.name === def.name);
    const m = known[def.name];
    if (!f || !m || f.confirmed) continue;
    if (fieldKind(def) === 'static') {
      if (m.held === null || longerName(f.value, m.held)) continue;
      const s = pageSupport(m.held, lines);
      if (s.score < SUPPORTED) continue;
      const confidence = Number(staticConfidence(rec, s.score, m).toFixed(4));
      const line = lines[s.line] as TextLine;
      if (sameValue(f.value, m.held)) f.confidence = Math.max(f.confidence, confidence);
      else replace(f, m.held, m.held, confidence, [{ page: line.page, box: line.box }]);
      used.push(def.name);
    } else if (top(m.labels)) {
      const found = underLabel(def, m, lines, settings);
      if (!found) continue;
      if (sameValue(f.value, found.value)) f.confidence = Math.max(f.confidence, LABEL_CONFIDENCE);
      else if (f.value === null) replace(f, found.value, found.text, relabelConfidence(found.seen), [found.area]);
      else {
        f.confidence = Math.min(f.confidence, DISAGREEMENT_CONFIDENCE);
        f.alternatives = [{ value: found.value, text: found.text, confidence: relabelConfidence(found.seen), areas: [found.area] }, ...(f.alternatives ?? []).filter((a) => !sameValue(a.value, found.value))].slice(0, 4);
      }
      used.push(def.name);
    }
  }
  return `${NOTE}${rec.vendor.id} recognised by ${rec.agreed.join(', ')} (score ${rec.score.toFixed(1)}); fields from memory: ${used.join(', ') || 'none'}`;
}

/** Whether the memory stage recognised the document's vendor (its note says so). */
export function knownVendor(doc: DocumentResult): boolean {
  return (doc.notes ?? []).some((n) => n.startsWith(NOTE));
}

/**
 * A document classification left unknown or unsure, whose anchors recognise a vendor
 * on strong evidence (score 4.5: a tax id with a header line, a phone with two) whose
 * documents were all of one type, takes that type (confidence 0.95).
 */
export function typeFromMemory(memory: VendorMemory, settings: CaptureSettings, doc: DocumentResult, lines: readonly TextLine[]): boolean {
  if (doc.document_type !== null && !doc.type_needs_confirmation) return false;
  const rec = recognise(memory, findAnchors(lines));
  const types = rec ? Object.keys(rec.vendor.fields) : [];
  if (!rec || rec.score < 4.5 || types.length !== 1 || !settings.document_types.some((t) => t.name === types[0])) return false;
  const changed = doc.document_type !== types[0];
  Object.assign(doc, { document_type: types[0], type_confidence: Math.max(changed ? 0 : doc.type_confidence, 0.95), type_needs_confirmation: false });
  return changed;
}

export const memoryStage: Stage = {
  name: 'memory',
  async run(ctx) {
    if (!ctx.memory || !learningEnabled(ctx.project)) return;
    const memory = await ctx.memory.store.load(ctx.memory.projectId);
    // The validate stage calibrates confidences and sets thresholds from what validations taught (capture/stages.ts).
    if (memory.calibration) ctx.memory.calibration = memory.calibration;
    if (memory.vendors.length === 0) return;
    const settings = captureSettings(ctx.project);
    for (const doc of ctx.result.documents) {
      const pages = await ctx.pages.range(doc.pages[0], doc.pages[1]);
      const lines = documentLines(documentPages(pages, doc));
      if (typeFromMemory(memory, settings, doc, lines)) doc.fields = await extractStored(settings, doc, ctx.pages);
      const note = applyMemory(memory, settings, doc, lines);
      if (note) doc.notes = [...(doc.notes ?? []), note];
    }
  },
};
