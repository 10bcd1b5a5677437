/** @module The store contract on SQLite (node:sqlite). */
import { storeContract } from './contract.ts';

storeContract('sqlite', false);
