/**
 * @module Login throttling: a fixed window of failed attempts per key (client address,
 * and separately the email tried), so guessing one account's password from many
 * addresses and many accounts from one address are both slowed. Ten failures per 15
 * minutes stops online guessing (≈ 1 000 tries a day per key) while a person who
 * mistypes a few times is never locked out. Kept in memory per process: a restart
 * forgets, and several API processes each allow their own quota — scrypt's ~40 ms per
 * try bounds the rate either way.
 */

export interface LoginLimiter {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number;
  fail(key: string, now: number): void;
  reset(key: string): void;
}

export function createLoginLimiter(limit: number, windowMs: number): LoginLimiter {
  const windows = new Map<string, { start: number; failures: number }>();
  const prune = (now: number) => {
    // Bounded memory under a spray of keys: drop windows that have ended.
    if (windows.size < 10_000) return;
    for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
  };
  return {
    retryAfter(key, now) {
      const w = windows.get(key);
      if (!w || now - w.start >= windowMs || w.failures < limit) return 0;
      return Math.ceil((w.start + windowMs - now) / 1000);
    },
    fail(key, now) {
      prune(now);
      const w = windows.get(key);
      if (!w || now - w.start >= windowMs) windows.set(key, { start: now, failures: 1 });
      else w.failures++;
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
