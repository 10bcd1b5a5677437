/**
 * @module The README walkthrough (token → project → task → wait → Export
 * Specification → download → complete) written against a TypeScript client
 * generated from `/openapi.json`: openapi-typescript's `paths` (`schema.d.ts`,
 * written beside this file by generated-client.test.ts, not committed) and
 * openapi-fetch. It is type-checked with the generated types before it runs, so
 * a document that a generator cannot turn into a usable client fails the test.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

type Task = components['schemas']['Task'];
type ExportSpecification = components['schemas']['ExportSpecification'];

export interface WalkthroughInput {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  file: Uint8Array;
}

export interface WalkthroughResult {
  created: Task;
  spec: ExportSpecification;
  downloads: { file_name: string; bytes: Uint8Array; sha256: string | null }[];
  completed: Task;
}

function must<T>(data: T | undefined, error: unknown, what: string): T {
  if (data === undefined) throw new Error(`${what}: ${JSON.stringify(error)}`);
  return data;
}

export async function walkthrough(input: WalkthroughInput): Promise<WalkthroughResult> {
  // 1. A token (OAuth 2.0 client credentials).
  const anonymous = createClient<paths>({ baseUrl: input.baseUrl });
  const token = await anonymous.POST('/oauth/token', { body: { client_id: input.clientId, client_secret: input.clientSecret, grant_type: 'client_credentials' } });
  const { access_token } = must(token.data, token.error, 'token');
  const api = createClient<paths>({ baseUrl: input.baseUrl, headers: { authorization: `Bearer ${access_token}` } });

  // 2. A project that exports without review, sent as YAML.
  const yaml = `name: Generated client ${Date.now()}\nvalidation: { mode: never }\n`;
  const project = await api.POST('/projects', { body: yaml, bodySerializer: (body) => body, headers: { 'content-type': 'application/yaml' } });
  const projectId = must(project.data, project.error, 'project').id;

  // 3. A task: the body is the file itself.
  const upload = await api.POST('/tasks', {
    params: { query: { project_id: projectId }, header: { 'x-aluma-tags': 'task_name=AB3947853&file_name=00001.pdf' } },
    body: new Blob([new Uint8Array(input.file)]),
    bodySerializer: (body) => body,
    headers: { 'content-type': 'application/pdf' },
  });
  const created = must(upload.data, upload.error, 'upload');

  // 4. Wait until it waits for the export.
  let task: Task = created;
  const until = Date.now() + 60_000;
  while (task.state !== 'pending:start_client_action') {
    if (task.state === 'failed' || Date.now() > until) throw new Error(`the task did not become ready: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 50));
    const got = await api.GET('/tasks/{id}', { params: { path: { id: created.id } } });
    task = must(got.data, got.error, 'get task');
  }

  // 5. Start the export: its specification lists the files; download each.
  const started = await api.POST('/tasks/{id}/start_client_action', { params: { path: { id: task.id }, query: { action: 'export' } } });
  const answer = must(started.data, started.error, 'start');
  if (!('files' in answer)) throw new Error('start_client_action?action=export answered a Validation Specification');
  const spec: ExportSpecification = answer;
  const downloads: WalkthroughResult['downloads'] = [];
  for (const file of spec.files) {
    const got = await api.GET('/tasks/{id}/files/{fileId}', { params: { path: { id: task.id, fileId: file.id } }, parseAs: 'arrayBuffer' });
    const bytes = new Uint8Array(must(got.data, got.error, `download ${file.file_name}`));
    downloads.push({ file_name: file.file_name, bytes, sha256: got.response.headers.get('x-content-sha256') });
  }

  // 6. Complete it: the task is completed and its files are deleted.
  const done = await api.POST('/tasks/{id}/complete_client_action', { params: { path: { id: task.id }, query: { action: 'export' } } });
  return { created, spec, downloads, completed: must(done.data, done.error, 'complete') };
}
