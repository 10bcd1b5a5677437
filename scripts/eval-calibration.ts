/**
 * @module `node scripts/eval-calibration.ts <dump.jsonl> [--splits 200] [--fit 0.67]`: the
 * choice of how learned calibration smooths its outcomes (core/calibration-outcomes.ts),
 * made on the dev half alone with less noise than one run gives (docs/eval.md
 * "Calibration"). The dump is what `npm run eval -- <folder> --learn-from dev --split dev
 * --dump <file>` writes: per dev document, after learning, each labelled field's raw
 * confidence, whether its vendor was known and whether it was right. Each of `--splits`
 * random splits (seeded, so runs repeat) counts the outcomes of a share `--fit` of the
 * documents as validations would teach them, and scores the rest with each way of
 * fitting: the mean expected calibration error (10 equal-width bins, value-weighted) and
 * Brier score over the splits. One ECE over ~300 values moves by ±0.02 with the split
 * alone, more than the choices differ, hence the many splits.
 */
import { readFile } from 'node:fs/promises';
import { BINS, fitBins, fitSmoothed, MIN_OUTCOMES, recordOutcomes, type Bin, type OutcomeCounts } from '../src/core/calibration-outcomes.ts';
import { calibrated, expectedCalibrationError, type Outcome } from '../src/core/scorer/calibration.ts';
import type { CalibrationMap } from '../src/core/scorer/model.ts';

interface Dumped { phase: string; type: string | null; known: boolean; fields: { key: string; raw: number | null; found: boolean; ok: boolean }[] }
interface Value { field: string; known: boolean; raw: number; ok: boolean }

const total = (bins: readonly Bin[]): number => bins.reduce((s, b) => s + b[0], 0);
const pooled = (a: readonly Bin[], b: readonly Bin[]): Bin[] => a.map((x, i) => x.map((v, k) => v + ((b[i] as Bin)[k] as number)) as Bin);

/** Ways of fitting one field's map for one vendor kind from its counts. */
const WAYS: Record<string, (own: Bin[], other: Bin[]) => CalibrationMap | null> = {
  'own kind from 20, else pooled (before 2026-12-07 evening)': (own, other) => (total(own) >= MIN_OUTCOMES ? fitBins(own) : total(own) + total(other) >= MIN_OUTCOMES ? fitBins(pooled(own, other)) : null),
  'both kinds always pooled': (own, other) => (total(own) + total(other) >= MIN_OUTCOMES ? fitBins(pooled(own, other)) : null),
  ...Object.fromEntries([1, 2, 4, 8].map((w) => [`own kind smoothed to the other's, weight ${w}`, (own: Bin[], other: Bin[]) => (total(own) + total(other) >= MIN_OUTCOMES ? fitSmoothed(own, other, w) : null)])),
  ...Object.fromEntries([1, 4].map((w) => [`own kind alone from 20, else smoothed, weight ${w}`, (own: Bin[], other: Bin[]) => (total(own) >= MIN_OUTCOMES ? fitBins(own) : total(own) + total(other) >= MIN_OUTCOMES ? fitSmoothed(own, other, w) : null)])),
};

/** mulberry32: a small seeded generator, so that a run repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
  const file = args.find((a, i) => !a.startsWith('--') && !['--splits', '--fit'].includes(args[i - 1] ?? ''));
  if (!file) {
    console.error('usage: node scripts/eval-calibration.ts <dump.jsonl> [--splits 200] [--fit 0.67]');
    process.exit(2);
  }
  const splits = option('--splits', 200);
  const share = option('--fit', 0.67);
  const docs = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Dumped).filter((d) => d.phase === 'warm' && d.type !== null);
  const values = docs.map((d) => d.fields.filter((f) => f.found && f.raw !== null).map((f): Value => ({ field: `${d.type}.${f.key}`, known: d.known, raw: f.raw as number, ok: f.ok })));
  const sums = new Map(Object.keys(WAYS).map((w) => [w, { ece: 0, brier: 0 }]));
  const next = random(1);
  for (let s = 0; s < splits; s++) {
    const order = values.map((v, i) => ({ v, r: next(), i })).sort((a, b) => a.r - b.r);
    const cut = Math.round(share * order.length);
    let counts: OutcomeCounts | undefined;
    for (const { v } of order.slice(0, cut)) for (const x of v) counts = recordOutcomes(counts, x.field.split('.')[0] as string, x.known, [{ field: x.field.split('.')[1] as string, confidence: x.raw, ok: x.ok }]);
    const scored = order.slice(cut).flatMap(({ v }) => v);
    for (const [name, way] of Object.entries(WAYS)) {
      const maps = new Map<string, CalibrationMap | null>();
      const outcomes: Outcome[] = scored.map((x) => {
        const key = `${x.field}|${x.known}`;
        if (!maps.has(key)) {
          const cell = counts?.[x.field];
          const empty = Array.from({ length: BINS }, () => [0, 0, 0] as Bin);
          maps.set(key, cell ? way(x.known ? cell.known : cell.new, x.known ? cell.new : cell.known) : way(empty, empty));
        }
        return { confidence: calibrated(maps.get(key) ?? undefined, x.raw), ok: x.ok };
      });
      const sum = sums.get(name) as { ece: number; brier: number };
      sum.ece += expectedCalibrationError(outcomes);
      sum.brier += outcomes.reduce((t, o) => t + (o.confidence - (o.ok ? 1 : 0)) ** 2, 0) / outcomes.length;
    }
  }
  console.log(`${docs.length} documents, ${splits} splits, fitted on ${Math.round(share * 100)} % and scored on the rest; mean over the splits:`);
  console.log('way of fitting                                                  ECE (10 bins)  Brier');
  for (const [name, sum] of sums) console.log(`${name.padEnd(64)} ${(sum.ece / splits).toFixed(4).padStart(12)}  ${(sum.brier / splits).toFixed(4)}`);
}

await main();
