/**
 * @module Stage 1, sniff: the file's type from its magic bytes, never from its name
 * or the client's Content-Type (scanners and agents often send neither right). PDF
 * readers accept a `%PDF-` header anywhere in the first 1024 bytes (PDF 32000-1
 * annex H.3 note 3), so scanner output with a junk prefix is still a PDF.
 */
import { open } from 'node:fs/promises';
import { TaskFailure } from '../core/errors.ts';
import type { FileType, Stage } from './types.ts';

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

export const sniffStage: Stage = {
  name: 'sniff',
  async run(ctx) {
    ctx.fileType = await sniffFile(ctx.filePath);
    if (ctx.fileType === null) throw new TaskFailure('unsupported_file_type');
  },
};
