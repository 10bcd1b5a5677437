/**
 * @module The project file's `validation.reject` setting (docs/project-file.md#review-decision):
 * the reasons a person may give for rejecting a document in the portal, and where a
 * rejected task goes: `fail` ends it (failed, error `rejected`, with the reason) and
 * `exception` puts it in the exception queue, where only admins see it and decide.
 * Kept apart from project.ts so the portal's setting is one small edit there.
 */
import { isRecord } from '../../shared/records.ts';

export const REJECT_TARGETS = ['fail', 'exception'] as const;
export type RejectTarget = (typeof REJECT_TARGETS)[number];

export interface RejectSettings {
  reasons: string[];
  to: RejectTarget;
}

/** Without the setting: three reasons every document flow has, and rejecting fails the task. */
export const DEFAULT_REJECT: RejectSettings = { reasons: ['Unreadable', 'Not for this project', 'Duplicate'], to: 'fail' };

/** At most 20 reasons of 1–100 characters: a list a person reads at a glance. */
export function parseReject(v: unknown, problems: { path: string; message: string }[]): RejectSettings {
  if (v === undefined) return DEFAULT_REJECT;
  if (!isRecord(v)) {
    problems.push({ path: 'validation.reject', message: 'must be an object: { reasons: [...], to: fail | exception }' });
    return DEFAULT_REJECT;
  }
  let reasons = DEFAULT_REJECT.reasons;
  if (v.reasons !== undefined) {
    const ok = Array.isArray(v.reasons) && v.reasons.length >= 1 && v.reasons.length <= 20
      && v.reasons.every((r) => typeof r === 'string' && r.trim().length >= 1 && r.trim().length <= 100);
    if (ok) reasons = [...new Set((v.reasons as string[]).map((r) => r.trim()))];
    else problems.push({ path: 'validation.reject.reasons', message: 'must be a list of 1 to 20 texts of 1 to 100 characters' });
  }
  let to: RejectTarget = DEFAULT_REJECT.to;
  if (v.to !== undefined) {
    if (typeof v.to === 'string' && (REJECT_TARGETS as readonly string[]).includes(v.to)) to = v.to as RejectTarget;
    else problems.push({ path: 'validation.reject.to', message: `must be one of ${REJECT_TARGETS.join(', ')}` });
  }
  for (const k of Object.keys(v)) if (k !== 'reasons' && k !== 'to') problems.push({ path: `validation.reject.${k}`, message: 'unknown setting' });
  return { reasons, to };
}

/** The project's reject setting; projects stored before it existed get the default. */
export function rejectSettings(p: { validation: { reject?: RejectSettings } }): RejectSettings {
  return p.validation.reject ?? DEFAULT_REJECT;
}
