/** @module Bad input on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { badInputSuite } from './bad-input.ts';
import { skipPostgres } from '../helpers/stores.ts';

badInputSuite('postgres', await skipPostgres());
