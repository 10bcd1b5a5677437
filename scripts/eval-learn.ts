/**
 * @module `npm run eval -- <folder> --learn-from dev [--split test|dev] [--folds k] [--dump <file>] [--cache <dir>] [--verbose]`:
 * vendor memory measured (docs/eval.md "Learning"). The documents of the `dev` half teach
 * an in-memory vendor memory from their labels, through the same path as `docket learn`
 * (capture up to extraction, then `learnDocument`); each document of the `test` half is
 * then captured once up to extraction and scored twice: cold (the memory stage skipped)
 * and after learning. `--split dev` measures on the dev half alone, as validation would
 * teach it: each document is scored with what the documents before it taught, then teaches
 * (the mode to tune on; `--verbose` prints each dev document, never a test one). `--folds k` cross-validates within dev:
 * each fold scored with a fresh memory the other folds taught; `--dump` writes each document's field outcomes
 * (scripts/eval-calibration.ts reads them). Prints F1 per field, the automation rate, the error among the
 * fields of documents that went straight to export, the reliability table and ECE cold and
 * after learning (confidences calibrated by what was learned), the learned calibration
 * (eval-set.ts `learnedCalibration`) and the time learning took. Learning reads the document
 * as captured with memory, as a validation would. `stages` honours `--ignore-embedded`.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DocumentResult } from '../src/core/capture.ts';
import { inMemoryVendorStore } from '../src/core/memory/in-memory-store.ts';
import { pagesInMemory } from '../src/core/page-set.ts';
import { captureSettings, type Project } from '../src/core/project.ts';
import { labelFields } from '../src/cli/learn.ts';
import { learnDocument } from '../src/pipeline/capture/memory-learn.ts';
import { createEngines } from '../src/pipeline/engines.ts';
import { knownVendor } from '../src/pipeline/capture/memory-stage.ts';
import { captureStages } from '../src/pipeline/stages.ts';
import { DEFAULT_LIMITS, type Engines, type PipelineContext, type Stage } from '../src/pipeline/types.ts';
import { createFsBlobStore } from '../src/store/blob-fs.ts';
import { cachedPages, cachePages, calibrationReport, DOCUMENT, halfOf, learnedCalibration, pagesKey } from './eval-set.ts';
import { retrainOption, type RetrainRun } from './eval-retrain.ts';

import { ALIASES, addDocument, kindOf, newEvaluation, report, same, SCORED, type Evaluation } from './eval-compare.ts';

/** Fields of documents that went straight to export, and the wrong ones among them. */
interface Straight { documents: number; fields: number; wrong: number }

function addStraight(s: Straight, truth: Record<string, unknown>, doc: DocumentResult | undefined, needsValidation: boolean): void {
  if (needsValidation || !doc) return;
  s.documents++;
  for (const [key, value] of Object.entries(truth)) {
    if (!SCORED.has(key) || value === null || value === '') continue;
    const field = doc.fields.find((f) => (ALIASES[key] ?? [key]).includes(f.name));
    s.fields++;
    if (!same(kindOf(key), field?.value ?? null, value, key)) s.wrong++;
  }
}

interface Scored { ev: Evaluation; straight: Straight }
const scored = (): Scored => ({ ev: newEvaluation(), straight: { documents: 0, fields: 0, wrong: 0 } });

function summary(name: string, s: Scored): string {
  const w = s.straight;
  return `== ${name}\n${report(s.ev)}\nstraight to export: ${w.documents}/${s.ev.documents}; wrong among their fields: ${w.fields === 0 ? 'n/a' : `${((100 * w.wrong) / w.fields).toFixed(1)} %`} (${w.wrong}/${w.fields})`;
}

async function pagesOf(ctx: PipelineContext, file: string, project: Project, cache: string | undefined, stage: { run(c: PipelineContext): Promise<void> }): Promise<void> {
  const key = cache === undefined ? '' : await pagesKey(file, captureSettings(project).ocr);
  const pages = cache === undefined ? null : await cachedPages(cache, key);
  if (pages) {
    Object.assign(ctx, { pages: pagesInMemory(pages), pageCount: pages.length });
    ctx.result.pages = pages.map((p) => ({ index: p.index, width: p.width, height: p.height, source: p.source }));
    return;
  }
  await stage.run(ctx);
  if (cache !== undefined) await cachePages(cache, key, await ctx.pages.range(0, ctx.pages.count - 1));
}

