/**
 * @module Stage 8, outputs: builds every file the project's `export:` settings ask for
 * (docs/export-json.md), once, when the task enters export. Each is stored with the task's
 * other files (task-files.ts) so the purge removes it with the rest, and listed
 * as a `TaskOutput` for the Export Specification. Names come from the settings' name
 * templates and are unique within the task (`name (2).json` on a collision).
 */
import { createHash } from 'node:crypto';
import { isEInvoiceExport, type ExportSetting } from '../../core/export-settings.ts';
import { captureSettings } from '../../core/project.ts';
import { outputKey } from '../../core/task-files.ts';
import { TaskFailure } from '../../core/errors.ts';
import { taskName } from '../../shared/tags.ts';
import type { TaskOutput } from '../../core/ports/task-processor.ts';
import type { PageSet } from '../../core/page-set.ts';
import type { PipelineContext, Stage } from '../types.ts';
import { buildExportData, forDocument, type ExportData, type ExportDocument } from './data.ts';
import { NameAllocator, renderName, type NameContext } from './naming.ts';
import { renderCsv } from './csv.ts';
import { renderXml } from './xml.ts';
import { renderTemplate } from './template.ts';
import { buildSearchablePdf, taskPages } from './searchable-pdf.ts';
import { buildEInvoice, exportsDocument } from './einvoice.ts';

const ORIGINAL_TYPES = { pdf: 'application/pdf', tiff: 'image/tiff', jpeg: 'image/jpeg', png: 'image/png' } as const;
const ORIGINAL_EXTENSIONS = { pdf: 'pdf', tiff: 'tif', jpeg: 'jpg', png: 'png' } as const;
const DATA_TYPES = { json: 'application/json', csv: 'text/csv; charset=utf-8', xml: 'application/xml' } as const;

interface Built {
  bytes: Uint8Array;
  content_type: string;
  kind: TaskOutput['kind'];
}

/** What one setting produces for the task (`doc` null) or for one document. */
async function build(ctx: PipelineContext, s: ExportSetting, data: ExportData, doc: ExportDocument | null, pages: () => Promise<PageSet>): Promise<Built> {
  const scoped = doc ? forDocument(data, doc.index) : data;
  switch (s.format) {
    case 'json':
      return { bytes: Buffer.from(`${JSON.stringify(scoped, null, 2)}\n`), content_type: DATA_TYPES.json, kind: 'data' };
    case 'csv':
      return { bytes: Buffer.from(renderCsv(scoped, s)), content_type: DATA_TYPES.csv, kind: 'data' };
    case 'xml':
      return { bytes: Buffer.from(renderXml(scoped)), content_type: DATA_TYPES.xml, kind: 'data' };
    case 'template':
      return { bytes: Buffer.from(renderTemplate(scoped, s)), content_type: s.content_type, kind: 'data' };
    case 'searchable_pdf': {
      const first = doc ? doc.pages[0] : 0;
      const last = doc ? doc.pages[1] : Math.max(0, ctx.pageCount - 1);
      return { bytes: await buildSearchablePdf(ctx, await (await pages()).range(first, last), first, last), content_type: 'application/pdf', kind: 'document' };
    }
    case 'original':
      throw new TaskFailure('processing_error', 'the original is not rendered');
    case 'cii':
    case 'ubl':
    case 'facturx': {
      if (!doc) throw new TaskFailure('processing_error', 'an e-invoice is built per document');
      const pdf = async () => buildSearchablePdf(ctx, await (await pages()).range(doc.pages[0], doc.pages[1]), doc.pages[0], doc.pages[1]);
      return buildEInvoice(s, doc, ctx.project, pdf, new Date());
    }
  }
}

async function original(ctx: PipelineContext, fileName: string): Promise<TaskOutput | null> {
  // A bare e-invoice XML is handed back as sent, not as the PDF rendered from it.
  const key = ctx.bareXml?.key ?? ctx.fileKey;
  if (ctx.fileType === null || !(await ctx.blobs.exists(key))) return null;
  const data = await ctx.blobs.read(key);
  return {
    kind: 'original',
    file_name: fileName,
    content_type: ctx.bareXml ? 'application/xml' : ORIGINAL_TYPES[ctx.fileType],
    blob_key: key,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    document_index: null,
  };
}

export const outputsStage: Stage = {
  name: 'outputs',
  async run(ctx) {
    // Checked when the project was stored (core/project/parse-settings.ts): a project with problems is never stored.
    const settings = captureSettings(ctx.project).export;
    const names: NameContext = { taskId: ctx.taskId, tags: ctx.tags, originalExtension: ctx.bareXml ? 'xml' : ORIGINAL_EXTENSIONS[ctx.fileType ?? 'pdf'] };
    const data = buildExportData(
      { taskId: ctx.taskId, taskName: taskName(ctx.tags, ctx.taskId), projectName: ctx.project.name, tags: ctx.tags },
      ctx.result,
    );
    let pageCache: Promise<PageSet> | null = null;
    const pages = () => (pageCache ??= taskPages(ctx));
    const allocator = new NameAllocator();
    const outputs: TaskOutput[] = [];
    for (const s of settings) {
      ctx.signal.throwIfAborted();
      if (s.format === 'original') {
        const out = await original(ctx, allocator.allocate(renderName(s.name, names, null)));
        if (out) outputs.push(out);
        continue;
      }
      const documents = isEInvoiceExport(s) ? data.documents.filter((d) => exportsDocument(s, d.document_type)) : data.documents;
      const targets: (ExportDocument | null)[] = s.scope === 'document' ? documents : [null];
      for (const doc of targets) {
        const built = await build(ctx, s, data, doc, pages);
        const key = outputKey(ctx.taskId, outputs.length);
        const info = await ctx.blobs.put(key, built.bytes);
        outputs.push({
          kind: built.kind,
          file_name: allocator.allocate(renderName(s.name, names, doc)),
          content_type: built.content_type,
          blob_key: key,
          size: info.size,
          sha256: info.sha256,
          document_index: doc ? doc.index : null,
        });
      }
    }
    ctx.outputs = outputs;
  },
};
