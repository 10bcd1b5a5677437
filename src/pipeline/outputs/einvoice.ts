/**
 * @module The `cii`, `ubl` and `facturx` outputs (docs/einvoice-export.md): one EN 16931 e-invoice
 * per invoice document, built from its fields as they stand after validation, so a
 * person's corrections are in it. A document that lacks a mandatory term was sent to
 * validation for it by the decide stage (decide.ts); reaching here still lacking one
 * (validation off, or completed without it) fails the task with `einvoice_incomplete`
 * naming every missing term, rather than handing over an invoice a receiver rejects.
 */
import { readFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import { TaskFailure } from '../../core/errors.ts';
import { isEInvoiceExport, type EInvoiceExport } from '../../core/export-settings.ts';
import type { Action, CaptureResult, DocumentResult } from '../../core/capture.ts';
import { einvoiceFromFields, type TermProblem, type TermSources } from '../../core/einvoice/from-fields.ts';
import { captureSettings, type DocumentType, type Project } from '../../core/project.ts';
import { fieldTerm } from '../einvoice/fields.ts';
import type { EInvoice } from '../../core/einvoice/model.ts';
import { writeCii } from '../../core/einvoice/write-cii.ts';
import { writeUbl } from '../../core/einvoice/write-ubl.ts';
import type { ExportDocument } from './data.ts';
import { embedFacturX, fontReason } from './facturx.ts';
import type { PipelineContext } from '../types.ts';

/** Whether the setting exports this document (its `document_types`, or every document). */
export function exportsDocument(s: Pick<EInvoiceExport, 'document_types'>, documentType: string | null): boolean {
  return s.document_types === null || (documentType !== null && s.document_types.includes(documentType));
}

/** The reasons one document cannot be an e-invoice under this setting: one line per term. */
export function describeProblems(index: number, problems: TermProblem[]): string {
  return `document ${index}: ${problems.map((p) => p.message).join('; ')}`;
}

/**
 * Where the setting takes each term for a document of `type`: the fields the reading of
 * e-invoices maps (a field's `einvoice` method or its built-in name, einvoice/fields.ts),
 * so both directions agree, overridden by the setting's own `fields`.
 */
export function termSources(s: EInvoiceExport, type: DocumentType | undefined): TermSources {
  const fields: Record<string, string> = {};
  for (const def of type?.fields ?? []) {
    const term = fieldTerm(def);
    if (term !== null && fields[term] === undefined) fields[term] = def.name;
  }
  return { fields: { ...fields, ...s.fields }, values: s.values };
}

function typeOf(project: Project, name: string | null): DocumentType | undefined {
  return captureSettings(project).document_types.find((t) => t.name === name);
}

function invoiceOf(s: EInvoiceExport, doc: ExportDocument, project: Project): EInvoice {
  const r = einvoiceFromFields(doc.fields, termSources(s, typeOf(project, doc.document_type)));
  if (!r.ok) throw new TaskFailure('einvoice_incomplete', `${s.format} export: ${describeProblems(doc.index, r.problems)}`);
  return r.invoice;
}

export interface BuiltEInvoice {
  bytes: Uint8Array;
  content_type: string;
  kind: 'data' | 'document';
}

/** The file for one document; `pdf` gives the document's pages as a PDF (the searchable-PDF builder). */
export async function buildEInvoice(s: EInvoiceExport, doc: ExportDocument, project: Project, pdf: () => Promise<Uint8Array>, now: Date): Promise<BuiltEInvoice> {
  const invoice = invoiceOf(s, doc, project);
  if (s.format === 'ubl') return { bytes: Buffer.from(writeUbl(invoice)), content_type: 'application/xml', kind: 'data' };
  const cii = writeCii(invoice);
  if (s.format === 'cii') return { bytes: Buffer.from(cii), content_type: 'application/xml', kind: 'data' };
  const title = `Invoice ${invoice.number ?? ''}`.trim();
  const built = await embedFacturX(await pdf(), cii, { title, profile: invoice.profile, date: now });
  return { bytes: built.bytes, content_type: 'application/pdf', kind: 'document' };
}

/**
 * One `invalid_field` action per missing or contradictory term of each document an
 * e-invoice export will cover, on the field that carries the term when the type has
 * one, so the task goes to validation with the reason (decide.ts). Settings that ask
 * the same of a document (e.g. `cii` and `facturx`) give one action, not two.
 */
export function einvoiceActions(project: Project, result: CaptureResult): Action[] {
  const actions: Action[] = [];
  const seen = new Set<string>();
  for (const s of captureSettings(project).export) {
    if (!isEInvoiceExport(s)) continue;
    for (const doc of result.documents) {
      if (!exportsDocument(s, doc.document_type)) continue;
      const fields = Object.fromEntries(doc.fields.map((f) => [f.name, f.value]));
      const r = einvoiceFromFields(fields, termSources(s, typeOf(project, doc.document_type)));
      if (r.ok) continue;
      for (const p of r.problems) {
        const action: Action = { kind: 'invalid_field', document: doc.index, ...(p.field === null ? {} : { field: p.field }), reason: `e-invoice export: ${p.message}` };
        const key = JSON.stringify(action);
        if (!seen.has(key)) actions.push(action);
        seen.add(key);
      }
    }
  }
  return actions;
}

/**
 * For a person's Validation Results (capture/results.ts): each term an e-invoice export
 * still lacks becomes a message on the field that carries it (invalid), or on the
 * document, so completing without it is answered like a broken rule — a 422 naming
 * the field, or, found only in the finish phase, the task back in validation.
 */
export function markEInvoiceTerms(project: Project, doc: DocumentResult): void {
  for (const a of einvoiceActions(project, { pages: [], documents: [doc], actions: [], needs_validation: false })) {
    const field = a.field === undefined ? undefined : doc.fields.find((f) => f.name === a.field);
    if (field) {
      field.valid = false;
      if (!field.messages.includes(a.reason)) field.messages.push(a.reason);
    } else if (!doc.messages.includes(a.reason)) {
      doc.messages.push(a.reason);
    }
  }
}

/**
 * At capture, a note on each document a `facturx` export covers whose pages paint
 * visible text in fonts the PDF does not embed: the export keeps those pages
 * (searchable-pdf/build.ts copies born-digital pages untouched), so it will not be
 * PDF/A-3, and its XMP will not claim it (facturx.ts). Said in the task's result, where
 * the API shows it (`documents[].notes`), before anyone relies on the file. A PDF pdf-lib
 * cannot parse is exported as page images, with no fonts, so it gets no note.
 */
export async function noteFacturxFonts(ctx: PipelineContext): Promise<void> {
  const settings = captureSettings(ctx.project).export.filter((s) => s.format === 'facturx');
  const docs = ctx.result.documents.filter((d) => settings.some((s) => isEInvoiceExport(s) && exportsDocument(s, d.document_type)));
  if (ctx.fileType !== 'pdf' || docs.length === 0) return;
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(await readFile(ctx.filePath), { updateMetadata: false });
  } catch {
    return;
  }
  for (const doc of docs) {
    const reason = fontReason(pdf, doc.pages);
    if (reason !== null) doc.notes = [...(doc.notes ?? []), `facturx export: ${reason}, so its XMP does not claim PDF/A`];
  }
}
