/**
 * @module Stage 8 (service-core slice): the files an export hands over — the
 * original file and one JSON data file with every document's type, pages and
 * fields. Outputs are built once, when the task enters export, and stored under the
 * task's blob folder so that the purge removes them with everything else.
 */
import { createHash } from 'node:crypto';
import type { TaskOutput } from '../core/ports.ts';
import type { Stage } from './types.ts';

const CONTENT_TYPES = { pdf: 'application/pdf', tiff: 'image/tiff', jpeg: 'image/jpeg', png: 'image/png' } as const;
const EXTENSIONS = { pdf: 'pdf', tiff: 'tif', jpeg: 'jpg', png: 'png' } as const;

/** The base name outputs are called by: the task name without its extension. */
export function outputBaseName(tags: Record<string, string>, taskId: string): string {
  const name = tags.task_name || tags.file_name || taskId;
  const base = name.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return base.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 120) || taskId;
}

export const outputsStage: Stage = {
  name: 'outputs',
  async run(ctx) {
    const base = outputBaseName(ctx.tags, ctx.taskId);
    const type = ctx.fileType ?? 'pdf';
    const original = await ctx.blobs.exists(ctx.fileKey);
    const outputs: TaskOutput[] = [];
    if (original) {
      const data = await ctx.blobs.read(ctx.fileKey);
      outputs.push({
        kind: 'original',
        file_name: ctx.tags.file_name?.replace(/^.*[\\/]/, '') || `${base}.${EXTENSIONS[type]}`,
        content_type: CONTENT_TYPES[type],
        blob_key: ctx.fileKey,
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        document_index: null,
      });
    }
    const json = {
      schema: 'docket.export/v1',
      task_id: ctx.taskId,
      project: ctx.project.name,
      tags: ctx.tags,
      documents: ctx.result.documents.map((d) => ({
        index: d.index,
        document_type: d.document_type,
        pages: d.pages,
        fields: Object.fromEntries(d.fields.map((f) => [f.name, f.value])),
      })),
    };
    const key = `tasks/${ctx.taskId}/outputs/data.json`;
    const info = await ctx.blobs.put(key, Buffer.from(JSON.stringify(json, null, 2)));
    outputs.push({ kind: 'data', file_name: `${base}.json`, content_type: 'application/json', blob_key: key, size: info.size, sha256: info.sha256, document_index: null });
    ctx.outputs = outputs;
  },
};
