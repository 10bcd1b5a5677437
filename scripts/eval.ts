/**
 * @module The accuracy harness: `npm run eval -- <folder> [--project <file>] [--split dev|test] [--cache <dir>] [--verbose] [--fit]`.
 * Runs the real capture pipeline (the engines of `createEngines`, the stages of
 * `captureStages()`) on every document of the folder that has a `.gt.json` label
 * beside it (the layout of shared/corpus/labeled/), then prints per-field
 * precision, recall and F1, the automation rate and the error rate among fields
 * accepted without review, with `--curve` their trade-off, with `--fit` the review
 * threshold each field would get from these documents, and for FUNSD-style labels
 * the key → value pairing's precision and recall (docs/eval.md). The project defaults
 * to the demo project. `--split` and `--cache`: eval-set.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoProject } from '../src/core/demo-project.ts';
import { parseProject, projectFromBundle, projectFromFile, type Project, type ProjectParse } from '../src/core/project.ts';
import { createEngines } from '../src/pipeline/engines.ts';
import { captureStages } from '../src/pipeline/stages.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../src/pipeline/types.ts';
import { createFsBlobStore } from '../src/store/blob-fs.ts';
import { addDocument, addPairs, curveReport, newEvaluation, pairsReport, report } from './eval-compare.ts';
import { fitThresholds } from '../src/core/project/thresholds.ts';
import { keyValuePairs } from '../src/pipeline/capture/pairs.ts';
import { documentLines } from '../src/pipeline/capture/text.ts';
import { pagesInMemory } from '../src/core/page-set.ts';
import { embeddedRun } from './eval-einvoice.ts';
import { evalLearning } from './eval-learn.ts';
import { addDocumentLines, lineReport, newLineScore } from './eval-lines.ts';

import { captureSettings } from '../src/core/project.ts';
import { cachedPages, calibrationReport, cachePages, labelledSet, pagesKey, parseSplit } from './eval-set.ts';

async function loadProject(file: string | undefined): Promise<Project> {
  let parsed: ProjectParse;
  if (file === undefined) parsed = parseProject(demoProject());
  else {
    const bytes = await readFile(file);
    parsed = /\.(zip|alproj)$/i.test(file) ? projectFromBundle(bytes) : projectFromFile(bytes.toString('utf8'), file);
  }
  if (!parsed.ok) {
    for (const p of parsed.problems) console.error(`${p.path || '(file)'}: ${p.message}`);
    process.exit(2);
  }
  return parsed.project;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const valued = new Set(['--project', '--split', '--cache', '--learn-from', '--folds', '--dump']);
  const folder = args.find((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''));
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const verbose = args.includes('--verbose');
  const curve = args.includes('--curve');
  const fit = args.includes('--fit');
  const split = parseSplit(option('--split'));
  const cache = option('--cache');
  // --learn-from dev: vendor memory taught by the dev half, scored cold and warm on the test half (or, --split dev, online on dev): eval-learn.ts.
  if (args.includes('--learn-from') && folder) return evalLearning(folder, await loadProject(option('--project')), { split: option('--split') === 'dev' ? 'dev' : 'test', verbose, ...(cache !== undefined ? { cache } : {}), ...(args.includes('--retrain') ? { retrain: {} } : {}), ...(option('--folds') !== undefined ? { folds: Number(option('--folds')) } : {}), ...(option('--dump') !== undefined ? { dump: option('--dump') as string } : {}) }, embeddedRun(args, captureStages()).stages);
  if (!folder || split === null) {
    console.error('usage: npm run eval -- <folder> [--project <file>] [--split dev|test] [--cache <dir>] [--learn-from dev [--retrain] [--folds k] [--dump file]] [--ignore-embedded] [--verbose] [--curve] [--fit]');
    process.exit(2);
  }
  const project = await loadProject(option('--project'));
  const ocrSettings = captureSettings(project).ocr;
  const embedded = embeddedRun(args, captureStages());
  const labelled = await labelledSet(folder, split);
  const dataDir = await mkdtemp(join(tmpdir(), 'docket-eval-'));
  const engines = await createEngines();
  const blobs = createFsBlobStore(dataDir);
  const ev = newEvaluation();
  const lines = newLineScore();
  const started = performance.now();
  try {
    for (const [i, doc] of labelled.entries()) {
      const ctx: PipelineContext = {
        taskId: `eval${String(i).padStart(18, '0')}`,
        project,
        tags: { file_name: doc.file },
        blobs,
        fileKey: doc.file,
        filePath: doc.file,
        fileType: null,
        pageCount: 0,
        pages: pagesInMemory([]),
        result: { pages: [], documents: [], actions: [], needs_validation: false },
        outputs: [],
        limits: DEFAULT_LIMITS,
        engines,
        signal: new AbortController().signal,
      };
      const key = cache === undefined ? '' : await pagesKey(doc.file, ocrSettings);
      const cached = cache === undefined ? null : await cachedPages(cache, key);
      for (const stage of embedded.stages) {
        if (stage.name === 'pages' && cached) {
          ctx.pages = pagesInMemory(cached);
          ctx.pageCount = cached.length;
          ctx.result.pages = cached.map((p) => ({ index: p.index, width: p.width, height: p.height, source: p.source }));
          continue;
        }
        await stage.run(ctx);
        if (stage.name === 'pages' && cache !== undefined) await cachePages(cache, key, await ctx.pages.range(0, ctx.pages.count - 1));
      }
      const truth = (Array.isArray(doc.truth) ? doc.truth[0] : doc.truth) as Record<string, unknown>;
      // FUNSD-style labels (`form` entities with links) score the generic key → value pairing on the whole file, whatever the type.
      const notes = Array.isArray(truth?.form) ? addPairs(ev, truth, keyValuePairs(documentLines(await ctx.pages.range(0, ctx.pages.count - 1)))) : addDocument(ev, truth ?? {}, ctx.result.documents[0], ctx.result.needs_validation);
      embedded.record(notes, ctx.result);
      await addDocumentLines(lines, doc.file, ctx.result.documents[0]);
      const held = ctx.result.needs_validation ? ctx.result.actions.map((a) => `held: ${a.field ?? ''} ${a.reason}`) : [];
      if (verbose) console.log(`${doc.file}: ${ctx.result.documents[0]?.document_type ?? 'unknown'}${[...notes, ...held].map((n) => `\n  ${n}`).join('')}`);
    }
  } finally {
    await engines.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`project: ${project.name}; folder: ${folder}${split === 'all' ? '' : ` (${split} half)`}; ${labelled.length} labelled documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (ev.pairs.documents > 0) console.log(pairsReport(ev));
  if (ev.documents > 0) console.log(report(ev));
  if (lines.documents > 0) console.log(lineReport(lines));
  if (ev.documents > 0) console.log(embedded.report());
  if (ev.outcomes.size > 0) console.log(calibrationReport(ev.outcomes));
  if (curve && ev.documents > 0) console.log(curveReport(ev));
  if (fit && ev.outcomes.size > 0) console.log(fitReport(ev.outcomes));
}

/** `--fit`: the review threshold each field would get from these documents (core/project/thresholds.ts), to put on the project's fields. */
function fitReport(outcomes: Parameters<typeof fitThresholds>[0]): string {
  const rows = ['review thresholds fitted on these documents (most confident wrong value + 0.1, rounded up to 0.05, at least 0.4; 10 values at least):', 'type.field                 confidence_threshold  accepted here  wrong'];
  for (const [key, f] of [...fitThresholds(outcomes).entries()].sort()) rows.push(`${key.padEnd(26)} ${(f.threshold === null ? 'too few' : f.threshold.toFixed(2)).padStart(20)}  ${`${f.accepted}/${f.values}`.padStart(13)}  ${f.wrong}`);
  return rows.join('\n');
}

await main();
