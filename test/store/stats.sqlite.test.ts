/** @module The dashboard's throughput chart on SQLite (node:sqlite). */
import { statsSuite } from './stats.ts';

statsSuite('sqlite', false);
