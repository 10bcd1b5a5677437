/**
 * @module The project's `learning` setting (docs/project-file.md#learning): whether
 * validations and samples teach the project's vendor memory and whether capture uses
 * it. `learning: false` (or `learning: { enabled: false }`) turns both off; what was
 * learned stays until `DELETE /projects/{id}/memory` erases it. On by default.
 */
import type { Project, ProjectProblem } from '../project.ts';
import { isRecord } from '../../shared/records.ts';

/** Problems with the setting in a project file as given. */
export function learningProblems(input: Record<string, unknown>): ProjectProblem[] {
  const v = input.learning;
  if (v === undefined || typeof v === 'boolean') return [];
  if (isRecord(v) && (v.enabled === undefined || typeof v.enabled === 'boolean') && Object.keys(v).every((k) => k === 'enabled')) return [];
  return [{ path: 'learning', message: 'must be true, false or { enabled: true|false }' }];
}

/** Whether the project learns from validations and samples and uses what it learned. */
export function learningEnabled(project: Project): boolean {
  const v = isRecord(project.definition) ? project.definition.learning : undefined;
  if (typeof v === 'boolean') return v;
  if (isRecord(v) && typeof v.enabled === 'boolean') return v.enabled;
  return true;
}
