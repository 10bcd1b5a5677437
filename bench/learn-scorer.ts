/**
 * @module `node bench/learn-scorer.ts [rounds]`: what keeping the scorer's examples adds
 * to learning one document (docs/project-file.md#scorer), and what one retrain costs.
 * Each round teaches the same generated receipt and invoice (core/demo-training.ts)
 * twice, interleaved: through `learnDocument` with vendor memory only, and with the
 * scorer learner too (in-memory stores, so the store's cost is left out). Prints the
 * medians and their ratio, then times one retrain of 40 documents in its worker thread
 * (CPU of the thread, as the version reports it). The machine's load is printed beside.
 */
import { loadavg } from 'node:os';
import { demoProject } from '../src/core/demo-project.ts';
import { generatedDocuments } from '../src/core/demo-training.ts';
import { inMemoryVendorStore } from '../src/core/memory/in-memory-store.ts';
import { captureSettings, parseProject, type Project } from '../src/core/project.ts';
import { inMemoryScorerLearning } from '../src/core/scorer/in-memory-learning.ts';
import { learnDocument } from '../src/pipeline/capture/memory-learn.ts';
import { createRetrainer } from '../src/pipeline/scorer-retrain.ts';

const parsed = parseProject(demoProject());
if (!parsed.ok) throw new Error('the demo project does not parse');
const project: Project = { ...parsed.project, capture: { ...captureSettings(parsed.project), scorer: 'learned' } };
const rounds = Number(process.argv[2] ?? 21);
const docs = generatedDocuments(20).slice(0, 2);
const memory = inMemoryVendorStore();
const scorerStore = inMemoryScorerLearning();
// `every` above what the rounds teach: this part times learning alone.
const learner = createRetrainer(scorerStore, { every: Number.MAX_SAFE_INTEGER });
const plain: number[] = [];
const withScorer: number[] = [];
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
for (let i = 0; i < rounds; i++) {
  for (const d of docs) {
    for (const scorer of i % 2 === 0 ? [false, true] : [true, false]) {
      const t = performance.now();
      await learnDocument({ store: memory, accountId: 'A', projectId: 'P', ...(scorer ? { scorer: learner } : {}) }, project, { document_type: d.type, pages: [0, 0] }, [d.page], d.fields, i);
      (scorer ? withScorer : plain).push(performance.now() - t);
    }
  }
}
console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${rounds} rounds of a generated receipt and invoice`);
console.log(`learning one document: vendor memory only median ${median(plain).toFixed(2)} ms; with the scorer examples ${median(withScorer).toFixed(2)} ms (${(median(withScorer) / median(plain)).toFixed(2)}x)`);
const retrain = createRetrainer(scorerStore);
const t = performance.now();
const v = await retrain.retrain('A', 'P');
console.log(`one retrain of ${(await scorerStore.documents('P')).length} learned documents and the shipped examples in a worker thread: ${v.report.cpu_ms.toFixed(0)} ms CPU, ${(performance.now() - t).toFixed(0)} ms wall; ${v.report.reason}`);
