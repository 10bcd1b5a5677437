/** @module The transitions property on SQLite. */
import { transitionsProperty } from './transitions-property.ts';

transitionsProperty('sqlite', false, 300);
