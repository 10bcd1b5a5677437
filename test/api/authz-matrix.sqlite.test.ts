/** @module The authorization matrix on SQLite. */
import { authzMatrix } from './authz-matrix.ts';

authzMatrix('sqlite', false);
