/** @module The scorer-learning store contract on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { learningContract } from './learning-contract.ts';
import { skipPostgres } from '../helpers/stores.ts';

learningContract('postgres', await skipPostgres());
