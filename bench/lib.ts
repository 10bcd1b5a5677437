/**
 * @module Small helpers the benchmarks share: flags, medians, a token and a project.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

export async function token(url: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: clientId, client_secret: clientSecret }) });
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function createProject(url: string, bearer: string, body: object): Promise<string> {
  const res = await fetch(`${url}/projects`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`project: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/**
 * CPU seconds (user + system) used so far by this process, its waited-for children, and its children still running
 * (the page engine keeps its Tesseract processes for the next page), from /proc; null where there is no /proc.
 */
export function cpuSeconds(): number | null {
  const ticks = 100; // USER_HZ: 100 on every Linux architecture Node supports (proc(5)).
  const fields = (pid: string): string[] | null => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    } catch {
      return null;
    }
  };
  const self = fields('self');
  if (!self) return null;
  // After ')': state is field 3 of proc(5), so field n is at index n - 3 (utime 14, stime 15, cutime 16, cstime 17).
  let total = Number(self[11]) + Number(self[12]) + Number(self[13]) + Number(self[14]);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const f = fields(pid);
    if (f && Number(f[1]) === process.pid) total += Number(f[11]) + Number(f[12]);
  }
  return total / ticks;
}

/**
 * CPU seconds (user + system, and its waited-for children's) used so far by process `pid`, from /proc/PID/stat;
 * 0 for none or one that is gone. Per-request CPU moves less with the machine's load than req/s does.
 */
export function cpuOf(pid: number | null): number {
  if (pid === null) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(x[11]) + Number(x[12]) + Number(x[13]) + Number(x[14])) / 100;
  } catch {
    return 0;
  }
}

/** The pid of the `docket serve` that test/helpers/server.ts started on `dataDir` (its DOCKET_DATA_DIR), found in /proc; null if none. */
export function serverPid(dataDir: string): number | null {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`DOCKET_DATA_DIR=${dataDir}`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('serve')) return Number(pid);
    } catch {
      // A process that ended, or one of another user, is not ours.
    }
  }
  return null;
}
