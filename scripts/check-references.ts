/**
 * @module Run by `npm run lint`: the repository stands alone, so no comment or page
 * may point into a document it does not hold — a design section ("DESIGN" followed
 * by a section sign) or a numbered issue of a tracker. Cite a section of
 * `docs/architecture.md` or another file of the repository instead. Prints every
 * such reference with its file and line, exits 1 if there is any.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIRS = ['src', 'test', 'scripts', 'bench', 'web', 'docs', '.ci'];
const FILES = ['README.md', 'package.json'];
const SKIP = new Set(['node_modules', 'dist']);
const TEXT = /\.(ts|tsx|js|mjs|md|json|yaml|yml|html|css|sh)$|^run$/;

/** A design section, the design file, or a numbered issue: pointers to documents outside the repository. */
const EXTERNAL = new RegExp(['\\bDESIGN\\s*§', '\\bDESIGN\\.md\\b', '\\b[Ii]ssues?\\s+#?\\d'].join('|'), 'g');

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !SKIP.has(e.name)) out.push(...(await files(p)));
    else if (e.isFile() && TEXT.test(e.name)) out.push(p);
  }
  return out;
}

/** Every pointer outside the repository, as `file:line: text`. */
export async function externalReferences(): Promise<string[]> {
  const all = [...(await Promise.all(DIRS.map((d) => files(join(ROOT, d))))).flat(), ...FILES.map((f) => join(ROOT, f))];
  const found: string[] = [];
  for (const file of all) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const m of text.matchAll(EXTERNAL)) {
      const line = text.slice(0, m.index).split('\n').length;
      found.push(`${relative(ROOT, file)}:${line}: ${m[0]}`);
    }
  }
  return found;
}

if (import.meta.main) {
  const found = await externalReferences();
  if (found.length > 0) {
    process.stderr.write(`references to documents outside the repository (cite docs/architecture.md or another repo file):\n  ${found.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write('references: every document cited is in the repository\n');
}
