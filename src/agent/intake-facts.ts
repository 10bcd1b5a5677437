/**
 * @module What the agent tells the server about a file (docs/agent.md#intake): the
 * `X-Aluma-Tags` header, the task name, and the `Idempotency-Key`. Pure, so the
 * rules are tested without a server. The key is derived from the file itself — its
 * project, place in the inbox, size, mtime and SHA-256 — so a retry, a restart or a
 * lost journal all send the same key and the server answers with the task it already
 * created, while a new file dropped later under the same name gets a new task.
 */
import { createHash } from 'node:crypto';

export interface FileFacts {
  projectId: string;
  /** The inbox folder exactly as the configuration gives it (`C:\inbox`). */
  folder: string;
  /** Path below the folder with `/` separators (`sub/scan.pdf`). */
  relativePath: string;
  size: number;
  mtimeMs: number;
  /** Creation time when the filesystem records one, else the mtime. */
  createdMs: number;
  sha256: string;
}

export function idempotencyKey(f: FileFacts): string {
  const parts = ['docket-agent/1', f.projectId, f.relativePath, String(f.size), String(Math.round(f.mtimeMs)), f.sha256];
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/** The folder's own separator style: a Windows folder keeps its backslashes. */
function separatorOf(folder: string): '\\' | '/' {
  const windows = /^[A-Za-z]:/.test(folder) || folder.startsWith('\\\\') || (folder.includes('\\') && !folder.includes('/'));
  return windows ? '\\' : '/';
}

/** `file_path`: the folder holding the file, as given, with any subfolders appended. */
export function filePathTag(folder: string, relativePath: string): string {
  const dirs = relativePath.split('/').slice(0, -1);
  if (dirs.length === 0) return folder;
  const sep = separatorOf(folder);
  return [folder.replace(/[\\/]+$/, ''), ...dirs].join(sep);
}

export function fileName(relativePath: string): string {
  return relativePath.split('/').pop() ?? relativePath;
}

/**
 * The `task_name` template: `{file_name}` (the default), `{file_stem}`, `{file_ext}`,
 * `{relative_path}`, `{folder_name}` (the file's own folder) and `{created_date}`.
 */
export function renderTaskName(template: string, f: FileFacts): string {
  const name = fileName(f.relativePath);
  const dot = name.lastIndexOf('.');
  const dirs = f.relativePath.split('/').slice(0, -1);
  const values: Record<string, string> = {
    file_name: name,
    file_stem: dot > 0 ? name.slice(0, dot) : name,
    file_ext: dot > 0 ? name.slice(dot + 1) : '',
    relative_path: f.relativePath,
    folder_name: dirs.at(-1) ?? f.folder.split(/[\\/]/).filter(Boolean).at(-1) ?? '',
    created_date: isoSeconds(f.createdMs).slice(0, 10),
  };
  const out = template.replace(/\{([a-z_]+)\}/g, (m, key: string) => (Object.hasOwn(values, key) ? (values[key] as string) : m));
  return out.trim() === '' ? name : out;
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * One tag value as `X-Aluma-Tags` carries it. `%`, `&`, `=` and `+` are escaped so the
 * server reads back exactly the given text; so is anything outside printable ASCII,
 * since HTTP header values are bytes (RFC 9110 §5.5). Backslashes stay (src/shared/tags.ts).
 */
export function encodeTagValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x20 || code > 0x7e || ch === '%' || ch === '&' || ch === '=' || ch === '+') {
      for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    } else out += ch;
  }
  return out;
}

export function formatTags(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags).map(([k, v]) => `${k}=${encodeTagValue(v)}`).join('&');
}

export function intakeTags(f: FileFacts, taskNameTemplate: string): Record<string, string> {
  return {
    task_name: renderTaskName(taskNameTemplate, f),
    file_name: fileName(f.relativePath),
    file_path: filePathTag(f.folder, f.relativePath),
    file_created_time: isoSeconds(f.createdMs),
  };
}
