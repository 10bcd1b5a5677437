/**
 * @module The capture result: what processing makes of a task's pages and what the
 * Validation and Export Specifications (docs/architecture.md#http-api) are built from. It is stored per
 * task as one JSON blob, so every field here must stay plain JSON. Stages fill it in
 * order (separate → classify → extract → validate); a person's Validation Results
 * replace `documents` and the rules run again.
 */
import type { Box } from './page.ts';

/** A region a value was read from. `page` is the 0-based page index in the file. */
export interface Area {
  page: number;
  box: Box;
}

/** A table value: one object per row, column name → cell text or normalised value. */
export type TableRow = Record<string, string | number | null>;
export type FieldValue = string | number | boolean | null | TableRow[];

export interface FieldResult {
  name: string;
  /** The field's declared type (text, date, amount, number, enum, table, …). */
  type: string;
  /** Normalised value: ISO date, number for amounts, rows for tables; null when not found. */
  value: FieldValue;
  /** The text as it stands in the document, before normalisation. */
  text: string | null;
  /** 0..1: OCR confidence combined with match quality; the calibrated rate of right values when the project's validations calibrated the field. */
  confidence: number;
  /** The confidence before calibration mapped it (docs/vendor-memory.md#calibration); set only when it did. */
  raw_confidence?: number;
  /** The threshold `confidence` is compared with for review (docs/vendor-memory.md#calibration): the field's own, the learned one, the scorer's or the project's; the re-check of submitted results uses it again. */
  review_threshold?: number;
  areas: Area[];
  valid: boolean;
  messages: string[];
  needs_confirmation: boolean;
  /** Why a person is asked to confirm, in words with numbers ("confidence 62 % (below 80 %): two candidates on the page, 26.60 and 26.00"); set with `needs_confirmation`. */
  confirmation_reason?: string;
  /** Other candidates, best first. */
  alternatives?: { value: FieldValue; text: string | null; confidence: number; areas: Area[] }[];
  /** Set when a person has confirmed or changed the value. */
  confirmed?: boolean;
  /** Where the value came from when not from the pages: `einvoice` for the XML invoice attached to the PDF (docs/einvoices.md). */
  source?: 'einvoice';
}

export interface DocumentResult {
  /** 0-based position among the task's documents. */
  index: number;
  /** First and last 0-based page index, inclusive. */
  pages: [number, number];
  /** Null when no type could be given ("unknown"). */
  document_type: string | null;
  type_confidence: number;
  type_needs_confirmation: boolean;
  /** Confidence that a document starts at `pages[0]`; 1 for the first document. */
  boundary_confidence: number;
  boundary_needs_review: boolean;
  fields: FieldResult[];
  /** Messages of rules that span fields (e.g. "subtotal + tax == total"). */
  messages: string[];
  /** Processing notes, e.g. project patterns not run because the page's pattern time budget was spent; absent when none. */
  notes?: string[];
}

export type ActionKind = 'invalid_field' | 'confirm_field' | 'unknown_type' | 'confirm_type' | 'review_boundary';

export interface Action {
  kind: ActionKind;
  document: number;
  /** The field's name for field actions. */
  field?: string;
  /** The page a boundary starts at, for boundary actions. */
  page?: number;
  reason: string;
}

export interface CaptureResult {
  /** Page count and sizes (points) of the file, in order. */
  pages: { index: number; width: number; height: number; source: string }[];
  documents: DocumentResult[];
  actions: Action[];
  /** Whether the task must go to validation before export. */
  needs_validation: boolean;
}
