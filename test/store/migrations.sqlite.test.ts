/** @module Migration 0003 on SQLite. */
import { migrationSuite } from './migrations.ts';

migrationSuite('sqlite', false);
