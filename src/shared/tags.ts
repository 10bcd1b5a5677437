/**
 * @module `X-Aluma-Tags` parsing (docs/architecture.md#http-api), in `src/shared` because the
 * File System Agent writes the header the API reads with it. Aluma integrations send tags such as
 * `task_name=AB3947853&file_name=00001.pdf&file_path=C:\inbox`. The header is read as an
 * HTML form body (`application/x-www-form-urlencoded`, which clients that form-encode send):
 * `+` is a space and `%XX` escapes are UTF-8 bytes. Backslashes are never touched, so Windows
 * paths survive. What cannot be read one way only is refused, naming the pair, rather than
 * guessed at: a `%` not followed by two hex digits (send `100% paid.pdf` as `100%25%20paid.pdf`),
 * escapes that are not UTF-8, a pair with no `=`, a key outside `[A-Za-z0-9_.-]`, and a key
 * given twice (which of the two a client meant is unknowable).
 */

const KEY = /^[A-Za-z0-9_.-]+$/;
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;
/** A `%` that does not start a two-hex-digit escape. */
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

export type Tags = Record<string, string>;

export type TagsResult = { ok: true; tags: Tags } | { ok: false; bad: string; reason: string };

/** Form decoding of one key or value: `+` is a space, runs of escapes are UTF-8; the reason when that cannot be done. */
function decode(text: string): { ok: true; text: string } | { ok: false; reason: string } {
  const bad = BAD_ESCAPE.exec(text);
  if (bad) return { ok: false, reason: `"${text.slice(bad.index, bad.index + 3)}" is not a %XX escape (write % as %25)` };
  let reason = '';
  const out = text.replaceAll('+', ' ').replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      reason = `the escapes "${run}" are not UTF-8`;
      return run;
    }
  });
  return reason === '' ? { ok: true, text: out } : { ok: false, reason };
}

export function parseTags(header: string | undefined): TagsResult {
  const tags: Tags = Object.create(null) as Tags;
  if (header === undefined || header.trim() === '') return { ok: true, tags: {} };
  for (const pair of header.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) return { ok: false, bad: pair, reason: `tag "${pair}" has no "="` };
    const key = decode(pair.slice(0, eq));
    if (!key.ok) return { ok: false, bad: pair, reason: `tag "${pair}": ${key.reason}` };
    if (!KEY.test(key.text)) return { ok: false, bad: pair, reason: `tag key "${key.text}" must match [A-Za-z0-9_.-]+` };
    const value = decode(pair.slice(eq + 1));
    if (!value.ok) return { ok: false, bad: pair, reason: `tag "${pair}": ${value.reason}` };
    if (Object.hasOwn(tags, key.text)) return { ok: false, bad: pair, reason: `tag "${key.text}" is given twice` };
    tags[key.text] = value.text;
  }
  return { ok: true, tags: { ...tags } };
}

/** The task's display name: `task_name`, else `file_name`, else its id. */
export function taskName(tags: Tags, id: string): string {
  return tags.task_name || tags.file_name || id;
}
