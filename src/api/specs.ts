/**
 * @module The Validation and Export Specifications (docs/architecture.md#http-api) that Start Client
 * Action answers with, built from the task, its stored capture result and its files.
 * URLs are absolute, built from the request's own host, so a client behind a proxy
 * (with `trustProxy`) downloads from where it called.
 */
import type { FastifyRequest } from 'fastify';
import type { CaptureResult } from '../core/capture.ts';
import { documentTypeSchemas, type Project } from '../core/project.ts';
import type { TaskFileRecord, TaskRecord } from '../core/records.ts';
import { iso, taskJson } from './task-json.ts';

export function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

function fileJson(req: FastifyRequest, task: TaskRecord, f: TaskFileRecord) {
  return { id: f.id, file_name: f.file_name, content_type: f.content_type, size: f.size, document_index: f.document_index, url: `${baseUrl(req)}/tasks/${task.id}/files/${f.id}` };
}

export function pageImageId(index: number): string {
  return `page-${index}`;
}

export function exportSpecification(req: FastifyRequest, task: TaskRecord, result: CaptureResult, files: TaskFileRecord[]) {
  return {
    task: taskJson(task),
    lease_expires_at: iso(task.lease_expires_at),
    documents: result.documents.map((d) => ({
      index: d.index,
      document_type: d.document_type,
      pages: d.pages,
      fields: Object.fromEntries(d.fields.map((f) => [f.name, f.value])),
      files: files.filter((f) => f.document_index === d.index).map((f) => fileJson(req, task, f)),
    })),
    files: files.map((f) => fileJson(req, task, f)),
  };
}

export function validationSpecification(req: FastifyRequest, task: TaskRecord, project: Project, result: CaptureResult) {
  return {
    task: taskJson(task),
    lease_expires_at: iso(task.lease_expires_at),
    pages: result.pages.map((p) => ({
      index: p.index, width: p.width, height: p.height, source: p.source,
      image_url: `${baseUrl(req)}/tasks/${task.id}/files/${pageImageId(p.index)}`,
    })),
    document_types: documentTypeSchemas(project),
    documents: result.documents,
    actions: result.actions,
  };
}
