/** @module Bad input on SQLite. */
import { badInputSuite } from './bad-input.ts';

badInputSuite('sqlite', false);
