/**
 * @module The Validation and Export Specifications (docs/architecture.md#http-api) that Start Client
 * Action answers with, built from the task, its stored capture result and its files.
 * URLs are absolute, built from the service's public URL (public-url.ts), never from
 * what a client put in its Host header.
 */
import type { CaptureResult } from '../core/capture.ts';
import { documentTypeSchemas, type Project } from '../core/project.ts';
import type { TaskFileRecord, TaskRecord } from '../core/records.ts';
import { iso, taskJson } from './task-json.ts';

function fileJson(base: string, task: TaskRecord, f: TaskFileRecord) {
  return { id: f.id, file_name: f.file_name, content_type: f.content_type, size: f.size, document_index: f.document_index, url: `${base}/tasks/${task.id}/files/${f.id}` };
}

export function pageImageId(index: number): string {
  return `page-${index}`;
}

export function exportSpecification(base: string, task: TaskRecord, result: CaptureResult, files: TaskFileRecord[]) {
  return {
    task: taskJson(task),
    lease_expires_at: iso(task.lease_expires_at),
    documents: result.documents.map((d) => ({
      index: d.index,
      document_type: d.document_type,
      pages: d.pages,
      fields: Object.fromEntries(d.fields.map((f) => [f.name, f.value])),
      files: files.filter((f) => f.document_index === d.index).map((f) => fileJson(base, task, f)),
    })),
    files: files.map((f) => fileJson(base, task, f)),
  };
}

export function validationSpecification(base: string, task: TaskRecord, project: Project, result: CaptureResult) {
  return {
    task: taskJson(task),
    lease_expires_at: iso(task.lease_expires_at),
    pages: result.pages.map((p) => ({
      index: p.index, width: p.width, height: p.height, source: p.source,
      image_url: `${base}/tasks/${task.id}/files/${pageImageId(p.index)}`,
    })),
    document_types: documentTypeSchemas(project),
    documents: result.documents,
    actions: result.actions,
  };
}
