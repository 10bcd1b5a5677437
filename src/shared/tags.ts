/**
 * @module `X-Aluma-Tags` parsing (docs/architecture.md#http-api), in `src/shared` because the
 * File System Agent writes the header the API reads with it. Aluma integrations send tags such as
 * `task_name=AB3947853&file_name=00001.pdf&file_path=C:\inbox`. The rules are chosen
 * so that real file names survive: a valid `%XX` escape is decoded, any other `%` is
 * kept (a file may be called `100% paid.pdf`), and backslashes are never touched.
 */

const KEY = /^[A-Za-z0-9_.-]+$/;
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

export type Tags = Record<string, string>;

export type TagsResult = { ok: true; tags: Tags } | { ok: false; bad: string; reason: string };

/** Decodes runs of valid escapes as UTF-8; a run that is not valid UTF-8 is kept as given. */
function decode(text: string): string {
  return text.replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

export function parseTags(header: string | undefined): TagsResult {
  const tags: Tags = Object.create(null) as Tags;
  if (header === undefined || header.trim() === '') return { ok: true, tags: {} };
  for (const pair of header.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) return { ok: false, bad: pair, reason: `tag "${pair}" has no "="` };
    const key = decode(pair.slice(0, eq));
    if (!KEY.test(key)) return { ok: false, bad: pair, reason: `tag key "${key}" must match [A-Za-z0-9_.-]+` };
    tags[key] = decode(pair.slice(eq + 1));
  }
  return { ok: true, tags: { ...tags } };
}

/** The task's display name: `task_name`, else `file_name`, else its id. */
export function taskName(tags: Tags, id: string): string {
  return tags.task_name || tags.file_name || id;
}
