/** @module The sweeper on SQLite. */
import { sweeperContract } from './sweeper.ts';

sweeperContract('sqlite', false);
