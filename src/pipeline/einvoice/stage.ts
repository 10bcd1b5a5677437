/**
 * @module The e-invoice stage (docs/einvoices.md), after the page stages and the
 * visual extraction and rules: a PDF carrying an invoice XML gets the invoice's
 * values in the fields of the project's invoice type, at confidence 1.0 and source
 * `einvoice`, and the checks a person would make (EN 16931 arithmetic and mandatory
 * terms, the pages agreeing with the XML). Each failed check and each unusable
 * attachment becomes a document message on the fields it concerns, so the decide
 * stage turns it into a validation action with that reason. The pages were read
 * as usual, so portal, searchable PDF and classification work unchanged.
 * Last, documents a `facturx` export covers get a note when their pages' fonts keep
 * that export from being PDF/A-3 (outputs/einvoice.ts).
 */
import type { DocumentResult, FieldResult } from '../../core/capture.ts';
import { checkEInvoice, type EInvoiceFinding } from '../../core/einvoice/en16931-checks.ts';
import type { EInvoice } from '../../core/einvoice/model.ts';
import { TaskFailure } from '../../core/errors.ts';
import { captureSettings, type CaptureSettings, type DocumentType } from '../../core/project.ts';
import { extractStored } from '../capture/long-document.ts';
import { validateDocument } from '../capture/stages.ts';
import type { PdfAttachment } from '../pages/types.ts';
import type { PipelineContext, Stage } from '../types.ts';
import { noteFacturxFonts } from '../outputs/einvoice.ts';
import { EMBEDDED_NAMES, embeddedInvoice } from './embedded.ts';
import { fieldsFromEInvoice, fieldTerm } from './fields.ts';
import { XML_LIMITS } from './read.ts';
import { visualFindings } from './visual-check.ts';

/** The type an e-invoice fills: the one whose fields name `einvoice` terms, else one called "Invoice", else the document's own if it maps any field. */
export function invoiceType(settings: CaptureSettings, doc: DocumentResult): DocumentType | null {
  const types = settings.document_types;
  return (
    types.find((t) => t.fields.some((f) => f.extract.some((m) => m.einvoice))) ??
    types.find((t) => t.name.toLowerCase() === 'invoice') ??
    types.find((t) => t.name === doc.document_type && t.fields.some((f) => fieldTerm(f) !== null)) ??
    null
  );
}

/** Adds a message to the document and to the fields that carry its terms, as a broken cross-field rule does. */
function flag(doc: DocumentResult, type: DocumentType | null, message: string, terms: readonly string[] = []): void {
  doc.messages.push(message);
  for (const def of type?.fields ?? []) {
    const term = fieldTerm(def);
    const f = doc.fields.find((x) => x.name === def.name);
    if (!f || term === null || !terms.includes(term) || f.messages.includes(message)) continue;
    f.messages.push(message);
    f.valid = false;
  }
}

function describe(f: EInvoiceFinding): string {
  return f.rule.startsWith('BR-CO') ? `e-invoice: ${f.message} (EN 16931 ${f.rule})` : `e-invoice: ${f.message}`;
}

/**
 * The PDF's invoice attachments. When they cannot even be listed (the worker timed out or died on the file), nothing
 * says the PDF is an e-invoice, so the document keeps its visual values with a note, not an action.
 */
async function attachments(ctx: PipelineContext, doc: DocumentResult): Promise<PdfAttachment[]> {
  try {
    return await ctx.engines.pages.attachments(ctx.filePath, EMBEDDED_NAMES, XML_LIMITS.bytes);
  } catch (e) {
    if (!(e instanceof TaskFailure)) throw e;
    doc.notes = [...(doc.notes ?? []), `the PDF's attachments could not be read (${e.message}), so no e-invoice was looked for`];
    return [];
  }
}

/**
 * Puts an e-invoice into the document (the PDF's only one, `joined`): its type, its fields from the XML, the
 * project's rules on them, then the e-invoice checks and the comparison with the
 * pages as messages. `source` names the invoice in a note when there is no invoice
 * type. Also for a bare XML task whose pages are a rendering of the invoice.
 */
