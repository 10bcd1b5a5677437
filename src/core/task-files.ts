/**
 * @module Where every file of a task is kept in the blob store: the one module that
 * spells a task file's key. Two roots, both named by task id:
 *
 * - `uploads/<id>`: the original as uploaded. One flat folder, so an upload makes no
 *   folder of its own (a mkdir per upload was ~3 % of the API's CPU at 400 uploads/s,
 *   bench/ingest).
 * - `tasks/<id>/…`: everything derived from it. Every key below is built from
 *   `taskPrefix`, so deleting that prefix and the upload (`taskBlobRoots`, used by
 *   the purge) removes every file a task ever had, including files added later.
 *   Tasks created before uploads had their own folder keep the original at
 *   `tasks/<id>/original`, which the prefix covers.
 */

export const TASKS_FOLDER = 'tasks';
export const UPLOADS_FOLDER = 'uploads';

/** Where an upload's original file is kept. */
export function uploadKey(taskId: string): string {
  return `${UPLOADS_FOLDER}/${taskId}`;
}

/** The folder of a task's derived data: every key below starts with it. */
export function taskPrefix(taskId: string): string {
  return `${TASKS_FOLDER}/${taskId}`;
}

/** What the purge deletes: the upload and the task's folder. Nothing of a task lives elsewhere. */
export function taskBlobRoots(taskId: string): { upload: string; prefix: string } {
  return { upload: uploadKey(taskId), prefix: taskPrefix(taskId) };
}

/** The capture result (`CaptureResult` as JSON), kept between the capture and finish phases. */
export function resultKey(taskId: string): string {
  return `${taskPrefix(taskId)}/result.json`;
}

/** A person's Validation Results as submitted, until the worker's finish phase applies them. */
export function correctionsKey(taskId: string): string {
  return `${taskPrefix(taskId)}/corrections.json`;
}

/** The pages stage's spool: each page as one JSON line (core/page-set.ts). */
export function pageLinesKey(taskId: string): string {
  return `${taskPrefix(taskId)}/pages.jsonl`;
}

/** `[offset, length]` of each page's line in the spool, by page index. */
export function pageIndexKey(taskId: string): string {
  return `${taskPrefix(taskId)}/pages.index.json`;
}

/** Tasks processed before pages were stored one per line kept them in one array here. */
export function legacyPagesKey(taskId: string): string {
  return `${taskPrefix(taskId)}/pages.json`;
}

/** A page rendered for people (the portal), on first request. */
export function pageImageKey(taskId: string, pageIndex: number): string {
  return `${taskPrefix(taskId)}/page-images/${pageIndex}.png`;
}

/** The PDF rendered from a task whose body is a bare e-invoice XML, with that XML attached (pipeline/einvoice/bare-xml.ts). */
export function renderedPdfKey(taskId: string): string {
  return `${taskPrefix(taskId)}/einvoice.pdf`;
}

/** The `n`-th output built for export (numbered in build order; names live in the task's file list). */
export function outputKey(taskId: string, n: number): string {
  return `${taskPrefix(taskId)}/outputs/${n}`;
}
