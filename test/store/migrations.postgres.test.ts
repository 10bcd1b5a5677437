/** @module Migration 0003 on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { migrationSuite } from './migrations.ts';
import { skipPostgres } from '../helpers/stores.ts';

migrationSuite('postgres', await skipPostgres());
