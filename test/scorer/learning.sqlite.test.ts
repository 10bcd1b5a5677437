/** @module The scorer-learning store contract on SQLite and on the in-memory store the accuracy harness uses. */
import { learningContract } from './learning-contract.ts';

learningContract('sqlite', false);
learningContract('in-memory', false);
