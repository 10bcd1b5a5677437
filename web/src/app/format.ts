/**
 * @module How times read in the portal: ages and deadlines relative to now ("3 h",
 * "in 2 d"), clock times in the browser's zone, durations from milliseconds.
 */

export function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 6) / 10;
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

export function age(iso: string, now = Date.now()): string {
  return duration(now - Date.parse(iso));
}

export function until(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const ms = Date.parse(iso) - now;
  return ms < 0 ? `${duration(ms)} overdue` : `in ${duration(ms)}`;
}

export function clock(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function percent(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 1000) / 10} %`;
}
