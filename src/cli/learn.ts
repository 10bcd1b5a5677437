/**
 * @module `docket learn <folder> [--project ID|NAME] [--type T]`: teaches a project's
 * vendor memory every document of a folder laid out like the corpus (`NAME.pdf|png|jpg|tif`
 * beside `NAME.gt.json`, a JSON object of field name → value, or a list whose first object
 * is used), as `POST /projects/{id}/samples` does for one. The project defaults to the demo
 * project of the first account. Label keys that are not fields of the type are ignored,
 * except invoice2data's, which map to the demo invoice's fields (`issuer` → `supplier`,
 * `amount` → `total`, `date` → `invoice_date`, `amount_untaxed` → `subtotal`,
 * `date_due` → `due_date`). Prints one line a document and a summary.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoProject } from '../core/demo-project.ts';
import { parseProject, captureSettings } from '../core/project.ts';
import type { createSampleLearner } from '../pipeline/capture/sample.ts';
import { readConfig } from './config.ts';
import { command, CommandError } from './usage.ts';

const DOCUMENT = /\.(pdf|png|jpe?g|tiff?)$/i;
const ALIASES: Record<string, string[]> = { issuer: ['supplier', 'company'], amount: ['total'], date: ['invoice_date', 'date'], amount_untaxed: ['subtotal'], date_due: ['due_date'] };

/** A label's keys as the type's field names. */
export function labelFields(label: unknown, fieldNames: readonly string[]): Record<string, unknown> {
  const first = Array.isArray(label) ? label[0] : label;
  if (typeof first !== 'object' || first === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first as Record<string, unknown>)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const name = fieldNames.includes(key) ? key : ALIASES[key]?.find((n) => fieldNames.includes(n));
    if (name !== undefined && out[name] === undefined) out[name] = value;
  }
  return out;
}

export const learnCommand = command({
  words: ['learn'],
  summary: 'Teach a project\'s vendor memory every labelled document of a folder (NAME.pdf|png|jpg|tif beside NAME.gt.json).',
  positionals: [{ name: 'FOLDER', help: 'the folder of documents and their labels' }],
  options: {
    project: { type: 'string', value: 'ID|NAME', help: 'the project to teach (default: the demo project)' },
    type: { type: 'string', value: 'TYPE', help: 'the documents\' type (default: classified one by one)' },
  },
  run: async (v, [folder]) => learnFolder(folder as string, v.project, v.type),
});

async function learnFolder(folder: string, wanted: string | undefined, typeOption: string | undefined): Promise<number> {
  // Loaded when the command runs, so `learn --help` opens and creates nothing.
  const { openRuntime, scorerLearning } = await import('./wire.ts');
  const { createEngines } = await import('../pipeline/engines.ts');
  const { createSampleLearner } = await import('../pipeline/capture/sample.ts');
  const rt = await openRuntime(readConfig());
  const engines = await createEngines({ threads: 1, ocr: rt.config.ocr });
  try {
    const account = await rt.store.accounts.firstAccountId();
    if (!account) throw new CommandError('no account yet: run `docket serve` once (or `docket demo`) to create the first one');
    const demoName = parseProject(demoProject());
    const name = wanted ?? (demoName.ok ? demoName.project.name : '');
    const record = (await rt.store.projects.get(account, name)) ?? (await rt.store.projects.findByName(account, name));
    if (!record) throw new CommandError(`no project ${name} in account ${account}${wanted ? '' : ': run `docket demo` first'}`);
    const scorer = scorerLearning(rt);
    const learner = createSampleLearner({ blobs: rt.blobs, engines, memory: rt.store.memory, scorer, clock: rt.clock });
    const types = captureSettings(record.project).document_types;
    const type = typeOption ?? null;
    const names = (await readdir(folder)).filter((n) => DOCUMENT.test(n)).sort();
    let learned = 0;
    let nothing = 0;
    const started = performance.now();
    for (const n of names) {
      let label: unknown;
      try {
        label = JSON.parse(await readFile(join(folder, n.replace(DOCUMENT, '.gt.json')), 'utf8'));
      } catch {
        continue;
      }
      // The type's fields are known only once it is classified; every type's field names are tried, the learner drops the others.
      const fieldNames = (type === null ? types : types.filter((t) => t.name === type)).flatMap((t) => t.fields.map((f) => f.name));
      const out = await learner({ accountId: account, projectId: record.id, project: record.project, file: await readFile(join(folder, n)), type, fields: labelFields(label, fieldNames) });
      if (!out.ok && out.reason === 'unknown_fields') {
        const known = labelFields(label, types.find((t) => t.name === out.document_type)?.fields.map((f) => f.name) ?? []);
        const again = await learner({ accountId: account, projectId: record.id, project: record.project, file: await readFile(join(folder, n)), type: out.document_type, fields: known });
        report(n, again);
        if (again.ok) learned++;
        else nothing++;
        continue;
      }
      report(n, out);
      if (out.ok) learned++;
      else nothing++;
    }
    // A scorer retrain started by the last documents runs in a worker thread: it finishes before the command does.
    await scorer.learner.idle();
    const current = (await scorer.store.versions(record.id)).find((v) => v.current);
    process.stdout.write(`docket learn: ${learned} documents taught ${record.project.name} (${record.id}), ${nothing} taught nothing, in ${((performance.now() - started) / 1000).toFixed(1)} s${current ? `; scorer version ${current.version} (${current.report.reason})` : ''}\n`);
    return 0;
  } finally {
    await engines.close();
    await rt.store.close();
  }
}

function report(name: string, out: Awaited<ReturnType<ReturnType<typeof createSampleLearner>>>): void {
  if (out.ok) process.stdout.write(`${name}: ${out.document_type}, vendor ${out.learned.vendor}${out.learned.new_vendor ? ' (new)' : ''}: ${out.learned.fields.map((f) => f.name).join(', ')}${out.unmatched.length ? `; not on the pages: ${out.unmatched.join(', ')}` : ''}\n`);
  else process.stdout.write(`${name}: nothing learned (${out.reason}${out.fields.length ? `: ${out.fields.join(', ')}` : ''})\n`);
}
