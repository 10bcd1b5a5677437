/**
 * @module Where the suites over real documents find them, and whether they may run.
 * The corpus (`../shared/corpus` beside the checkout, or `DOCKET_CORPUS`) is not part
 * of the repository; when it or a folder a suite needs is missing, the suite is
 * skipped with the reason — unless DOCKET_REQUIRE_CORPUS=1 (set by CI), which turns
 * that into a failure, so a missing corpus cannot pass as a green run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS = process.env.DOCKET_CORPUS || new URL('../../../shared/corpus', import.meta.url).pathname;
export const REQUIRE_CORPUS = process.env.DOCKET_REQUIRE_CORPUS === '1';

/** Null when every folder is there with at least one file, else why not. */
export function corpusMissing(folders: readonly string[] = []): string | null {
  if (!existsSync(CORPUS)) return `corpus not found at ${CORPUS}`;
  for (const folder of folders) {
    const dir = join(CORPUS, folder);
    const entries = existsSync(dir) ? readdirSync(dir) : [];
    if (entries.length === 0) return `corpus folder ${dir} is missing or empty`;
  }
  return null;
}

/**
 * The `skip` option for a suite over the corpus: false to run, or the reason (set
 * DOCKET_CORPUS to the corpus folder); throws when DOCKET_REQUIRE_CORPUS=1.
 */
export function skipCorpus(...folders: string[]): false | string {
  const reason = corpusMissing(folders);
  if (reason === null) return false;
  if (REQUIRE_CORPUS) throw new Error(`DOCKET_REQUIRE_CORPUS=1 but ${reason}`);
  return `${reason}; set DOCKET_CORPUS to the corpus folder to run this suite`;
}
