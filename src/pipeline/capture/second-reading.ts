/**
 * @module The second reading: a required field that extraction did not find on a
 * scanned document is looked for again in a second OCR reading of its pages, made
 * with adaptive (Sauvola) thresholding instead of Tesseract's global one
 * (ocr/types.ts `Thresholding`). Faint print beside dark print — a lighter date on
 * a thermal receipt — is lost by a global threshold and kept by a local one; read
 * that way throughout, though, the 30 SROIE receipts gave more errors elsewhere
 * (F1 0.761 against 0.783), so the second reading only fills what the first left
 * empty: there it took the receipts' dates from 23 to 26 of 30 found right, with no
 * wrong value accepted (`npm run eval`). A document without a required field goes to
 * a person anyway, so the extra OCR is spent only where it can save that work.
 *
 * A filled field keeps the confidence its own reading gives it, and the project's
 * thresholds and rules judge it like any other. Its areas are boxes on the page,
 * which both readings share. Only documents of up to `MAX_PAGES` pages are read
 * again, so a long scan with a missing field costs no more than a short one.
 */
import { budgeted } from '../../core/project/pattern-budget.ts';
import type { DocumentResult } from '../../core/capture.ts';
import type { Page } from '../../core/page.ts';
import { captureSettings, type DocumentType } from '../../core/project.ts';
import type { PipelineContext, Stage } from '../types.ts';
import { extractDocument } from './extract.ts';
import { documentLines } from './text.ts';

export const MAX_PAGES = 5;

/** The required, non-table fields of a typed document that extraction left empty. */
function missingRequired(type: DocumentType, doc: DocumentResult): string[] {
  return type.fields.filter((d) => d.rules.required && d.type !== 'table' && doc.fields.find((f) => f.name === d.name)?.value == null).map((d) => d.name);
}

async function readAgain(ctx: PipelineContext, doc: DocumentResult): Promise<Page[] | null> {
  const pages = await ctx.pages.range(doc.pages[0], doc.pages[1]);
  if (ctx.fileType === null || !pages.some((p) => p.source === 'ocr')) return null;
  const { line_reading: lineReading, languages } = captureSettings(ctx.project).ocr;
  const input = { filePath: ctx.filePath, fileType: ctx.fileType, limits: ctx.limits, signal: ctx.signal, lineReading, ...(languages ? { languages } : {}) };
  const out: Page[] = [];
  for (const p of pages) out.push(p.source === 'ocr' ? await ctx.engines.pages.rereadPage(input, p.index, 'adaptive') : p);
  return out;
}

export const secondReadingStage: Stage = {
  name: 'second reading',
  async run(ctx) {
    const settings = captureSettings(ctx.project);
    for (const doc of ctx.result.documents) {
      const type = settings.document_types.find((t) => t.name === doc.document_type);
      const missing = type ? missingRequired(type, doc) : [];
      if (!type || missing.length === 0 || doc.pages[1] - doc.pages[0] + 1 > MAX_PAGES) continue;
      ctx.signal.throwIfAborted();
      const pages = await readAgain(ctx, doc);
      if (!pages) continue;
      const again = budgeted(pages.length, 'second reading', doc, () => extractDocument(type, documentLines(pages), settings, pages.length));
      for (const name of missing) {
        const found = again.find((f) => f.name === name);
        const i = doc.fields.findIndex((f) => f.name === name);
        if (!found || found.value === null) continue;
        if (i >= 0) doc.fields[i] = found;
        else doc.fields.push(found);
      }
    }
  },
};
