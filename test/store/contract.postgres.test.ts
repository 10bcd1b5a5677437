/** @module The store contract on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { storeContract } from './contract.ts';
import { skipPostgres } from '../helpers/stores.ts';

storeContract('postgres', await skipPostgres());
