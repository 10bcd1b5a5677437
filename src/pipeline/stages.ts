/**
 * @module The one place that lists the pipeline's stages in order (docs/architecture.md#stages). The
 * page engine and capture engine plug in here; nothing else knows the order.
 *
 * `capture` runs when a task is first processed and ends with the review decision;
 * `finish` runs when the task enters export — straight after `capture` when no
 * validation is needed, else after a person completes validation (then it re-reads
 * the corrected result and re-checks it before building outputs).
 */
import { sniffStage } from './sniff.ts';
import { pagesStage } from './pages/stage.ts';
import { separateStage, classifyStage, extractStage, validateStage } from './capture/stages.ts';
import { secondReadingStage } from './capture/second-reading.ts';
import { decideStage } from './decide.ts';
import { einvoiceStage } from './einvoice/stage.ts';
import { outputsStage } from './outputs/stage.ts';
import type { Stage } from './types.ts';

export function captureStages(): Stage[] {
  return [sniffStage, pagesStage, separateStage, classifyStage, extractStage, secondReadingStage, validateStage, einvoiceStage, decideStage];
}

export function finishStages(): Stage[] {
  return [sniffStage, outputsStage];
}
