/**
 * @module The e-invoice part of the accuracy harness (docs/einvoices.md, docs/eval.md):
 * `--ignore-embedded` runs the capture stages without the e-invoice stage, so the
 * same PDFs score the visual extraction as if they carried no XML; and, for every
 * run, the files whose scored fields are all right and what the e-invoice stage
 * costs per PDF read from its XML beyond the page engine, beside the pages stage of
 * the same run as the baseline. Both wall and CPU time (every thread of the process)
 * are given: on a shared machine the wall time swells with other load, CPU time less.
 */
import type { CaptureResult } from '../src/core/capture.ts';
import type { Stage } from '../src/pipeline/types.ts';

const EINVOICE_STAGE = 'einvoice';
const BASELINE_STAGE = 'pages';

export interface EmbeddedRun {
  /** The capture stages to run, the e-invoice and pages stages timed (the former left out with `--ignore-embedded`). */
  stages: Stage[];
  /** Records one scored document: its misses (`addDocument`'s notes) and, when it goes to validation, its actions' reasons. */
  record(notes: readonly string[], result: CaptureResult): void;
  report(): string;
}

interface Cost {
  wall: number;
  cpu: number;
}

/**
 * An action's reason without its values, so that holds tally by cause: the rule's
 * message up to the values a failing comparison appends (`…: subtotal 41.31 + …`),
 * a confidence's figures dropped (`low confidence (0.62)`), other numbers as `#`.
 */
export function reasonClass(reason: string): string {
  const text = reason.replace(/^invalid: /, '').split('; ')[0] as string;
  const prefix = text.startsWith('e-invoice: ') ? 'e-invoice: ' : '';
  const rest = text.slice(prefix.length);
  const cut = rest.search(/: [a-z_]+(\.[a-z_]+)? /i);
  const head = (cut > 0 ? rest.slice(0, cut) : rest).replace(/\([^()]*\d[^()]*\)/g, '').replace(/[^\s()]*\d[^\s()]*/g, '#');
  return `${prefix}${head.trim()}`.slice(0, 120);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function timed(stage: Stage, into: Cost[], keep: (ctx: Parameters<Stage['run']>[0]) => boolean): Stage {
  return {
    name: stage.name,
    async run(ctx) {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      await stage.run(ctx);
      const used = process.cpuUsage(cpu);
      if (keep(ctx)) into.push({ wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 });
    },
  };
}

function summary(costs: Cost[]): string {
  return `median ${median(costs.map((c) => c.wall)).toFixed(1)} ms wall, ${median(costs.map((c) => c.cpu)).toFixed(1)} ms CPU`;
}

export function embeddedRun(args: readonly string[], capture: readonly Stage[]): EmbeddedRun {
  const ignore = args.includes('--ignore-embedded');
  const einvoice: Cost[] = [];
  const pages: Cost[] = [];
  let files = 0;
  let allRight = 0;
  let held = 0;
  // Files with an e-invoice whose checks (EN 16931 arithmetic, mandatory terms, pages against XML) all pass, and those of them sent straight to export.
  let checked = 0;
  let checkedStraight = 0;
  const holds = new Map<string, number>();
  const fromXml = (ctx: Parameters<Stage['run']>[0]) => ctx.result.documents[0]?.fields.some((f) => f.source === 'einvoice') ?? false;
  const stages = capture
    .filter((s) => !(ignore && s.name === EINVOICE_STAGE))
    .map((s) => (s.name === EINVOICE_STAGE ? timed(s, einvoice, fromXml) : s.name === BASELINE_STAGE ? timed(s, pages, () => true) : s));
  return {
    stages,
    record(notes, result) {
      files++;
      if (notes.length === 0) allRight++;
      const fromXml = result.documents[0]?.fields.some((f) => f.source === 'einvoice') ?? false;
      if (fromXml && !result.actions.some((a) => a.reason.includes('e-invoice: '))) {
        checked++;
        if (!result.needs_validation) checkedStraight++;
      }
      if (!result.needs_validation) return;
      held++;
      // A document counts once per cause, however many fields carry it.
      for (const cause of new Set(result.actions.map((a) => `${a.kind}${a.field ? ` ${a.field}` : ''}: ${reasonClass(a.reason)}`))) holds.set(cause, (holds.get(cause) ?? 0) + 1);
    },
    report() {
      const rows = [`files with every scored field right: ${allRight}/${files}${ignore ? ' (--ignore-embedded: the attached XML is not read)' : ''}`];
      rows.push(`straight to export (no validation needed): ${files - held}/${files}; held ${held}, by cause (a file may have several):`);
      if (checked > 0 || !ignore) rows.splice(rows.length - 1, 0, `of the ${checked} whose e-invoice checks all pass, straight to export: ${checkedStraight}/${checked}`);
      for (const [cause, n] of [...holds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) rows.push(`  ${String(n).padStart(3)}  ${cause}`);
      if (einvoice.length > 0) {
        rows.push(`e-invoice stage, ${einvoice.length} PDFs read from their XML: ${summary(einvoice)} per document`);
        rows.push(`page engine (pages stage) on the same run: ${summary(pages)} per document`);
      }
      return rows.join('\n');
    },
  };
}
