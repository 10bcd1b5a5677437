/** @module The HTTP contract on SQLite. */
import { apiContract } from './contract.ts';

apiContract('sqlite', false);
