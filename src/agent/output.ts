/**
 * @module What the agent prints. On a terminal: one live status line, redrawn at most
 * 5 times a second, with events worth reading (failures, server down) printed above
 * it. Otherwise (a service, a pipe, a log collector): one JSON object per line with
 * `time`, `level`, `msg` and the event's fields, and the same counts every 30 s.
 */

export interface Counts {
  waiting: number;
  uploading: number;
  processing: number;
  intakeDone: number;
  intakeFailed: number;
  exporting: number;
  exportedTasks: number;
  exportedFiles: number;
  exportFailed: number;
}

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Reporter {
  readonly counts: Counts;
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
  server(state: string | null): void;
  close(): void;
}

function emptyCounts(): Counts {
  return { waiting: 0, uploading: 0, processing: 0, intakeDone: 0, intakeFailed: 0, exporting: 0, exportedTasks: 0, exportedFiles: 0, exportFailed: 0 };
}

export function statusLine(c: Counts, server: string | null, filesPerSecond: number): string {
  const parts = [
    `intake: ${c.waiting} waiting, ${c.uploading} uploading, ${c.processing} processing, ${c.intakeDone} done, ${c.intakeFailed} failed`,
    `export: ${c.exporting} running, ${c.exportedTasks} tasks / ${c.exportedFiles} files, ${c.exportFailed} failed`,
    `${filesPerSecond.toFixed(1)} files/s`,
  ];
  if (server) parts.push(server);
  return `docket agent | ${parts.join(' | ')}`;
}

class TtyReporter implements Reporter {
  readonly counts = emptyCounts();
  readonly #out: NodeJS.WriteStream;
  readonly #timer: NodeJS.Timeout;
  readonly #started = Date.now();
  #server: string | null = null;

  constructor(out: NodeJS.WriteStream) {
    this.#out = out;
    this.#timer = setInterval(() => this.#draw(), 200);
    this.#timer.unref();
  }

  #draw(): void {
    const rate = this.counts.exportedFiles / Math.max(1, (Date.now() - this.#started) / 1000);
    const line = statusLine(this.counts, this.#server, rate);
    const width = this.#out.columns || 120;
    this.#out.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  }

  log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    if (level === 'debug' || (level === 'info' && !fields.important)) return;
    const detail = Object.entries(fields).filter(([k]) => k !== 'important').map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    this.#out.write(`\r\x1b[2K${new Date().toISOString().slice(11, 19)} ${level.toUpperCase()} ${msg}${detail ? ` (${detail})` : ''}\n`);
    this.#draw();
  }

  server(state: string | null): void {
    this.#server = state;
    this.#draw();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#draw();
    this.#out.write('\n');
  }
}

class JsonReporter implements Reporter {
  readonly counts = emptyCounts();
  readonly #out: NodeJS.WritableStream;
  readonly #timer: NodeJS.Timeout;

  constructor(out: NodeJS.WritableStream) {
    this.#out = out;
    this.#timer = setInterval(() => this.log('info', 'progress', { ...this.counts }), 30_000);
    this.#timer.unref();
  }

  log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    if (level === 'debug') return;
    const { important: _ignored, ...rest } = fields;
    this.#out.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...rest })}\n`);
  }

  server(state: string | null): void {
    this.log(state ? 'warn' : 'info', state ?? 'server reachable');
  }

  close(): void {
    clearInterval(this.#timer);
    this.log('info', 'stopped', { ...this.counts });
  }
}

export function createReporter(mode: 'auto' | 'json' | 'tty', out: NodeJS.WriteStream = process.stdout): Reporter {
  const tty = mode === 'tty' || (mode === 'auto' && out.isTTY === true);
  return tty ? new TtyReporter(out) : new JsonReporter(out);
}