/** What `--dump` writes per document and phase: each labelled field's confidences, threshold, review and rightness (for analysis of calibration choices). */
function dumpLine(file: string, phase: string, truth: Record<string, unknown>, doc: DocumentResult | undefined, needsValidation: boolean): string {
  const fields = Object.entries(truth).filter(([key, value]) => SCORED.has(key) && value !== null && value !== '').map(([key, value]) => {
    const f = doc?.fields.find((x) => (ALIASES[key] ?? [key]).includes(x.name));
    return { key, raw: f?.raw_confidence ?? f?.confidence ?? null, confidence: f?.confidence ?? null, threshold: f?.review_threshold ?? null, review: f ? f.needs_confirmation || !f.valid : true, found: f !== undefined && f.value !== null, ok: same(kindOf(key), f?.value ?? null, value, key) };
  });
  return JSON.stringify({ file: basename(file), phase, type: doc?.document_type ?? null, known: doc ? knownVendor(doc) : false, straight: !needsValidation, fields });
}

/** The fold of a dev document for `--folds k` (the second byte of its name's SHA-256, so it is independent of the dev/test half). */
export function foldOf(file: string, folds: number): number {
  return (createHash('sha256').update(basename(file)).digest()[1] as number) % folds;
}

export async function evalLearning(folder: string, given: Project, options: { split: 'dev' | 'test'; cache?: string; verbose: boolean; retrain?: RetrainRun; folds?: number; dump?: string }, stages: readonly Stage[] = captureStages()): Promise<void> {
  // --retrain (eval-retrain.ts): the project is `scorer: learned`, what dev teaches retrains it, each document is captured with the version current then.
  const { project, scorer } = retrainOption(given, options.retrain);
  const names = (await readdir(folder)).filter((n) => DOCUMENT.test(n)).sort();
  const docs: { file: string; truth: Record<string, unknown>; half: 'dev' | 'test' }[] = [];
  for (const n of names) {
    try {
      const label = JSON.parse(await readFile(join(folder, n.replace(DOCUMENT, '.gt.json')), 'utf8')) as unknown;
      docs.push({ file: join(folder, n), truth: (Array.isArray(label) ? label[0] : label) as Record<string, unknown>, half: halfOf(n) });
    } catch {
      // A document without a readable label is not part of the labelled set.
    }
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'docket-eval-learn-'));
  const engines: Engines = await createEngines();
  const blobs = createFsBlobStore(dataDir);
  let memory = inMemoryVendorStore();
  let target = { store: memory, accountId: 'eval', projectId: 'eval', ...(scorer ? { scorer: scorer.learner } : {}) };
  const dumped: string[] = [];
  const upToMemory = stages.slice(0, stages.findIndex((s) => s.name === 'memory'));
  const after = stages.slice(stages.findIndex((s) => s.name === 'memory') + 1);
  const memoryStage = stages.find((s) => s.name === 'memory') as (typeof stages)[number];
  const cold = scored();
  const warm = scored();
  const learnMs: number[] = [];
  const started = performance.now();
  try {
    if (options.folds !== undefined) {
      // --folds k (dev only): for each fold a fresh memory learns from the other folds' dev documents, then the fold is scored with it.
      for (let k = 0; k < options.folds; k++) {
        memory = inMemoryVendorStore();
        target = { ...target, store: memory };
        for (const [i, doc] of docs.entries()) if (doc.half === 'dev' && foldOf(doc.file, options.folds) !== k) await learnOrScore(doc, i, 'learn');
        for (const [i, doc] of docs.entries()) if (doc.half === 'dev' && foldOf(doc.file, options.folds) === k) await learnOrScore(doc, i, 'score');
      }
    } else {
      for (const [i, doc] of docs.entries()) {
        if (options.split === 'test' && doc.half === 'test') continue;
        if (options.split === 'dev' && doc.half !== 'dev') continue;
        await learnOrScore(doc, i, doc.half === 'dev' && options.split === 'test' ? 'learn' : options.split === 'dev' ? 'both' : 'score');
      }
      if (scorer) await scorer.settle();
      if (options.split === 'test') for (const [i, doc] of docs.entries()) if (doc.half === 'test') await learnOrScore(doc, i, 'score');
    }
    if (options.dump !== undefined) await writeFile(options.dump, dumped.map((l) => `${l}\n`).join(''));
  } finally {
    await engines.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  async function learnOrScore(doc: (typeof docs)[number], i: number, mode: 'learn' | 'score' | 'both'): Promise<void> {
    const ctx: PipelineContext = {
      taskId: `evallearn${String(i).padStart(13, '0')}`, project: scorer ? await scorer.resolve() : project, tags: {}, blobs, fileKey: doc.file, filePath: doc.file, fileType: null, pageCount: 0,
      pages: pagesInMemory([]), result: { pages: [], documents: [], actions: [], needs_validation: false }, outputs: [], limits: DEFAULT_LIMITS, engines, signal: new AbortController().signal,
    };
    for (const stage of upToMemory) await (stage.name === 'pages' ? pagesOf(ctx, doc.file, project, options.cache, stage) : stage.run(ctx));
    const extracted = structuredClone(ctx.result);
    if (mode !== 'learn') {
      for (const stage of after) await stage.run(ctx);
      addDocument(cold.ev, doc.truth, ctx.result.documents[0], ctx.result.needs_validation);
      addStraight(cold.straight, doc.truth, ctx.result.documents[0], ctx.result.needs_validation);
      if (options.dump !== undefined) dumped.push(dumpLine(doc.file, 'cold', doc.truth, ctx.result.documents[0], ctx.result.needs_validation));
      ctx.result = structuredClone(extracted);
    }
    // Warm: the memory stage and the review decision with what was learned, as a live project captures.
    ctx.memory = { ...target };
    for (const stage of [memoryStage, ...after]) await stage.run(ctx);
    if (options.dump !== undefined) dumped.push(dumpLine(doc.file, mode === 'learn' ? 'learned' : 'warm', doc.truth, ctx.result.documents[0], ctx.result.needs_validation));
    if (mode !== 'learn') {
      const notes = addDocument(warm.ev, doc.truth, ctx.result.documents[0], ctx.result.needs_validation);
      addStraight(warm.straight, doc.truth, ctx.result.documents[0], ctx.result.needs_validation);
      if (options.verbose && doc.half === 'dev') console.log(`${basename(doc.file)}: ${ctx.result.needs_validation ? 'review' : 'straight'}; ${(ctx.result.documents[0]?.fields ?? []).map((f) => `${f.name} ${f.confidence.toFixed(2)}${f.needs_confirmation ? '?' : ''}`).join(', ')};  ${(ctx.result.documents[0]?.notes ?? []).filter((n) => n.startsWith('vendor memory')).join(' ')}${notes.length ? `\n  ${notes.join('\n  ')}` : ''}`);
    }
    if (mode === 'score') return;
    // A validation teaches from the document as captured (memory and calibration applied) and its right values.
    const first = ctx.result.documents[0];
    const type = captureSettings(project).document_types.find((t) => t.name === first?.document_type);
    if (!first || !type) return;
    const pages = await ctx.pages.range(first.pages[0], first.pages[1]);
    const t = performance.now();
    await learnDocument(target, project, first, pages, labelFields(doc.truth, type.fields.map((f) => f.name)), i);
    learnMs.push(performance.now() - t);
  }

  const sorted = [...learnMs].sort((a, b) => a - b);
  const vendors = (await memory.load('eval')).vendors.length;
  const how = options.folds !== undefined ? ` in ${options.folds} folds (each fold with what the other folds taught)` : options.split === 'dev' ? ' (each document with what the ones before it taught)' : '';
  console.log(`project: ${project.name}; folder: ${folder}; learned from ${learnMs.length} dev documents (${vendors} vendors${options.folds !== undefined ? ' in the last fold' : ''}), scored the ${options.split} half${how} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`learning one document: median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`);
  if (scorer) console.log(await scorer.report());
  console.log(summary('cold (nothing learned)', cold));
  if (cold.ev.outcomes.size > 0) console.log(calibrationReport(cold.ev.outcomes));
  console.log(summary('after learning from dev', warm));
  if (warm.ev.outcomes.size > 0) console.log(calibrationReport(warm.ev.outcomes));
  console.log(learnedCalibration(memory.raw.get('eval'), project.validation.max_field_error));
}
