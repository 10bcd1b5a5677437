/**
 * @module The portal's plug into the API (docs/portal.md): the session authenticator and
 * the route registrations, handed to `buildApp` as `AppExtensions` by the
 * composition root. Portal API routes live outside `/app` (`/session`, `/portal/…`,
 * `/admin/…`, `/tasks/{id}/…`) so the API's auth hook guards them; only the static
 * files under `/app/` are public.
 */
import type { AppExtensions } from '../app.ts';
import { DEFAULT_PORTAL_CONFIG, type PortalConfig, type PortalDeps } from './deps.ts';
import { registerSessionRoutes, sessionAuthenticator } from './session.ts';
import { registerAccountRoutes } from './admin-accounts.ts';
import { registerAdminTaskRoutes } from './admin-tasks.ts';
import { registerValidationRoutes } from './validation.ts';
import { registerWorkflowRoutes } from './workflow.ts';
import { registerAdminTaskPageRoutes } from './admin-task-pages.ts';
import { registerStaticRoutes } from './static.ts';

export type { PortalDeps, PortalConfig } from './deps.ts';

export function portalConfig(webRoot: string | null, overrides: Partial<PortalConfig> = {}): PortalConfig {
  return { ...DEFAULT_PORTAL_CONFIG, webRoot, ...overrides };
}

export function portalExtensions(deps: PortalDeps): Required<Pick<AppExtensions, 'authenticators' | 'plugins'>> {
  return {
    authenticators: [sessionAuthenticator(deps)],
    plugins: [
      (app) => {
        registerSessionRoutes(app, deps);
        registerAccountRoutes(app, deps);
        registerAdminTaskRoutes(app, deps);
        registerValidationRoutes(app, deps);
        registerWorkflowRoutes(app, deps);
        registerAdminTaskPageRoutes(app, deps);
      },
      (app) => registerStaticRoutes(app, deps.config.webRoot),
    ],
  };
}
