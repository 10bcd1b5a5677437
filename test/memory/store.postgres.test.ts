/** @module The vendor-memory store contract on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { memoryContract } from './store-contract.ts';
import { skipPostgres } from '../helpers/stores.ts';

memoryContract('postgres', await skipPostgres());
