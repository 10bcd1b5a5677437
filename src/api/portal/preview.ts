/**
 * @module Re-checking a validation draft without completing the task (docs/portal.md#validation-every-user:
 * "change a document's type — its fields re-extract for the new type"; moving
 * boundaries likewise). The results checker (`deps.checkResults`) re-extracts
 * documents whose type or pages changed, but answers only problems when any rule
 * fails — and a freshly extracted document often fails one (a required field not
 * found). So the draft is checked twice: once structure-only against the same
 * project with every rule lifted, which yields the re-extracted documents, and once
 * as sent against the real project, whose problems are then laid onto those
 * documents. Both runs are the checker's own code; nothing is re-implemented here.
 */
import type { DocumentResult } from '../../core/capture.ts';
import { captureSettings, type FieldRules, type Project } from '../../core/project.ts';
import type { ResultsChecker } from '../../core/ports/task-results.ts';
import { isRecord } from '../../shared/records.ts';

type Input = Omit<Parameters<ResultsChecker>[0], 'submitted' | 'project'> & { project: Project; draft: unknown };

export interface Preview {
  /** The documents as the draft makes them; null when the draft's structure is invalid. */
  documents: DocumentResult[] | null;
  /** Indexes of documents that were extracted again (type or page range changed). */
  changed: number[];
  problems: { path: string; message: string }[];
}

const NO_RULES: FieldRules = {
  required: false, pattern: null, min: null, max: null, min_length: null, max_length: null,
  one_of: null, lookup: null, checksum: null, date_min: null, date_max: null, messages: {},
};

/** The project with every field rule and cross-field rule lifted; extraction settings untouched. */
export function withoutRules(project: Project): Project {
  const settings = captureSettings(project);
  return {
    ...project,
    capture: {
      ...settings,
      document_types: settings.document_types.map((t) => ({ ...t, rules: [], fields: t.fields.map((f) => ({ ...f, rules: NO_RULES })) })),
    },
  };
}

const PROBLEM_PATH = /^documents\[(\d+)\](?:\.fields\.([A-Za-z0-9_.-]+?))?(?:\[\d+\].*)?$/;

/** Marks each problem on its document or field: invalid, with the problem's message. */
function layProblems(documents: DocumentResult[], problems: Preview['problems']): void {
  for (const doc of documents) {
    doc.messages = [];
    for (const f of doc.fields) Object.assign(f, { valid: true, messages: [] });
  }
  for (const p of problems) {
    const m = PROBLEM_PATH.exec(p.path);
    const doc = m ? documents[Number(m[1])] : undefined;
    if (!doc) continue;
    const field = m?.[2] ? doc.fields.find((f) => f.name === m[2]) : undefined;
    if (field) {
      field.valid = false;
      field.needs_confirmation = false;
      if (!field.messages.includes(p.message)) field.messages.push(p.message);
    } else if (!doc.messages.includes(p.message)) doc.messages.push(p.message);
  }
}

export async function previewDraft(check: ResultsChecker, input: Input): Promise<Preview> {
  const raw = isRecord(input.draft) ? input.draft.documents : undefined;
  if (!Array.isArray(raw)) return { documents: null, changed: [], problems: [{ path: 'documents', message: 'must be the list of documents' }] };
  const structure = raw.map((d) => (isRecord(d) ? { pages: d.pages, document_type: d.document_type ?? null } : d));
  const changed = structure.flatMap((d, i) => {
    const s = d as { pages?: unknown; document_type?: unknown };
    const pages = Array.isArray(s.pages) ? s.pages : [];
    const before = input.result.documents.find((o) => o.pages[0] === pages[0] && o.pages[1] === pages[1]);
    return before && before.document_type === s.document_type ? [] : [i];
  });
  const base = { result: input.result, pages: input.pages };
  // The checker extracts changed documents afresh, then applies the fields the draft gives (none right after a change).
  const real = await check({ ...base, project: input.project, submitted: { documents: raw } });
  if (real.ok) return { documents: real.result.documents, changed, problems: [] };
  // The lifted run extracts only the changed documents that have a type (a subset in page order is a valid draft).
  const typed = changed.filter((i) => isRecord(structure[i]) && (structure[i] as { document_type: unknown }).document_type !== null);
  const lifted = typed.length === 0 ? null : await check({ ...base, project: withoutRules(input.project), submitted: { documents: typed.map((i) => structure[i]) } });
  if (lifted && !lifted.ok) return { documents: null, changed, problems: real.problems };
  const fresh = lifted?.ok ? lifted.result.documents : [];
  const documents = structure.map((d, i): DocumentResult => {
    const k = typed.indexOf(i);
    if (k >= 0 && fresh[k]) return { ...fresh[k], index: i };
    const s = d as { pages: [number, number]; document_type: string | null };
    // The documents as the draft made them (its values normalised) when the checker gives them; else as extracted.
    const sent = real.documents?.[i];
    if (sent && sent.pages[0] === s.pages[0] && sent.pages[1] === s.pages[1]) return { ...sent, index: i };
    const before = input.result.documents.find((o) => o.pages[0] === s.pages[0] && o.pages[1] === s.pages[1]);
    if (before) return { ...structuredClone(before), index: i, document_type: s.document_type };
    return { index: i, pages: s.pages, document_type: s.document_type, type_confidence: 1, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, fields: [], messages: [] };
  });
  layProblems(documents, real.problems);
  return { documents, changed, problems: real.problems };
}
