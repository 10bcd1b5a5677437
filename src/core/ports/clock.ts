/**
 * @module The clock port: injected everywhere time matters (leases, timeouts, retention), so
 * tests can drive time without waiting.
 */

/** The clock, injected so that leases, timeouts and retention are testable. */
export type Clock = () => number;
