/**
 * @module Shapes of the answers the OpenAPI document leaves open: the Validation
 * Specification (docs/architecture.md#http-api) and the portal's own helpers. Document, field and
 * task shapes are the service's own, generated from its declarations by
 * `npm run gen:api` (`schema/service.d.ts`), so the portal and the service cannot
 * drift apart while the portal imports nothing from `src/`.
 */
import type { Action, AdminStatsJson, Area, Box, DocumentResult, DocumentTypeSchema, FieldResult, FieldSchema, FieldValue, TableRow, TaskJson } from './schema/service.d.ts';

export type { Action, Area, DocumentResult, FieldResult, FieldValue, TableRow, Box };

// The Task JSON and field schemas are the service's own types too.
export type { TaskJson, AdminStatsJson, DocumentTypeSchema, FieldSchema };

export interface SpecPage {
  index: number;
  width: number;
  height: number;
  source: string;
  image_url: string;
}

export interface ValidationSpec {
  task: TaskJson;
  lease_expires_at: string;
  pages: SpecPage[];
  document_types: DocumentTypeSchema[];
  documents: DocumentResult[];
  actions: Action[];
}

export interface PageWords {
  index: number;
  width: number;
  height: number;
  words: { text: string; box: Box; confidence: number }[];
  lines: { text: string; box: Box; words: number[] }[];
}

export interface PreviewAnswer {
  documents: DocumentResult[] | null;
  changed: number[];
  problems: { path: string; message: string }[];
}

export interface QueueTask extends TaskJson {
  held_by?: string | null;
  held_by_me?: boolean;
  postponed_by_me?: boolean;
  exception_reason?: string | null;
}

export interface QueueAnswer {
  waiting: QueueTask[];
  in_progress: QueueTask[];
  /** Rejected into the exception queue: listed to admins only. */
  exceptions: QueueTask[];
  /** Tasks this person submitted that still wait for export: they may reopen them. */
  submitted_by_me: QueueTask[];
  projects: { id: string; name: string; reject_reasons: string[] }[];
}
