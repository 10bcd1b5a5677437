/** @module The HTTP contract on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { apiContract } from './contract.ts';
import { skipPostgres } from '../helpers/stores.ts';

apiContract('postgres', await skipPostgres());
