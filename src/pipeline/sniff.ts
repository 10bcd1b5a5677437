/**
 * @module Stage 1, sniff: the file's type from its magic bytes, never from its name
 * or the client's Content-Type (scanners and agents often send neither right). PDF
 * readers accept a `%PDF-` header anywhere in the first 1024 bytes (PDF 32000-1
 * annex H.3 note 3), so scanner output with a junk prefix is still a PDF. An XML body
 * is taken when it is a CII or UBL invoice (einvoice/bare-xml.ts): the stage then points
 * the task at the PDF rendered from it, made once and kept with the task's files.
 */
import { open } from 'node:fs/promises';
import { TaskFailure } from '../core/errors.ts';
import { renderedPdfKey } from '../core/task-files.ts';
import type { FileType, PipelineContext, Stage } from './types.ts';
import { pdfOfBareXml, sniffXmlFile } from './einvoice/bare-xml.ts';

const HEAD_BYTES = 1024;

export function sniffType(head: Uint8Array): FileType | null {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 4 && b[0] === 0x89 && b.toString('latin1', 1, 4) === 'PNG') return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 4) {
    const sig = b.toString('latin1', 0, 4);
    // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
    if (sig === 'II*\0' || sig === 'MM\0*' || sig === 'II+\0' || sig === 'MM\0+') return 'tiff';
  }
  if (b.subarray(0, HEAD_BYTES).includes('%PDF-', 0, 'latin1')) return 'pdf';
  return null;
}

export async function sniffFile(path: string): Promise<FileType | null> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return sniffType(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Points the context at the PDF of a bare e-invoice XML, rendering it on the first run (the finish phase reuses it). */
async function useRendering(ctx: PipelineContext): Promise<void> {
  const key = renderedPdfKey(ctx.taskId);
  if (!(await ctx.blobs.exists(key))) await ctx.blobs.put(key, await pdfOfBareXml(ctx.filePath));
  ctx.bareXml = { key: ctx.fileKey };
  ctx.fileKey = key;
  const local = await ctx.blobs.localFile(key);
  ctx.scratch?.push(local);
  ctx.filePath = local.path;
  ctx.fileType = 'pdf';
}

export const sniffStage: Stage = {
  name: 'sniff',
  async run(ctx) {
    if (ctx.bareXml) return;
    ctx.fileType = await sniffFile(ctx.filePath);
    if (ctx.fileType !== null) return;
    // Any XML goes to the e-invoice reader, whose refusal (not an invoice, a DTD, too large) is the clearer reason.
    if ((await sniffXmlFile(ctx.filePath)) === null) throw new TaskFailure('unsupported_file_type');
    await useRendering(ctx);
  },
};
