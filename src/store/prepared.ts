/**
 * @module Queries built and compiled once, then run with new values: the hot path's
 * statements (an upload's token lookup, project lookup and task insert). Building a
 * Kysely query tree and compiling it costs more than running it: `node bench/store.ts`
 * measured an upload's three database calls at 2.9× the CPU of raw `node:sqlite`
 * statements when built per call, 1.2× when prepared (with the project parse cache
 * of projects-repo.ts). A prepared query keeps Kysely as the one place SQL is written
 * for both engines (the dialect still compiles it) and skips the rebuild.
 *
 * The query is built with placeholder values, `p(0)`, `p(1)`, …; compiling it yields
 * SQL whose parameters are those placeholders, and each run swaps in the real
 * values by position. Only values may be placeholders, never the query's shape
 * (an `is null` test or a column list must be fixed when the query is built).
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

const MARK = '\u0000docket-param:';

/** The i-th argument of a prepared query, inside its builder. */
export function p<T = never>(i: number): T {
  return `${MARK}${i}` as T;
}

type Runner = Pick<Kysely<never>, 'executeQuery'>;

export interface PreparedQuery<R> {
  /** Runs on `db` (or a transaction of it) with the given values, in placeholder order. */
  run(db: Runner, ...values: unknown[]): Promise<QueryResult<R>>;
}

export function prepare<R>(build: () => Compilable<R>): PreparedQuery<R> {
  let compiled: CompiledQuery<R> | null = null;
  let slots: number[] = [];
  return {
    run(db, ...values) {
      if (compiled === null) {
        compiled = build().compile();
        slots = compiled.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? Number(v.slice(MARK.length)) : -1));
      }
      const fixed = compiled.parameters;
      const parameters = slots.map((slot, i) => (slot < 0 ? fixed[i] : values[slot]));
      return db.executeQuery({ ...compiled, parameters });
    },
  };
}
