/**
 * @module The registry of every error docket reports, with stable codes. Two kinds:
 * `PROBLEMS` are HTTP answers (RFC 7807 `type` = `/problems/<code>`); `TASK_ERRORS`
 * are the reasons a task ends `failed` (Task JSON `error.code`). Clients branch on
 * these codes, so a code is never renamed or reused; `docs/errors.md` lists them all
 * and a test keeps the two in step.
 */

export const PROBLEMS = {
  unauthorized: { status: 401, title: 'Missing or invalid credentials' },
  forbidden: { status: 403, title: 'Not allowed for this login' },
  not_found: { status: 404, title: 'No such resource' },
  invalid_request: { status: 400, title: 'The request is invalid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  empty_body: { status: 400, title: 'The request body is empty' },
  malformed_tags: { status: 400, title: 'The X-Aluma-Tags header is malformed' },
  payload_too_large: { status: 413, title: 'The upload is larger than the limit' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  request_timeout: { status: 408, title: 'The request was not received in time' },
  unsupported_media_type: { status: 415, title: 'The body has a media type this endpoint does not take' },
  wrong_state: { status: 409, title: 'The task is not in the state this call needs' },
  idempotency_conflict: { status: 409, title: 'The Idempotency-Key was used for another project' },
  invalid_results: { status: 422, title: 'The validation results are invalid' },
  invalid_project: { status: 422, title: 'The project file is invalid' },
  rate_limited: { status: 429, title: 'Too many attempts; try again later' },
  csrf_failed: { status: 403, title: 'The CSRF token is missing or does not match the session' },
  conflict: { status: 409, title: 'The resource exists already' },
  choose_account: { status: 409, title: 'The login matches users of several accounts; name one' },
  not_holder: { status: 409, title: 'The client action is held by another caller' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'The service is shutting down or not ready' },
  insufficient_storage: { status: 507, title: 'The server has no room to store the request' },
  database_unavailable: { status: 503, title: 'The database cannot be reached; retry later' },
  gone: { status: 410, title: 'The resource was deleted for good' },
  invalid_sample: { status: 422, title: 'The sample is invalid' },
  sample_unmatched: { status: 422, title: 'The sample\'s labelled values are nowhere on its pages' },
  blob_store_unavailable: { status: 503, title: 'The blob store cannot be reached; retry later' },
  no_scorer_version: { status: 409, title: 'The project uses no retrained scorer version' },
  nothing_learned: { status: 422, title: 'The project has learned nothing to retrain from' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export const TASK_ERRORS = {
  unsupported_file_type: 'The file is not a PDF, TIFF, JPEG, PNG or e-invoice XML',
  corrupt_file: 'The file is damaged and could not be read',
  encrypted_pdf: 'The PDF is encrypted with a password',
  too_many_pages: 'The file has more pages than the limit',
  page_too_large: 'A page has more pixels than the limit',
  page_timeout: 'A page took longer than the time limit to process',
  worker_lost: 'The worker processing the task stopped too many times',
  processing_error: 'Processing failed unexpectedly',
  client_failed: 'A client failed the client action',
  invalid_project: 'The project version of the task is invalid',
  einvoice_incomplete: 'A document exported as an e-invoice lacks a mandatory EN 16931 business term',
  invalid_einvoice: 'The file is XML but not a CII or UBL 2.1 invoice that can be read safely',
  rejected: 'A person rejected the document in validation, with a reason of the project',
  blob_store_unavailable: 'The blob store kept failing until the task ran out of attempts',
} as const;

export type TaskErrorCode = keyof typeof TASK_ERRORS;

/** An HTTP problem raised anywhere below the API and turned into problem+json there. */
export class Problem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string;
  readonly extra: Record<string, unknown>;

  constructor(code: ProblemCode, detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'Problem';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.detail = detail;
    this.extra = extra;
  }
}

/** A processing failure that ends the task `failed` with a stable reason code. */
export class TaskFailure extends Error {
  readonly code: TaskErrorCode;

  constructor(code: TaskErrorCode, message?: string) {
    super(message ?? TASK_ERRORS[code]);
    this.name = 'TaskFailure';
    this.code = code;
  }
}

export function problemType(code: ProblemCode): string {
  return `/problems/${code}`;
}
