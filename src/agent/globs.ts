/**
 * @module Include/exclude globs for watched folders. Patterns match a file's path
 * relative to the folder, always written with `/`, so one config serves Windows and
 * POSIX. Supported: `*` (within a segment), `**` (any number of segments), `?`,
 * `[abc]`, `{a,b}`. Matching is case-insensitive: Windows and macOS folders are, and
 * users write `*.pdf` meaning `SCAN.PDF` too.
 */

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inGroup = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        re += slashAfter ? '(?:[^/]*/)*' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (ch === '{') {
      inGroup++;
      re += '(?:';
    } else if (ch === '}' && inGroup > 0) {
      inGroup--;
      re += ')';
    } else if (ch === ',' && inGroup > 0) re += '|';
    else re += escapeRegex(ch);
  }
  return new RegExp(`^${re}$`, 'i');
}

export interface PathFilter {
  (relativePath: string): boolean;
}

/** Hidden files, Office lock files and browser/download partials are never documents. */
export const DEFAULT_EXCLUDE = ['**/.*', '**/~$*', '**/*.tmp', '**/*.part', '**/*.crdownload'];

/** True when the path matches an include (or there are none) and no exclude. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return (relativePath) => {
    const p = relativePath.replace(/\\/g, '/');
    return (inc.length === 0 || inc.some((r) => r.test(p))) && !exc.some((r) => r.test(p));
  };
}
