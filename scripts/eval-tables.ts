/**
 * @module The line-item eval on its own, fast enough to tune with:
 * `node scripts/eval-tables.ts [folder] [--split dev|test] [--verbose] [--by-source] [--synthetic]`. It reads each
 * e-invoice PDF's pages with the real page engine (kept in a cache under the system
 * temporary folder, keyed by the file's bytes, so a second run reads no page), runs
 * only the table extraction of the demo project's `line_items` field on them, and
 * scores the rows against the lines of the PDF's own XML (eval-lines.ts). `npm run
 * eval` prints the same score after the whole pipeline. `--synthetic` scores the EN 16931
 * example lines printed in made-up issuers' layouts instead (test/capture/table-synthetic.ts
 * and table-synthetic-erp.ts), per layout, as the dev half is almost one issuer.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoProject } from '../src/core/demo-project.ts';
import { captureSettings, parseProject } from '../src/core/project.ts';
import type { Page } from '../src/core/page.ts';
import { createEngines } from '../src/pipeline/engines.ts';
import type { Engines } from '../src/pipeline/types.ts';
import { extractTable } from '../src/pipeline/capture/table.ts';
import { documentLines } from '../src/pipeline/capture/text.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';
import { addLines, lineReport, newLineScore, trueLines, type LineScore } from './eval-lines.ts';
import { halfOf } from './eval-set.ts';

const args = process.argv.slice(2);
const folder = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--split') ?? new URL('../../shared/corpus/labeled/einvoices', import.meta.url).pathname;
const split = args.includes('--split') ? args[args.indexOf('--split') + 1] : 'all';
if (split !== 'all' && split !== 'dev' && split !== 'test') {
  console.error('usage: node scripts/eval-tables.ts [folder] [--split dev|test] [--verbose] [--by-source]');
  process.exit(2);
}
const verbose = args.includes('--verbose');
// Per source (the name's prefix: intarsys, fnfe, mustang…), to see which rules serve one issuer only; on the dev half only, as test is read in aggregate.
const bySource = args.includes('--by-source');
if (bySource && split !== 'dev') {
  console.error('--by-source runs on the dev half only (--split dev): the test half is reported in aggregate');
  process.exit(2);
}
const parsed = parseProject(demoProject());
if (!parsed.ok) throw new Error('the demo project does not parse');
const settings = captureSettings(parsed.project);
const field = settings.document_types.find((t) => t.name === 'Invoice')?.fields.find((f) => f.name === 'line_items');
if (!field) throw new Error('the demo project has no Invoice line_items field');
const cacheDir = join(tmpdir(), 'docket-eval-tables');
await mkdir(cacheDir, { recursive: true });

let engines = null as Engines | null;
async function pagesOf(file: string): Promise<Page[]> {
  const key = join(cacheDir, `${createHash('sha256').update(await readFile(file)).digest('hex')}.json`);
  try {
    return JSON.parse(await readFile(key, 'utf8')) as Page[];
  } catch {
    engines ??= await createEngines();
    const pages = await engines.pages.readPages({ filePath: file, fileType: 'pdf', limits: DEFAULT_LIMITS, signal: AbortSignal.timeout(120_000) });
    const indexed = pages.map((p, i) => ({ ...p, index: i }));
    await writeFile(key, JSON.stringify(indexed));
    return indexed;
  }
}

// The synthetic multi-issuer set (test/capture/table-synthetic.ts): EN 16931 example lines printed in other issuers' layouts, scored per layout.
if (args.includes('--synthetic')) {
  const { LAYOUTS, exampleInvoices, render } = await import('../test/capture/table-synthetic.ts');
  const invoices = await exampleInvoices();
  const total = newLineScore();
  for (const layout of LAYOUTS) {
    const s = newLineScore();
    for (const { name, lines } of invoices) {
      const rows = extractTable(field, documentLines(render(lines, layout)), settings.date_order)?.rows ?? [];
      const notes = addLines(s, lines, rows);
      addLines(total, lines, rows);
      if (verbose && notes.length > 0) console.log(`${layout.name} ${name}: ${lines.length} lines, ${rows.length} rows\n  ${notes.join('\n  ')}`);
    }
    console.log(`${layout.name.padEnd(11)} ${s.documents} documents, ${s.lines} lines: ${s.right} right, ${s.matched} matched, ${s.extra} extra`);
  }
  // The ERP layouts (table-synthetic-erp.ts) add lines of their own (a free item, a credit), so each gives its truth with its pages.
  const { ERP_LAYOUTS, renderErp } = await import('../test/capture/table-synthetic-erp.ts');
  const erp = newLineScore();
  for (const layout of ERP_LAYOUTS) {
    const s = newLineScore();
    for (const { name, lines } of invoices) {
      const { pages, truth } = renderErp(lines, layout);
      const rows = extractTable(field, documentLines(pages), settings.date_order)?.rows ?? [];
      const notes = addLines(s, truth, rows);
      addLines(erp, truth, rows);
      if (verbose && notes.length > 0) console.log(`${layout.name} ${name}: ${truth.length} lines, ${rows.length} rows\n  ${notes.join('\n  ')}`);
    }
    console.log(`${layout.name.padEnd(11)} ${s.documents} documents, ${s.lines} lines: ${s.right} right, ${s.matched} matched, ${s.extra} extra`);
  }
  console.log(`first ${LAYOUTS.length} layouts:\n${lineReport(total)}\nERP layouts:\n${lineReport(erp)}`);
  process.exit(0);
}

const score = newLineScore();
const sources = new Map<string, LineScore>();
let ms = 0;
let pageCount = 0;
try {
  for (const name of (await readdir(folder)).filter((n) => n.endsWith('.pdf')).sort()) {
    const file = join(folder, name);
    if (split !== 'all' && halfOf(file) !== split) continue;
    const lines = await trueLines(file);
    if (lines === null || lines.length === 0) continue;
    const pages = await pagesOf(file);
    const started = performance.now();
    const table = extractTable(field, documentLines(pages), settings.date_order);
    ms += performance.now() - started;
    pageCount += pages.length;
    const notes = addLines(score, lines, table?.rows ?? []);
    const source = name.split('-')[0] as string;
    if (bySource) addLines(sources.get(source) ?? sources.set(source, newLineScore()).get(source) as LineScore, lines, table?.rows ?? []);
    if (verbose) console.log(`${name}: ${lines.length} lines, ${table?.rows.length ?? 0} rows${notes.length ? `\n  ${notes.join('\n  ')}` : ''}`);
  }
} finally {
  await engines?.close();
}
console.log(`folder: ${folder}${split === 'all' ? '' : ` (${split} half)`}; table extraction ${(ms / Math.max(1, pageCount)).toFixed(2)} ms/page`);
console.log(lineReport(score));
for (const [source, s] of [...sources].sort()) console.log(`${source.padEnd(9)} ${s.documents} documents, ${s.lines} lines: ${s.right} right, ${s.matched} matched, ${s.extra} extra`);
