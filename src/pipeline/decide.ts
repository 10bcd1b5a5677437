/**
 * @module Stage 7's last step: the actions list and the review decision (docs/architecture.md#stages).
 * Each action has a reason: an invalid field (its rule messages), a field whose
 * confidence is below the threshold, an unknown or unsure document type, an unsure
 * boundary, a term an e-invoice export needs and the document lacks. `always` sends
 * every task to a person, `never` none, and `when_needed` exactly those with at least
 * one action. A field or type a person confirmed is
 * never sent back for confirmation (only a rule it breaks still counts).
 */
import type { Action, CaptureResult } from '../core/capture.ts';
import type { ValidationMode } from '../core/project.ts';
import type { Stage } from './types.ts';
import { einvoiceActions } from './outputs/einvoice.ts';

export function needsValidation(mode: ValidationMode, result: CaptureResult): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return result.actions.length > 0;
}

export function buildActions(result: CaptureResult): Action[] {
  const actions: Action[] = [];
  for (const doc of result.documents) {
    if (doc.boundary_needs_review) {
      actions.push({ kind: 'review_boundary', document: doc.index, page: doc.pages[0], reason: `unsure boundary: a document starting at page ${doc.pages[0] + 1} (confidence ${doc.boundary_confidence.toFixed(2)})` });
    }
    if (doc.document_type === null && doc.type_needs_confirmation) {
      actions.push({ kind: 'unknown_type', document: doc.index, reason: `unknown document type (best confidence ${doc.type_confidence.toFixed(2)})` });
    } else if (doc.type_needs_confirmation) {
      actions.push({ kind: 'confirm_type', document: doc.index, reason: `unsure document type ${doc.document_type} (confidence ${doc.type_confidence.toFixed(2)})` });
    }
    for (const f of doc.fields) {
      if (!f.valid) actions.push({ kind: 'invalid_field', document: doc.index, field: f.name, reason: `invalid: ${f.messages.join('; ')}` });
      else if (f.needs_confirmation) actions.push({ kind: 'confirm_field', document: doc.index, field: f.name, reason: f.confirmation_reason ?? `low confidence (${f.confidence.toFixed(2)})` });
    }
    // Messages no invalid field carries (a rule naming no field, an unusable e-invoice attachment) get an action of their own.
    const unattached = doc.messages.filter((m) => !doc.fields.some((f) => !f.valid && f.messages.includes(m)));
    if (unattached.length > 0) actions.push({ kind: 'invalid_field', document: doc.index, reason: `invalid: ${unattached.join('; ')}` });
  }
  return actions;
}

export const decideStage: Stage = {
  name: 'decide',
  async run(ctx) {
    // An invoice an e-invoice export cannot be built from goes to a person with the missing terms (outputs/einvoice.ts).
    ctx.result.actions = [...buildActions(ctx.result), ...einvoiceActions(ctx.project, ctx.result)];
    ctx.result.needs_validation = needsValidation(ctx.project.validation.mode, ctx.result);
  },
};
