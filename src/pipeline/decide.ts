/**
 * @module Stage 7's last step: the review decision. `always` sends every task to a
 * person, `never` none, and `when_needed` exactly those with at least one action
 * (DESIGN §3: invalid field, field to confirm, unknown or unsure type, unsure
 * boundary).
 */
import type { CaptureResult } from '../core/capture.ts';
import type { ValidationMode } from '../core/project.ts';
import type { Stage } from './types.ts';

export function needsValidation(mode: ValidationMode, result: CaptureResult): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return result.actions.length > 0;
}

export const decideStage: Stage = {
  name: 'decide',
  async run(ctx) {
    ctx.result.needs_validation = needsValidation(ctx.project.validation.mode, ctx.result);
  },
};
