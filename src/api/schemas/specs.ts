/**
 * @module The Export and Validation Specifications (docs/architecture.md#http-api),
 * the capture result's documents, fields and actions they carry (core/capture.ts),
 * and the Validation Results a client completes validation with. The result shapes
 * list every property of their core type and stay open (`additionalProperties`),
 * so a property a pipeline stage adds reaches clients before it is declared here.
 * The two specifications themselves are closed (specs.ts builds them), which lets a
 * generated client tell one from the other by its properties. A field value is any
 * JSON (`{}`): text, a number, a boolean, null or table rows by the field's type.
 */
import { Type } from '@sinclair/typebox';
import { Nullable, ref } from './common.ts';
import { Task } from './tasks.ts';

export const Box = Type.Object({
  x: Type.Number(), y: Type.Number(), w: Type.Number(), h: Type.Number(),
}, { $id: 'Box', description: 'A rectangle in points, origin at the page\'s top left.' });

const Area = Type.Object({ page: Type.Integer({ description: '0-based page index in the file.' }), box: ref(Box) });

const Value = Type.Unknown({ description: 'The normalised value: text, an ISO date, a number, a boolean, table rows (objects of column → cell), or null when not found.' });

export const Field = Type.Object({
  name: Type.String(),
  type: Type.String({ description: 'The field\'s declared type (text, date, amount, number, enum, table, …).' }),
  value: Value,
  text: Nullable('string', { description: 'The text as it stands in the document.' }),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  raw_confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'The confidence before the project\'s learned calibration mapped it; present only when it did.' })),
  review_threshold: Type.Optional(Type.Number({ minimum: 0, description: 'The threshold `confidence` is compared with for review: the field\'s own, the one learned from validations for `max_field_error`, or the project\'s; above 1 when the field is always reviewed.' })),
  areas: Type.Array(Area),
  valid: Type.Boolean(),
  messages: Type.Array(Type.String()),
  needs_confirmation: Type.Boolean(),
  confirmation_reason: Type.Optional(Type.String({ description: 'Why a person is asked to confirm, in words with numbers (confidence, threshold, other candidates); set with `needs_confirmation`.' })),
  alternatives: Type.Optional(Type.Array(Type.Object({ value: Value, text: Nullable('string'), confidence: Type.Number(), areas: Type.Array(Area) }), { description: 'Other candidates, best first.' })),
  confirmed: Type.Optional(Type.Boolean({ description: 'Set when a person confirmed or changed the value.' })),
}, { $id: 'Field', additionalProperties: true, description: 'One extracted field of a document.' });

export const Document = Type.Object({
  index: Type.Integer({ description: '0-based position among the task\'s documents.' }),
  pages: Type.Array(Type.Integer(), { minItems: 2, maxItems: 2, description: 'First and last 0-based page index, inclusive.' }),
  document_type: Nullable('string', { description: 'Null when no type could be given.' }),
  type_confidence: Type.Number(),
  type_needs_confirmation: Type.Boolean(),
  boundary_confidence: Type.Number(),
  boundary_needs_review: Type.Boolean(),
  fields: Type.Array(ref(Field)),
  messages: Type.Array(Type.String(), { description: 'Messages of rules that span fields.' }),
  notes: Type.Optional(Type.Array(Type.String(), { description: 'Processing notes; absent when none.' })),
}, { $id: 'Document', additionalProperties: true, description: 'One document found in the task\'s file, with its type and fields.' });

export const Action = Type.Object({
  kind: Type.String({ enum: ['invalid_field', 'confirm_field', 'unknown_type', 'confirm_type', 'review_boundary'] }),
  document: Type.Integer(),
  field: Type.Optional(Type.String()),
  page: Type.Optional(Type.Integer()),
  reason: Type.String(),
}, { $id: 'Action', additionalProperties: true, description: 'Something a person should look at during validation.' });

const FieldSchema = Type.Object({
  name: Type.String(), label: Type.String(), type: Type.String(), required: Type.Boolean(),
  values: Type.Optional(Type.Array(Type.String())),
  columns: Type.Optional(Type.Array(Type.Object({ name: Type.String(), type: Type.String(), required: Type.Boolean() }))),
  pattern: Type.Optional(Type.String()),
  min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()),
  min_length: Type.Optional(Type.Integer()), max_length: Type.Optional(Type.Integer()),
});

export const DocumentType = Type.Object({
  name: Type.String(),
  fields: Type.Array(FieldSchema),
}, { $id: 'DocumentType', description: 'What a person may enter for a document type\'s fields.' });

export const ExportFile = Type.Object({
  id: Type.String(),
  file_name: Type.String(),
  content_type: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  document_index: Nullable('integer', { description: 'The document the file belongs to; null for the task\'s own files (the original).' }),
  url: Type.String({ format: 'uri', description: 'Where to download it (GET, with the token), built from DOCKET_PUBLIC_URL.' }),
}, { $id: 'ExportFile', additionalProperties: true, description: 'A file an export hands over.' });

export const ExportSpecification = Type.Object({
  task: ref(Task),
  lease_expires_at: Nullable('string', { format: 'date-time' }),
  documents: Type.Array(Type.Object({
    index: Type.Integer(),
    document_type: Nullable('string'),
    pages: Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 }),
    fields: Type.Record(Type.String(), Value, { description: 'Field name → value.' }),
    files: Type.Array(ref(ExportFile)),
  })),
  files: Type.Array(ref(ExportFile), { description: 'Every file of the export: the original, the data files, the documents.' }),
}, { $id: 'ExportSpecification', description: 'What `start_client_action?action=export` answers: the documents and their files.' });

export const SpecPage = Type.Object({
  index: Type.Integer(), width: Type.Number(), height: Type.Number(), source: Type.String(),
  image_url: Type.String({ format: 'uri' }),
}, { $id: 'SpecPage', description: 'A page of the file, with its image.' });

export const ValidationSpecification = Type.Object({
  task: ref(Task),
  lease_expires_at: Nullable('string', { format: 'date-time' }),
  pages: Type.Array(ref(SpecPage)),
  document_types: Type.Array(ref(DocumentType)),
  documents: Type.Array(ref(Document)),
  actions: Type.Array(ref(Action)),
}, { $id: 'ValidationSpecification', description: 'What `start_client_action?action=validation` answers: pages, documents and what to check.' });

export const ClientActionSpecification = Type.Union([ref(ExportSpecification), ref(ValidationSpecification)], {
  description: 'The Export Specification for `action=export`, the Validation Specification for `action=validation`.',
});

const SubmittedDocument = Type.Object({
  pages: Type.Array(Type.Integer(), { description: 'First and last page, inclusive.' }),
  document_type: Type.Optional(Nullable('string')),
  fields: Type.Optional(Type.Record(Type.String(), Value)),
}, { additionalProperties: true });

export const ValidationResults = Type.Object({
  documents: Type.Array(SubmittedDocument),
}, { $id: 'ValidationResults', additionalProperties: true, description: 'The documents as a person left them; the rules are checked again (422 lists every problem).' });

export const FailBody = Type.Object({
  message: Type.Optional(Type.String({ description: 'Why; kept as the task\'s error message (2,000 characters at most).' })),
}, { $id: 'FailClientAction' });
