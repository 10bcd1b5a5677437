/**
 * @module Benchmark: what reading a PDF's e-invoice XML costs beyond the page engine
 * (docs/einvoices.md, target ≤ 10 ms per document). The public Factur-X / ZUGFeRD
 * PDFs (`labeled/einvoices`) go through the capture stages of the default
 * configuration with the demo project; per PDF, the `einvoice` stage (attachment
 * read in a page worker, parsing, mapping, checks, the page text read back) is timed
 * beside the `pages` stage of the same run, the baseline, in wall and CPU time (all
 * threads of the process). Prints medians over PDFs of each PDF's median over reps.
 *
 *   node bench/einvoice.ts [--reps 3]
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoProject } from '../src/core/demo-project.ts';
import { pagesInMemory } from '../src/core/page-set.ts';
import { parseProject, type Project } from '../src/core/project.ts';
import { createEngines } from '../src/pipeline/engines.ts';
import { captureStages } from '../src/pipeline/stages.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../src/pipeline/types.ts';
import { createFsBlobStore } from '../src/store/blob-fs.ts';
import { arg, median } from './lib.ts';

const REPS = arg('reps', 3);
const CORPUS = process.env.DOCKET_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname;
const FOLDER = join(CORPUS, 'labeled/einvoices');
if (!existsSync(FOLDER)) {
  console.log(`skipped: ${FOLDER} not found (set DOCKET_CORPUS)`);
  process.exit(0);
}

const parsed = parseProject(demoProject());
if (!parsed.ok) throw new Error('the demo project does not parse');
const project: Project = parsed.project;
const files = readdirSync(FOLDER).filter((n) => n.endsWith('.pdf')).sort().map((n) => join(FOLDER, n));
const dir = await mkdtemp(join(tmpdir(), 'docket-bench-einvoice-'));
const engines = await createEngines();
const blobs = createFsBlobStore(dir);
type Cost = { wall: number; cpu: number };
const per = new Map<string, { einvoice: Cost[]; pages: Cost[] }>();
let task = 0;
try {
  for (let rep = 0; rep < REPS; rep++) {
    for (const file of files) {
      const ctx: PipelineContext = {
        taskId: `bench${String(++task).padStart(19, '0')}`, project, tags: {}, blobs, fileKey: file, filePath: file, fileType: null, pageCount: 0,
        pages: pagesInMemory([]), result: { pages: [], documents: [], actions: [], needs_validation: false }, outputs: [], limits: DEFAULT_LIMITS, engines, signal: new AbortController().signal,
      };
      const row = per.get(file) ?? { einvoice: [], pages: [] };
      per.set(file, row);
      for (const stage of captureStages()) {
        const wall = performance.now();
        const cpu = process.cpuUsage();
        await stage.run(ctx);
        const used = process.cpuUsage(cpu);
        const cost = { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
        if (stage.name === 'einvoice') row.einvoice.push(cost);
        if (stage.name === 'pages') row.pages.push(cost);
      }
    }
  }
} finally {
  await engines.close();
  await rm(dir, { recursive: true, force: true });
}

const of = (key: 'einvoice' | 'pages', unit: keyof Cost) => median([...per.values()].map((r) => median(r[key].map((c) => c[unit]))));
const e = { wall: of('einvoice', 'wall'), cpu: of('einvoice', 'cpu') };
const p = { wall: of('pages', 'wall'), cpu: of('pages', 'cpu') };
console.log(`${files.length} e-invoice PDFs × ${REPS} reps (default engines, demo project)`);
console.log(`einvoice stage: median ${e.wall.toFixed(1)} ms wall, ${e.cpu.toFixed(1)} ms CPU per document (target ≤ 10 ms)`);
console.log(`pages stage (baseline, same run): median ${p.wall.toFixed(1)} ms wall, ${p.cpu.toFixed(1)} ms CPU per document`);
console.log(`ratio einvoice / pages: ${(e.wall / p.wall).toFixed(3)} wall, ${(e.cpu / p.cpu).toFixed(3)} CPU`);
