/**
 * @module The third-party tools the API contract is checked with (Redocly, Spectral,
 * Prism, openapi-typescript), run from node_modules/.bin, and a service that only
 * serves its OpenAPI document. A missing tool skips its suite with the reason,
 * unless DOCKET_REQUIRE_CONTRACT_TOOLS=1 (set by CI), which makes it a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readConfig } from '../../src/cli/config.ts';
import { createApi, openRuntime } from '../../src/cli/wire.ts';
import type { Engines } from '../../src/pipeline/types.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const REQUIRE_TOOLS = process.env.DOCKET_REQUIRE_CONTRACT_TOOLS === '1';

export function toolPath(name: string): string {
  return join(ROOT, 'node_modules', '.bin', name);
}

/** The `skip` option for a suite that needs these tools: false to run, or the reason; throws when CI requires them. */
export function skipWithoutTools(...names: string[]): false | string {
  const missing = names.filter((n) => !existsSync(toolPath(n)));
  if (missing.length === 0) return false;
  const reason = `${missing.join(', ')} not installed (npm install)`;
  if (REQUIRE_TOOLS) throw new Error(`DOCKET_REQUIRE_CONTRACT_TOOLS=1 but ${reason}`);
  return reason;
}

/** Runs a tool; resolves with its output and exit code whatever the code (linters exit 1 on findings). */
export async function runTool(name: string, args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(toolPath(name), args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export interface DocumentService {
  url: string;
  close(): Promise<void>;
}

/** The API wired as `docket serve` wires it (no workers, no engines: no route runs), listening on a free loopback port. */
export async function serveDocument(env: Record<string, string> = {}): Promise<DocumentService> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-contract-'));
  const rt = await openRuntime(readConfig({ DOCKET_DATA_DIR: dir, LOG_LEVEL: 'warn', ...env }));
  const app = await createApi(rt, {} as Engines);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    async close() {
      await app.close();
      await rt.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
