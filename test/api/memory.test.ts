/** @module The vendor-memory routes on SQLite (memory-routes.ts). */
import { memoryRoutes } from './memory-routes.ts';

memoryRoutes('sqlite', false);
