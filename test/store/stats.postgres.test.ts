/** @module The dashboard's throughput chart on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { statsSuite } from './stats.ts';
import { skipPostgres } from '../helpers/stores.ts';

statsSuite('postgres', await skipPostgres());
