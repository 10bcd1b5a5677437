/**
 * @module Trains the learned candidate scorer (core/scorer/model.ts) and its
 * calibration from labelled folders: `node scripts/train-scorer.ts <folder>…
 * [--split dev] [--cache <dir>] [--out <file>] [--version <v>] [--generated <n>]
 * [--examples-out <file>]`.
 *
 * Every labelled document (eval-set.ts; `dev` half by default) is read with the
 * demo project's pages and types; each scored label key gives one example per field
 * (pipeline/capture/examples.ts), right by the harness's own comparison rules
 * (eval-compare.ts). Calibration is fitted on held-out predictions: the documents
 * (`--generated n`: also n receipts and n invoices of core/demo-training.ts) are
 * dealt into 5 folds, each fold scored by weights trained on the other four, and the
 * isotonic map of each kind fitted on the out-of-fold confidences of the real (not
 * generated) documents; the final weights are then trained on every document. The
 * shipped weights (src/core/scorer/weights.json: `--generated 10` on the e-invoices'
 * dev half) come only from documents docket may redistribute (docs/eval.md "Learned
 * scorer"): never SROIE or FUNSD. `--examples-out` also writes the examples the weights
 * were trained on (src/core/scorer/shipped-examples.json), which a project's
 * retraining starts from (core/scorer/retrain.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoProject } from '../src/core/demo-project.ts';
import { generatedDocuments } from '../src/core/demo-training.ts';
import { pagesInMemory } from '../src/core/page-set.ts';
import { pageText, type Page } from '../src/core/page.ts';
import { captureSettings, parseProject, type DocumentType, type Project } from '../src/core/project.ts';
import { fitIsotonic, type Outcome } from '../src/core/scorer/calibration.ts';
import { candidateProbabilities, trainScorer, type ScorerExample } from '../src/core/scorer/model.ts';
import { shippedExamples } from '../src/core/scorer/retrain.ts';
import { createEngines } from '../src/pipeline/engines.ts';
import { classifyText } from '../src/pipeline/capture/classify.ts';
import { scorerExamples } from '../src/pipeline/capture/examples.ts';
import { documentLines } from '../src/pipeline/capture/text.ts';
import { pagesStage } from '../src/pipeline/pages/stage.ts';
import { sniffStage } from '../src/pipeline/sniff.ts';
import { DEFAULT_LIMITS, type Engines, type PipelineContext } from '../src/pipeline/types.ts';
import { createFsBlobStore } from '../src/store/blob-fs.ts';
import { ALIASES, kindOf, same, SCORED } from './eval-compare.ts';
import { cachedPages, cachePages, labelledSet, pagesKey, parseSplit } from './eval-set.ts';

async function readPages(file: string, project: Project, engines: Engines, dataDir: string, cache: string | undefined): Promise<Page[]> {
  const key = await pagesKey(file, captureSettings(project).ocr);
  const hit = cache === undefined ? null : await cachedPages(cache, key);
  if (hit) return hit;
  const ctx: PipelineContext = { taskId: `train${key.slice(0, 15)}`, project, tags: {}, blobs: createFsBlobStore(dataDir), fileKey: file, filePath: file, fileType: null, pageCount: 0, pages: pagesInMemory([]), result: { pages: [], documents: [], actions: [], needs_validation: false }, outputs: [], limits: DEFAULT_LIMITS, engines, signal: new AbortController().signal };
  await sniffStage.run(ctx);
  await pagesStage.run(ctx);
  const pages = await ctx.pages.range(0, ctx.pages.count - 1);
  if (cache !== undefined) await cachePages(cache, key, pages);
  return pages;
}

/** The label's values under the type's field names (label keys the harness scores, through its aliases). */
function truthByField(type: DocumentType, label: Record<string, unknown>): { values: Record<string, unknown>; keys: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(label)) {
    if (!SCORED.has(key) || value === null || value === '') continue;
    const field = type.fields.find((f) => (ALIASES[key] ?? [key]).includes(f.name));
    if (field && !(field.name in values)) {
      values[field.name] = value;
      keys[field.name] = key;
    }
  }
  return { values, keys };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const folders = args.filter((a, i) => !a.startsWith('--') && !['--split', '--cache', '--out', '--version', '--generated', '--examples-out'].includes(args[i - 1] ?? ''));
  const split = parseSplit(option('--split') ?? 'dev');
  if (folders.length === 0 || split === null) {
    console.error('usage: node scripts/train-scorer.ts <folder>… [--split dev|test|all] [--cache <dir>] [--out <file>] [--version <v>] [--generated <n>]');
    process.exit(2);
  }
  const parsed = parseProject(demoProject());
  if (!parsed.ok) throw new Error('the demo project does not parse');
  const project = parsed.project;
  const settings = captureSettings(project);
  const engines = await createEngines();
  const dataDir = await mkdtemp(join(tmpdir(), 'docket-train-'));
  const perDocument: ScorerExample[][] = [];
  try {
    for (const folder of folders) {
      for (const doc of await labelledSet(folder, split)) {
        const label = (Array.isArray(doc.truth) ? doc.truth[0] : doc.truth) as Record<string, unknown>;
        const pages = await readPages(doc.file, project, engines, dataDir, option('--cache'));
        const named = classifyText(settings, pages.map(pageText).join('\n')).type;
        // The label says what the document is where the classifier is unsure: an invoice number makes an invoice.
        const typeName = named ?? ('invoice_number' in label || 'issuer' in label ? 'Invoice' : 'Receipt');
        const type = settings.document_types.find((t) => t.name === typeName);
        if (!type) continue;
        const { values, keys } = truthByField(type, label);
        perDocument.push(scorerExamples(type, documentLines(pages), settings, values, (f, found, want) => same(kindOf(keys[f.name] ?? f.name), found, want, keys[f.name]), pages.length));
      }
    }
  } finally {
    await engines.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const generated = Number(option('--generated') ?? 0);
  for (const g of generatedDocuments(generated)) {
    const type = settings.document_types.find((t) => t.name === g.type);
    if (type) perDocument.push(scorerExamples(type, documentLines([g.page]), settings, g.fields));
  }
  const trainedOn = `${folders.map((f) => f.split('/').filter(Boolean).at(-1)).join(', ')} (${split})${generated > 0 ? ` and ${2 * generated} generated documents` : ''}: ${perDocument.length} documents`;
  // Out-of-fold confidences for the calibration: 5 folds by document.
  const heldOut = new Map<string, Outcome[]>();
  // Only real documents' held-out confidences calibrate: generated ones are easier than any real page, and calibrated on them the confidence promised too much (SROIE dev: 12 % wrong among accepted).
  const real = perDocument.length - 2 * generated;
  for (let fold = 0; fold < 5; fold++) {
    const model = trainScorer(perDocument.filter((_, i) => i % 5 !== fold).flat(), 'fold', '');
    for (const e of perDocument.filter((_, i) => i % 5 === fold && i < real).flat()) {
      const w = model.kinds[e.kind];
      if (!w) continue;
      const { p } = candidateProbabilities(w, e.candidates);
      const top = p.indexOf(Math.max(...p));
      heldOut.set(e.kind, [...(heldOut.get(e.kind) ?? []), { confidence: p[top] as number, ok: top === e.right }]);
    }
  }
  const weights = trainScorer(perDocument.flat(), option('--version') ?? new Date().toISOString().slice(0, 10), trainedOn);
  for (const [kind, outcomes] of heldOut) if (weights.kinds[kind]) weights.calibration[kind] = fitIsotonic(outcomes);
  for (const [kind, w] of Object.entries(weights.kinds)) {
    const o = heldOut.get(kind) ?? [];
    const all = perDocument.flat().filter((e) => e.kind === kind);
    console.log(`${kind.padEnd(8)} ${String(w.examples).padStart(4)} fields, right value among the candidates in ${all.filter((e) => e.right >= 0).length}; held-out top right ${o.filter((x) => x.ok).length}/${o.length}; none ${w.none}`);
  }
  const examplesOut = option('--examples-out');
  if (examplesOut) await writeFile(examplesOut, `${JSON.stringify(shippedExamples(perDocument, real, weights.version, trainedOn))}\n`);
  const out = option('--out');
  if (out) await writeFile(out, `${JSON.stringify(weights, null, 1)}\n`);
  else console.log(JSON.stringify(weights, null, 1));
}

await main();
