/**
 * @module Renders an output's name template (`{task_name}_{document_index}.pdf`) and
 * makes the result a safe, unique file name. Placeholder values are sanitised with the
 * whole name, so a tag or field value such as `../../etc/passwd` or `CON` can never
 * name a path outside the export folder or a Windows device.
 */
import { sanitizeFileName, uniqueFileName } from '../../shared/file-names.ts';
import type { ExportDocument } from './data.ts';
import type { Tags } from '../../shared/tags.ts';

const PLACEHOLDER = /\{([^{}]*)\}/g;
/** Extensions of the files docket takes in, dropped from `{task_name}` so `scan.pdf` gives `scan_0.json`, not `scan.pdf_0.json`. */
const INPUT_EXTENSION = /\.(pdf|tiff?|jpe?g|png)$/i;

export interface NameContext {
  taskId: string;
  tags: Tags;
  /** Extension of the original file, used when the task has no `file_name` tag. */
  originalExtension: string;
}

function lastSegment(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

/** `{file_name}`: the file's own name without the folder, else `<task name>.<ext>`. */
export function originalFileName(ctx: NameContext): string {
  const given = lastSegment(ctx.tags.file_name ?? '');
  return given !== '' ? given : `${taskBaseName(ctx)}.${ctx.originalExtension}`;
}

export function taskBaseName(ctx: NameContext): string {
  const name = lastSegment(ctx.tags.task_name || ctx.tags.file_name || ctx.taskId);
  return name.replace(INPUT_EXTENSION, '') || ctx.taskId;
}

function text(value: unknown): string {
  if (value === null || value === undefined || Array.isArray(value) || typeof value === 'object') return '';
  return String(value);
}

function placeholderValue(key: string, ctx: NameContext, doc: ExportDocument | null): string {
  if (key.startsWith('tag.')) return text(Object.hasOwn(ctx.tags, key.slice(4)) ? ctx.tags[key.slice(4)] : '');
  if (key.startsWith('field.')) return doc && Object.hasOwn(doc.fields, key.slice(6)) ? text(doc.fields[key.slice(6)]) : '';
  switch (key) {
    case 'task_name': return taskBaseName(ctx);
    case 'task_id': return ctx.taskId;
    case 'file_name': return originalFileName(ctx);
    case 'file_stem': return originalFileName(ctx).replace(/\.[^.]*$/, '');
    case 'document_index': return doc ? String(doc.index) : '';
    case 'document_number': return doc ? String(doc.index + 1) : '';
    case 'document_type': return doc ? (doc.document_type ?? 'unknown') : '';
    default: return '';
  }
}

/** The template with its placeholders filled in and the result sanitised. */
export function renderName(template: string, ctx: NameContext, doc: ExportDocument | null): string {
  const raw = template.replace(PLACEHOLDER, (_m, key: string) => placeholderValue(key.trim(), ctx, doc));
  return sanitizeFileName(raw, ctx.taskId);
}

/** Hands out names that are unique within one task's outputs, case-insensitively. */
export class NameAllocator {
  readonly #taken = new Set<string>();

  allocate(name: string): string {
    const unique = uniqueFileName(name, this.#taken);
    this.#taken.add(unique.toLowerCase());
    return unique;
  }
}
