/** @module The worker's fault handling on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { workerFaults } from './faults.ts';
import { skipPostgres } from '../helpers/stores.ts';

workerFaults('postgres', await skipPostgres());
