/**
 * @module The import direction of docs/architecture.md#imports, run by `npm run lint`:
 * `shared` imports only itself; `core` imports itself and `shared` (and no I/O
 * module); pipeline, store, worker and api import core, shared and themselves; the
 * agent and the portal (`web/src`) are HTTP clients and import only shared and
 * themselves; only cli wires the parts together. Prints every violation with its
 * file and line, exits 1 if there is any.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const WEB = join(ROOT, 'web', 'src');

/** Which parts each part may import: the table of docs/architecture.md#imports. */
export const ALLOWED: Record<string, string[]> = {
  shared: ['shared'],
  core: ['core', 'shared'],
  pipeline: ['pipeline', 'core', 'shared'],
  store: ['store', 'core', 'shared'],
  worker: ['worker', 'core', 'shared'],
  api: ['api', 'core', 'shared'],
  agent: ['agent', 'shared'],
  cli: ['cli', 'core', 'pipeline', 'store', 'worker', 'api', 'agent', 'shared'],
  web: ['web', 'shared'],
};

/** Modules that do I/O, which pure core must not import. */
const CORE_FORBIDDEN = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|dns|worker_threads|cluster|sqlite|tls)$/;

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The part a file belongs to: `web`, or the first folder under src/; null outside both. */
function partOf(file: string): string | null {
  if (!relative(WEB, file).startsWith('..')) return 'web';
  const rel = relative(SRC, file);
  return rel.startsWith('..') ? null : (rel.split('/')[0] as string);
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every import that breaks the table, as `file:line: why`. */
export async function importViolations(): Promise<string[]> {
  const problems: string[] = [];
  for (const file of [...(await files(SRC)), ...(await files(WEB))]) {
    const part = partOf(file) as string;
    const allowed = ALLOWED[part];
    if (!allowed) {
      problems.push(`${relative(ROOT, file)}: src/${part} is not a known part (add it to scripts/check-imports.ts and docs/architecture.md#imports)`);
      continue;
    }
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      const line = text.slice(0, m.index).split('\n').length;
      const where = `${relative(ROOT, file)}:${line}`;
      if (spec.startsWith('.')) {
        const targetPart = partOf(resolve(dirname(file), spec));
        if (targetPart === null) problems.push(`${where}: imports ${spec}, outside src/ and web/src/`);
        else if (!allowed.includes(targetPart)) problems.push(`${where}: ${part} must not import ${targetPart} (${spec})`);
      } else if (part === 'core' && CORE_FORBIDDEN.test(spec)) {
        problems.push(`${where}: src/core is pure and must not import ${spec}`);
      } else if (part === 'shared') {
        problems.push(`${where}: src/shared is dependency-free and must not import ${spec}`);
      }
    }
  }
  return problems;
}

if (import.meta.main) {
  const problems = await importViolations();
  if (problems.length > 0) {
    process.stderr.write(`import-direction violations (docs/architecture.md#imports):\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write('imports: every part depends only on what docs/architecture.md#imports allows\n');
}
