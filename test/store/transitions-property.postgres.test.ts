/** @module The transitions property on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { transitionsProperty } from './transitions-property.ts';
import { skipPostgres } from '../helpers/stores.ts';

transitionsProperty('postgres', await skipPostgres(), 150);
