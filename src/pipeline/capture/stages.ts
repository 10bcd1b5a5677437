/**
 * @module Stages 4–7 of the pipeline (docs/architecture.md#stages): separate → classify → extract →
 * validate, driven by the project's capture settings. Each is a thin stage over a
 * pure function (separate.ts, classify.ts, extract.ts, rules.ts), which tests,
 * the bench and the re-check of Validation Results call directly.
 */
import type { DocumentResult, FieldResult } from '../../core/capture.ts';
import { pageText, type Page } from '../../core/page.ts';
import { captureSettings, type CaptureSettings, type FieldDef, type Project } from '../../core/project.ts';
import { budgeted } from '../../core/project/pattern-budget.ts';
import type { Stage } from '../types.ts';
import { classifyText } from './classify.ts';
import { extractDocument } from './extract.ts';
import { confirmationReason } from './reasons.ts';
import { applyRules, type ReportedElsewhere } from './rules.ts';
import { separate, type Segment } from './separate.ts';
import { documentLines } from './text.ts';
import { extractStored } from './long-document.ts';
import { targetThreshold } from '../../core/scorer/settings.ts';
import { calibrated, fieldCalibration, reviewThreshold, type OutcomeCounts } from '../../core/calibration-outcomes.ts';
import { knownVendor } from './memory-stage.ts';

export function emptyDocument(index: number, seg: Segment, threshold: number): DocumentResult {
  return {
    ...(seg.notes ? { notes: [...seg.notes] } : {}),
    index,
    pages: [seg.first, seg.last],
    document_type: null,
    type_confidence: 0,
    type_needs_confirmation: false,
    boundary_confidence: Number(seg.confidence.toFixed(4)),
    boundary_needs_review: seg.confidence < threshold,
    fields: [],
    messages: [],
  };
}

export function documentPages(pages: readonly Page[], doc: DocumentResult): Page[] {
  return pages.filter((p) => p.index >= doc.pages[0] && p.index <= doc.pages[1]);
}

export function classifyDocument(settings: CaptureSettings, doc: DocumentResult, pages: readonly Page[]): void {
  typeDocument(settings, doc, documentPages(pages, doc).map(pageText).join('\n'));
}

function typeDocument(settings: CaptureSettings, doc: DocumentResult, text: string): void {
  if (settings.document_types.length === 0) return;
  const pages = doc.pages[1] - doc.pages[0] + 1;
  const c = budgeted(pages, 'classification', doc, () => classifyText(settings, text));
  doc.document_type = c.type;
  doc.type_confidence = c.confidence;
  doc.type_needs_confirmation = c.type === null || c.confidence < settings.classification.confirm_threshold;
}

/** Extracts the fields of a typed document (none for an unknown one). */
export function extractInto(settings: CaptureSettings, doc: DocumentResult, pages: readonly Page[]): void {
  const type = settings.document_types.find((t) => t.name === doc.document_type);
  const own = documentPages(pages, doc);
  doc.fields = type ? budgeted(own.length, 'extraction', doc, () => extractDocument(type, documentLines(own), settings, own.length)) : [];
}

/** Outcomes the project's validations taught, and whether the document's vendor was known to its memory. */
export interface Calibration { counts: OutcomeCounts | undefined; known: boolean }

/**
 * Calibrates each field's confidence when the project's validations taught enough outcomes
 * for it (core/calibration-outcomes.ts), gives it its review threshold (`reviewThreshold`),
 * runs the rules and marks fields below it; confirmed fields stay confirmed. Without a
 * `calibration` (the re-check of submitted results, an e-invoice's second validation) a
 * field keeps the threshold it was given, so every check compares the same two numbers.
 */
export function validateDocument(project: Project, settings: CaptureSettings, doc: DocumentResult, today: string, reported?: ReportedElsewhere, calibration?: Calibration): void {
  const type = settings.document_types.find((t) => t.name === doc.document_type);
  if (!type) return;
  for (const f of doc.fields) {
    const def = type.fields.find((d) => d.name === f.name);
    const cal = calibration && !f.confirmed ? fieldCalibration(calibration.counts, type.name, f.name, calibration.known) : null;
    if (cal) {
      f.raw_confidence = f.raw_confidence ?? f.confidence;
      f.confidence = calibrated(cal.map, f.raw_confidence);
    }
    if (calibration === undefined && f.review_threshold !== undefined) continue;
    f.review_threshold = reviewThreshold(project.validation, def?.confidence_threshold, cal, def ? targetThreshold(project.validation.max_field_error, settings, def) : null);
  }
  const thresholdOf = (def: FieldDef): number => doc.fields.find((f) => f.name === def.name)?.review_threshold ?? def.confidence_threshold ?? project.validation.confidence_threshold;
  budgeted(doc.pages[1] - doc.pages[0] + 1, 'rules', doc, () => applyRules(doc, type, settings, today, reported, thresholdOf));
  for (const f of doc.fields) {
    const threshold = f.review_threshold ?? project.validation.confidence_threshold;
    const empty = f.value === null || (Array.isArray(f.value) && f.value.length === 0);
    f.needs_confirmation = !f.confirmed && f.valid && !empty && f.confidence < threshold;
    if (f.needs_confirmation) f.confirmation_reason = confirmationReason(f, threshold);
    else delete f.confirmation_reason;
  }
}

export const separateStage: Stage = {
  name: 'separate',
  async run(ctx) {
    const settings = captureSettings(ctx.project);
    const barcodes = ctx.engines.barcodes;
    const fileType = ctx.fileType ?? 'pdf';
    const segments = await separate(settings.separation, ctx.pages.each(), {
      barcodes: barcodes ? (page) => barcodes.read(ctx.filePath, fileType, page) : undefined,
      patches: barcodes ? (page) => barcodes.patches(ctx.filePath, fileType, page) : undefined,
      classifyPage: (page) => classifyText(settings, pageText(page)),
    });
    const all = segments.length > 0 ? segments : [{ first: 0, last: Math.max(0, ctx.pageCount - 1), confidence: 1 }];
    ctx.result.documents = all.map((s, i) => emptyDocument(i, s, settings.separation.confidence_threshold));
  },
};

export const classifyStage: Stage = {
  name: 'classify',
  async run(ctx) {
    const settings = captureSettings(ctx.project);
    for (const doc of ctx.result.documents) {
      // Only the text is needed: pages are read one at a time and only their lines' text kept.
      const texts: string[] = [];
      for await (const page of ctx.pages.each(doc.pages[0], doc.pages[1])) texts.push(pageText(page));
      typeDocument(settings, doc, texts.join('\n'));
    }
  },
};

export const extractStage: Stage = {
  name: 'extract',
  async run(ctx) {
    const settings = captureSettings(ctx.project);
    for (const doc of ctx.result.documents) {
      ctx.signal.throwIfAborted();
      doc.fields = await extractStored(settings, doc, ctx.pages);
    }
  },
};

export const validateStage: Stage = {
  name: 'validate',
  async run(ctx) {
    const settings = captureSettings(ctx.project);
    const today = new Date().toISOString().slice(0, 10);
    const counts = ctx.memory?.calibration;
    for (const doc of ctx.result.documents) validateDocument(ctx.project, settings, doc, today, undefined, counts ? { counts, known: knownVendor(doc) } : undefined);
  },
};
