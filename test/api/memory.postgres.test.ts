/** @module The vendor-memory routes on PostgreSQL (memory-routes.ts); skipped with the reason when no server answers (a failure under CI). */
import { memoryRoutes } from './memory-routes.ts';
import { skipPostgres } from '../helpers/stores.ts';

memoryRoutes('postgres', await skipPostgres());
