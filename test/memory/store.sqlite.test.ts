/** @module The vendor-memory store contract on SQLite and on the in-memory store the accuracy harness uses. */
import { memoryContract } from './store-contract.ts';

memoryContract('sqlite', false);
memoryContract('in-memory', false);
