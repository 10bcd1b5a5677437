/**
 * @module The docket processes of the database chaos test, as real children: one
 * API-only `docket serve` (DOCKET_WORKERS=0) and `docket worker`s sharing its blob
 * folder and the private cluster. Each keeps its output (for the failure message) and
 * whether and how it exited, which is what the test is about.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
export const CLIENT_ID = 'chaos-client';
export const CLIENT_SECRET = 'chaos-secret-0123456789';

export interface DocketProcess {
  name: string;
  child: ChildProcess;
  /** Set when the process ended: its code or signal. */
  exited: string | null;
  output(): string;
  /** Whether the process has written `text` (its log lines included). */
  saw(text: string): boolean;
  stop(): Promise<void>;
}

/** Starts `docket <command>` and resolves once its output matches `ready` (the URL for serve). */
export function spawnDocket(name: string, command: 'serve' | 'worker', env: Record<string, string>, ready: RegExp): Promise<{ proc: DocketProcess; match: RegExpExecArray }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MAIN, command], {
      env: { ...process.env, LOG_LEVEL: 'warn', DOCKET_BOOTSTRAP_CLIENT_ID: CLIENT_ID, DOCKET_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const proc: DocketProcess = {
      name,
      child,
      exited: null,
      // Why a process died is at the start of its crash report (the error) and at the end (the exit); not in between.
      saw: (text) => out.includes(text),
      output: () => (out.length > 6000 ? `${out.slice(0, 3000)}\n…\n${out.slice(-3000)}` : out),
      async stop() {
        if (proc.exited !== null) return;
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await gone;
        clearTimeout(timer);
      },
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start in 60 s:\n${out}`));
    }, 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ proc, match: m });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => void (out += d.toString()));
    child.on('exit', (code, signal) => {
      proc.exited = signal ?? `exit ${code}`;
      clearTimeout(timer);
      reject(new Error(`${name} exited (${proc.exited}) before it was ready:\n${out}`));
    });
  });
}
