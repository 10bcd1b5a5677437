/**
 * @module What the portal's routes are handed by the composition root: the API's
 * own deps, the session store, the dashboard's stats port and where the built web
 * app lives. The session store is core's `SessionRepository` port, which the
 * store implements, so the portal depends on core and api only.
 */
import type { SessionRepository } from '../../core/ports/session-repository.ts';
import type { StatsRepository } from '../../core/ports/stats-repository.ts';
import type { ApiDeps } from '../deps.ts';

export interface PortalConfig {
  /** Sliding session lifetime; 12 h covers a working day without a new login. */
  sessionTtlMs: number;
  /** Failed logins allowed per client address and per email within `loginWindowMs`. */
  loginAttempts: number;
  loginWindowMs: number;
  /** The built portal (`web/dist`); null or a missing folder answers 503 with how to build it. */
  webRoot: string | null;
}

export interface PortalDeps {
  api: ApiDeps;
  sessions: SessionRepository;
  stats: StatsRepository;
  config: PortalConfig;
}

export const DEFAULT_PORTAL_CONFIG: Omit<PortalConfig, 'webRoot'> = {
  sessionTtlMs: 12 * 3_600_000,
  loginAttempts: 10,
  loginWindowMs: 15 * 60_000,
};
