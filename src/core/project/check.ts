/**
 * @module Small readers for checking a project file: each reads one value at a
 * path, records a problem with that path when the value is wrong, and returns a
 * usable default so that checking goes on and every problem is reported at once
 * (docs/project-file.md).
 */
import { patternProblem } from './pattern.ts';

export interface Problem {
  path: string;
  message: string;
}

export class Checker {
  readonly problems: Problem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  record(value: unknown, path: string): Record<string, unknown> | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.add(path, 'must be an object');
    return null;
  }

  /** Reports keys not in `known`: a misspelt key would otherwise be silently ignored. */
  keys(obj: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const k of Object.keys(obj)) if (!known.includes(k)) this.add(join(path, k), 'unknown key');
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.add(path, 'must be a list');
    return [];
  }

  /** A list of strings; a single string is taken as a list of one. */
  strings(value: unknown, path: string): string[] {
    if (typeof value === 'string') return [value];
    const out: string[] = [];
    this.list(value, path).forEach((v, i) => {
      if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
      else this.add(`${path}[${i}]`, 'must be a string');
    });
    return out;
  }

  string(value: unknown, path: string, fallback: string | null = null, required = false): string | null {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'required');
      return fallback;
    }
    if (typeof value === 'string' && (!required || value.trim() !== '')) return value;
    if (typeof value === 'number') return String(value);
    this.add(path, required ? 'required: a non-empty string' : 'must be a string');
    return fallback;
  }

  number(value: unknown, path: string, fallback: number | null, min = -Infinity, max = Infinity): number | null {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    const range = min === -Infinity && max === Infinity ? 'a number' : `a number from ${min} to ${max}`;
    this.add(path, `must be ${range}`);
    return fallback;
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.add(path, 'must be true or false');
    return fallback;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], fallback: T): T {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.add(path, `must be one of ${allowed.join(', ')}`);
    return fallback;
  }

  regex(value: unknown, path: string, flags = 'i'): string | null {
    const src = this.string(value, path);
    if (src === null) return null;
    const problem = patternProblem(src, flags);
    if (problem !== null) {
      this.add(path, problem.startsWith('invalid regex') ? problem : `unsupported regex: ${problem}`);
      return null;
    }
    return src;
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}
