/** @module The sweeper on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { sweeperContract } from './sweeper.ts';
import { skipPostgres } from '../helpers/stores.ts';

sweeperContract('postgres', await skipPostgres());
