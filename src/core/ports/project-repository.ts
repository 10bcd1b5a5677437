/**
 * @module The project repository port: projects and their immutable versions
 * (`src/store/projects-repo.ts`).
 */
import type { Project } from '../project.ts';
import type { ProjectRecord, ProjectSummary } from '../records.ts';

export interface ProjectRepository {
  create(input: { id: string; account_id: string; project: Project; now: number }): Promise<ProjectRecord>;
  /** A new version; tasks already created keep theirs. */
  update(accountId: string, id: string, project: Project, now: number): Promise<ProjectRecord | null>;
  get(accountId: string, id: string): Promise<ProjectRecord | null>;
  getVersion(id: string, version: number): Promise<ProjectRecord | null>;
  findByName(accountId: string, name: string): Promise<ProjectRecord | null>;
  /** Summaries: the list never reads the (up to 5 MiB) definitions. */
  list(accountId: string): Promise<ProjectSummary[]>;
  versions(accountId: string, id: string): Promise<{ version: number; created_at: number }[]>;
  delete(accountId: string, id: string, now: number): Promise<boolean>;
}
