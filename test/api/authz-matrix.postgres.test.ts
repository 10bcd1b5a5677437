/** @module The authorization matrix on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { authzMatrix } from './authz-matrix.ts';
import { skipPostgres } from '../helpers/stores.ts';

authzMatrix('postgres', await skipPostgres());
