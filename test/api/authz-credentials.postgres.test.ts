/** @module Credentials, revocation races, per-account emails and login throttling on PostgreSQL; skipped with the reason when no server answers (a failure under CI). */
import { authzCredentials } from './authz-credentials.ts';
import { skipPostgres } from '../helpers/stores.ts';

authzCredentials('postgres', await skipPostgres());
