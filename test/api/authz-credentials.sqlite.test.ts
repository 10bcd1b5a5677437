/** @module Credentials, revocation races, per-account emails and login throttling on SQLite. */
import { authzCredentials } from './authz-credentials.ts';

authzCredentials('sqlite', false);
