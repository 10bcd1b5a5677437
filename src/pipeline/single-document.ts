/**
 * @module Stage 4–6 (service-core slice): the whole file is one document of no
 * particular type with no fields. The capture engine replaces it with separation,
 * classification and extraction driven by the project's document types.
 */
import type { Stage } from './types.ts';

export const singleDocumentStage: Stage = {
  name: 'single-document',
  async run(ctx) {
    ctx.result.documents = [
      {
        index: 0,
        pages: [0, Math.max(0, ctx.pageCount - 1)],
        document_type: null,
        type_confidence: 1,
        type_needs_confirmation: false,
        boundary_confidence: 1,
        boundary_needs_review: false,
        fields: [],
        messages: [],
      },
    ];
  },
};
