/**
 * @module The e-invoice part of the accuracy harness (docs/einvoices.md, docs/eval.md):
 * `--ignore-embedded` runs the capture stages without the e-invoice stage, so the
 * same PDFs score the visual extraction as if they carried no XML; and, for every
 * run, the files whose scored fields are all right and the time the e-invoice stage
 * took per document beyond the page engine (its own stage; medians, as benches report).
 */
import type { Stage } from '../src/pipeline/types.ts';

const EINVOICE_STAGE = 'einvoice';

export interface EmbeddedRun {
  /** The capture stages to run, the e-invoice stage timed (or left out with `--ignore-embedded`). */
  stages: Stage[];
  /** Records one scored document: its misses (`addDocument`'s notes). */
  record(notes: readonly string[]): void;
  report(): string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function embeddedRun(args: readonly string[], capture: readonly Stage[]): EmbeddedRun {
  const ignore = args.includes('--ignore-embedded');
  const times: number[] = [];
  let files = 0;
  let allRight = 0;
  const stages = capture
    .filter((s) => !(ignore && s.name === EINVOICE_STAGE))
    .map((s): Stage => (s.name !== EINVOICE_STAGE ? s : {
      name: s.name,
      async run(ctx) {
        const t0 = performance.now();
        await s.run(ctx);
        if (ctx.result.documents[0]?.fields.some((f) => f.source === 'einvoice')) times.push(performance.now() - t0);
      },
    }));
  return {
    stages,
    record(notes) {
      files++;
      if (notes.length === 0) allRight++;
    },
    report() {
      const rows = [`files with every scored field right: ${allRight}/${files}${ignore ? ' (--ignore-embedded: embedded XML not read)' : ''}`];
      if (times.length > 0) rows.push(`e-invoice stage on ${times.length} PDFs read from their XML: median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms per document`);
      return rows.join('\n');
    },
  };
}
