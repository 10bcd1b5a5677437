/**
 * @module The export data model, schema `docket.export/v1` (docs/export-json.md,
 * docs/export.schema.json): what the JSON, XML, CSV and template outputs are all
 * rendered from, so the four never disagree about a value. The version is part of the
 * schema name; a change that removes or retypes a member needs `v2`, adding one does not.
 */
import type { CaptureResult, DocumentResult, FieldValue } from '../../core/capture.ts';
import type { Tags } from '../../shared/tags.ts';

export const EXPORT_SCHEMA = 'docket.export/v1';

export interface ExportField {
  name: string;
  type: string;
  value: FieldValue;
  text: string | null;
  confidence: number;
  valid: boolean;
  confirmed: boolean;
  /** `einvoice`: read from the XML invoice the PDF carries (docs/einvoices.md); absent for values read from the pages. */
  source?: 'einvoice';
}

export interface ExportDocument {
  index: number;
  document_type: string | null;
  type_confidence: number;
  pages: [number, number];
  /** Field name → normalised value; tables are arrays of row objects. */
  fields: Record<string, FieldValue>;
  field_details: ExportField[];
}

export interface ExportData {
  schema: typeof EXPORT_SCHEMA;
  task: { id: string; name: string; project_name: string; tags: Tags };
  page_count: number;
  documents: ExportDocument[];
}

export interface TaskFacts {
  taskId: string;
  taskName: string;
  projectName: string;
  tags: Tags;
}

function exportDocument(d: DocumentResult): ExportDocument {
  return {
    index: d.index,
    document_type: d.document_type,
    type_confidence: d.type_confidence,
    pages: [d.pages[0], d.pages[1]],
    // fromEntries defines own properties, so a field called `__proto__` stays a field.
    fields: Object.fromEntries(d.fields.map((f) => [f.name, f.value])),
    field_details: d.fields.map((f) => ({
      name: f.name,
      type: f.type,
      value: f.value,
      text: f.text,
      confidence: f.confidence,
      valid: f.valid,
      confirmed: f.confirmed === true,
      ...(f.source && { source: f.source }),
    })),
  };
}

export function buildExportData(task: TaskFacts, result: CaptureResult): ExportData {
  return {
    schema: EXPORT_SCHEMA,
    task: { id: task.taskId, name: task.taskName, project_name: task.projectName, tags: { ...task.tags } },
    page_count: result.pages.length,
    documents: result.documents.map(exportDocument),
  };
}

/** The same data narrowed to one document, for outputs with `scope: document`. */
export function forDocument(data: ExportData, index: number): ExportData {
  return { ...data, documents: data.documents.filter((d) => d.index === index) };
}
