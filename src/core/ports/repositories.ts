/**
 * @module The repositories the API, the workers and the sweeper are handed together. Each is a
 * port of its own in this folder; `src/store/connect.ts` opens all of them on one database.
 */
import type { TaskRepository } from './task-repository.ts';
import type { ProjectRepository } from './project-repository.ts';
import type { AccountRepository } from './account-repository.ts';

export interface Repositories {
  tasks: TaskRepository;
  projects: ProjectRepository;
  accounts: AccountRepository;
}
