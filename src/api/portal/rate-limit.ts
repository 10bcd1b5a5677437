/**
 * @module Login throttling that cannot be turned against the people it protects.
 * Failures are counted per email-and-address (and, with a 10× larger budget, per
 * address alone, to slow one address spraying many emails) — never per email
 * alone, so failures from elsewhere never stop the right password from another
 * address. A key gets `limit` free tries; after that each further try waits a
 * delay that doubles per failure (1 s, 2 s, 4 s … capped at 15 min) instead of a
 * hard lock. A key forgets its failures once it has been quiet for `windowMs`
 * beyond its current delay, so waiting out the capped delay does not buy a fresh
 * set of free tries: past the free ones, a key gets about one try per 15 minutes.
 *
 * Every try is reserved SYNCHRONOUSLY, before the handler awaits anything (the
 * user lookup, the scrypt hash): JavaScript runs one handler at a time up to its
 * first await, so 60 parallel tries see each other's reservations and at most
 * `limit` are evaluated; the rest answer 429 at once. Kept in memory per process:
 * a restart forgets, and several API processes each allow their own quota —
 * scrypt's ~40 ms per try bounds the rate either way.
 */

export interface LoginAttempt {
  /** Seconds to wait before trying again; 0 when this try was reserved and may go on. */
  wait: number;
  /** Records how a reserved try ended; a success clears its email-and-address key. */
  finish(ok: boolean, now: number): void;
}

export interface LoginThrottle {
  /** Reserves one try for `email` from `ip`, or says how long to wait. Synchronous on purpose (see above). */
  begin(email: string, ip: string, now: number): LoginAttempt;
}

interface KeyState {
  failures: number;
  pending: number;
  lastFailure: number;
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;
/** The per-address budget, as a multiple of the per-email-and-address one. */
const ADDRESS_FACTOR = 10;
const PRUNE_AT = 10_000;

/** The delay before the next try of a key with `failures` failures, given `limit` free tries. */
export function delayAfter(failures: number, limit: number): number {
  if (failures < limit) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(30, failures - limit));
}

export function createLoginThrottle(limit: number, windowMs: number): LoginThrottle {
  const keys = new Map<string, KeyState>();
  // The larger budget's delay is never longer than the smaller one's, so one rule serves both keys.
  const forgotten = (s: KeyState, now: number) => s.pending === 0 && now - s.lastFailure >= windowMs + delayAfter(s.failures, limit);

  const prune = (now: number) => {
    // Bounded memory under a spray of keys: drop keys whose failures have been forgotten.
    if (keys.size < PRUNE_AT) return;
    for (const [k, s] of keys) if (forgotten(s, now)) keys.delete(k);
  };

  const stateOf = (key: string, now: number): KeyState => {
    let s = keys.get(key);
    if (s && forgotten(s, now)) s = undefined;
    if (!s) {
      s = { failures: 0, pending: 0, lastFailure: 0 };
      keys.set(key, s);
    }
    return s;
  };

  /** Milliseconds `s` must wait before one more try (0 = may try now). */
  const waitOf = (s: KeyState, keyLimit: number, now: number): number => {
    if (s.failures + s.pending < keyLimit) return 0;
    // Past the free tries, one try at a time: a parallel burst cannot slip between delays.
    if (s.pending > 0) return Math.max(BASE_DELAY_MS, delayAfter(s.failures + s.pending, keyLimit));
    return Math.max(0, s.lastFailure + delayAfter(s.failures, keyLimit) - now);
  };

  return {
    begin(email, ip, now) {
      prune(now);
      const pair = stateOf(`email:${email}\u0000ip:${ip}`, now);
      const address = stateOf(`ip:${ip}`, now);
      const waitMs = Math.max(waitOf(pair, limit, now), waitOf(address, limit * ADDRESS_FACTOR, now));
      if (waitMs > 0) return { wait: Math.max(1, Math.ceil(waitMs / 1000)), finish: () => undefined };
      pair.pending++;
      address.pending++;
      let done = false;
      return {
        wait: 0,
        finish(ok, at) {
          if (done) return;
          done = true;
          pair.pending--;
          address.pending--;
          if (ok) {
            pair.failures = 0;
            return;
          }
          for (const s of [pair, address]) {
            s.failures++;
            s.lastFailure = at;
          }
        },
      };
    },
  };
}