export async function applyEInvoice(ctx: PipelineContext, doc: DocumentResult, invoice: EInvoice, source: string): Promise<void> {
  const settings = captureSettings(ctx.project);
  const type = invoiceType(settings, doc);
  if (!type) {
    doc.notes = [...(doc.notes ?? []), `the PDF carries an e-invoice (${source}), but the project has no invoice type to put it in`];
    return;
  }
  if (doc.document_type !== type.name) {
    doc.document_type = type.name;
    doc.fields = await extractStored(settings, doc, ctx.pages);
  }
  doc.type_confidence = 1;
  doc.type_needs_confirmation = false;
  const seen = (term: 'BT-1' | 'BT-112' | 'BT-84'): FieldResult | undefined => doc.fields.find((f) => type.fields.some((d) => d.name === f.name && fieldTerm(d) === term));
  const visual = { 'BT-1': seen('BT-1'), 'BT-112': seen('BT-112'), 'BT-84': seen('BT-84') };
  const lines: string[] = [];
  for await (const page of ctx.pages.each(doc.pages[0], doc.pages[1])) lines.push(...page.lines.map((l) => l.text));
  doc.fields = fieldsFromEInvoice(type, invoice, doc.fields);
  const findings = [...checkEInvoice(invoice), ...visualFindings(invoice, lines, visual)];
  const arithmetic = findings.filter((f) => f.rule.startsWith('BR-CO')).map(findingTerms);
  const termOf = (name: string): string | null => {
    const def = type.fields.find((d) => d.name === name);
    return def ? fieldTerm(def) : null;
  };
  // One message per cause: a project rule comparing only fields one failed EN 16931 rule covers (the demo's line rule and BR-CO-10) stays silent.
  const reported = (names: readonly string[]) => names.length > 0 && arithmetic.some((terms) => names.every((n) => terms.includes(termOf(n) ?? '')));
  validateDocument(ctx.project, settings, doc, new Date().toISOString().slice(0, 10), reported);
  const hasTable = type.fields.some((d) => fieldTerm(d) === 'BG-25');
  for (const f of findings) {
    // Lines that do not add up mark the table alone when there is one, as the project's rules do: its rows are what to check.
    flag(doc, type, describe(f), f.rule === 'BR-CO-10' && hasTable ? ['BG-25'] : f.terms);
  }
}

/** The terms a finding compares: BR-CO-10 sums the lines (BG-25) against BT-106. */
function findingTerms(f: EInvoiceFinding): readonly string[] {
  return f.rule === 'BR-CO-10' ? [...f.terms, 'BG-25'] : f.terms;
}

/**
 * The task's documents as one: a PDF that carries an e-invoice is that one invoice (Factur-X and ZUGFeRD make one
 * PDF/A-3 file per invoice, its XML the data, its pages the readable form), so documents the separation found in it
 * (a terms page headed like a first page, a page break on a pattern) are its pages. Its visual fields are read again
 * over all of them. An unusable attachment does not say the PDF is one invoice, so the separation then stands.
 */
async function joined(ctx: PipelineContext, source: string): Promise<DocumentResult> {
  const docs = ctx.result.documents;
  const first = docs[0] as DocumentResult;
  if (docs.length === 1) return first;
  const last = docs[docs.length - 1] as DocumentResult;
  const doc: DocumentResult = {
    ...first,
    pages: [first.pages[0], last.pages[1]],
    boundary_confidence: 1,
    boundary_needs_review: false,
    notes: [...docs.flatMap((d) => d.notes ?? []), `the PDF carries one e-invoice (${source}), so its ${docs.length} documents found by separation are joined into one`],
  };
  doc.fields = await extractStored(captureSettings(ctx.project), doc, ctx.pages);
  ctx.result.documents = [doc];
  return doc;
}

export const einvoiceStage: Stage = {
  name: 'einvoice',
  async run(ctx) {
    const doc = ctx.result.documents[0];
    if (ctx.fileType !== 'pdf' || !doc) return;
    const found = embeddedInvoice(await attachments(ctx, doc));
    if (found !== null && 'problem' in found) flag(doc, null, `e-invoice: ${found.problem}; the values were read from the pages`);
    else if (found !== null) await applyEInvoice(ctx, await joined(ctx, found.name), found.invoice, found.name);
    await noteFacturxFonts(ctx);
  },
};
