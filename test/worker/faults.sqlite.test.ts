/** @module The worker's fault handling on SQLite. */
import { workerFaults } from './faults.ts';

workerFaults('sqlite', false);
