/**
 * @module The field schemas the Validation Specification lists (docs/architecture.md#http-api): for each
 * document type, what a person may enter per field — type, whether it is required,
 * enum values, table columns, length and range limits. Derived from the normalised
 * project so the portal and the rules agree on one definition.
 */
import type { CaptureSettings } from './model.ts';

export interface FieldSchema {
  name: string;
  label: string;
  type: string;
  required: boolean;
  values?: string[];
  columns?: { name: string; type: string; required: boolean }[];
  pattern?: string;
  min?: number;
  max?: number;
  min_length?: number;
  max_length?: number;
}

export interface DocumentTypeSchema {
  name: string;
  fields: FieldSchema[];
}

export function schemasOf(capture: CaptureSettings): DocumentTypeSchema[] {
  return capture.document_types.map((t) => ({
    name: t.name,
    fields: t.fields.map((f) => {
      const s: FieldSchema = { name: f.name, label: f.label, type: f.type, required: f.rules.required };
      if (f.type === 'enum') s.values = [...f.values];
      if (f.table) s.columns = f.table.columns.map((c) => ({ name: c.name, type: c.type, required: c.required }));
      if (f.rules.pattern !== null) s.pattern = f.rules.pattern;
      if (f.rules.min !== null) s.min = f.rules.min;
      if (f.rules.max !== null) s.max = f.rules.max;
      if (f.rules.min_length !== null) s.min_length = f.rules.min_length;
      if (f.rules.max_length !== null) s.max_length = f.rules.max_length;
      return s;
    }),
  }));
}
