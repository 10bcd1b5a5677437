/**
 * @module Shapes of the answers the OpenAPI document leaves open: the Validation
 * Specification (DESIGN §3) and the portal's own helpers. Document and field shapes
 * are the service's own (`src/core/capture.ts`), imported as types only, so the
 * portal and the service cannot drift apart.
 */
import type { Action, DocumentResult, FieldResult, FieldValue, TableRow } from '../../../src/core/capture.ts';
import type { Box } from '../../../src/core/page.ts';

export type { Action, DocumentResult, FieldResult, FieldValue, TableRow, Box };

import type { TaskJson } from '../../../src/api/task-json.ts';
import type { AdminStatsJson } from '../../../src/core/stats.ts';
import type { DocumentTypeSchema, FieldSchema } from '../../../src/core/project/schemas.ts';

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
}

export interface QueueAnswer {
  waiting: QueueTask[];
  in_progress: QueueTask[];
  projects: { id: string; name: string }[];
}
