/**
 * @module The import-direction rule of DESIGN §6, run by `npm run lint`: core imports
 * only core (and no I/O modules); pipeline, store, worker, api and agent import core
 * and themselves; only cli wires them together; src/shared (small pure helpers every
 * part may use) imports nothing outside itself, not even a package. Prints every
 * violation with its file and line, exits 1 if there is any.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/** Which top-level parts of src/ each part may import. */
const ALLOWED: Record<string, string[]> = {
  shared: ['shared'],
  core: ['core', 'shared'],
  pipeline: ['core', 'pipeline', 'shared'],
  store: ['core', 'store', 'shared'],
  worker: ['core', 'worker', 'shared'],
  api: ['core', 'api', 'shared'],
  agent: ['core', 'agent', 'shared'],
  cli: ['core', 'pipeline', 'store', 'worker', 'api', 'agent', 'cli', 'shared'],
};

/** Modules that do I/O, which pure core must not import. */
const CORE_FORBIDDEN = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|dns|worker_threads|cluster|sqlite|tls)$/;

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

const problems: string[] = [];
for (const file of await files(SRC)) {
  const part = relative(SRC, file).split('/')[0] as string;
  const allowed = ALLOWED[part];
  if (!allowed) {
    problems.push(`${relative(ROOT, file)}: src/${part} is not a known part (add it to scripts/check-imports.ts)`);
    continue;
  }
  const text = await readFile(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    const line = text.slice(0, m.index).split('\n').length;
    const where = `${relative(ROOT, file)}:${line}`;
    if (spec.startsWith('.')) {
      const target = relative(SRC, resolve(dirname(file), spec));
      const targetPart = target.split('/')[0] as string;
      if (target.startsWith('..')) problems.push(`${where}: imports ${spec}, outside src/`);
      else if (!allowed.includes(targetPart)) problems.push(`${where}: src/${part} must not import src/${targetPart} (${spec})`);
    } else if (part === 'shared') {
      problems.push(`${where}: src/shared is dependency-free and must not import ${spec}`);
    } else if (part === 'core' && CORE_FORBIDDEN.test(spec)) {
      problems.push(`${where}: src/core is pure and must not import ${spec}`);
    }
  }
}

if (problems.length > 0) {
  process.stderr.write(`import-direction violations (DESIGN §6):\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write('imports: every part depends only on what DESIGN §6 allows\n');
