/**
 * @module The Fastify app factory: `buildApp(deps)` registers the problem handler,
 * authentication, the OpenAPI document (`/openapi.json`, browsable at `/docs`) and
 * one route file per resource. It never listens and never reads configuration, so
 * tests and the CLI build it the same way.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ApiDeps } from './deps.ts';
import { registerProblems } from './problems.ts';
import { registerAuth, type Authenticator } from './auth.ts';
import { installAccessRules } from './access.ts';
import { registerTaskRoutes } from './tasks.ts';
import { registerClientActionRoutes } from './client-actions.ts';
import { registerFileRoutes } from './files.ts';
import { registerProjectRoutes } from './projects.ts';
import { registerMemoryRoutes } from './memory.ts';
import { registerScorerRoutes } from './scorer.ts';
import { registerHealthRoutes, type HealthCheck } from './health.ts';
import { registerDatabaseGate } from './database-outage.ts';
import type { DatabaseHealth } from '../core/ports/database-health.ts';
import { addComponents, SWAGGER_OPTIONS } from './schemas/components.ts';
import { publicUrlResolver } from './public-url.ts';
import { capConnectionsPerIp, refuseDotSegments, serverOptions, DEFAULT_HTTP_LIMITS, type HttpLimits } from './limits.ts';
import { guardMetrics, registerOperatorRoutes } from './operator.ts';

export interface AppExtensions {
  /** Extra authenticators (the portal's session cookie). */
  authenticators?: Authenticator[];
  /** Extra routes (the portal's static files and session API), registered after the API. */
  plugins?: ((app: FastifyInstance) => Promise<void> | void)[];
  /** What `GET /health` checks; none = always 200. */
  healthChecks?: HealthCheck[];
  /** More lines for GET /metrics (ops-metrics.ts). */
  metrics?: () => Promise<string[]>;
  /** The database's health: uploads are refused with 503 while it is known to be down. */
  database?: DatabaseHealth;
  /** Timeouts and the per-address connection cap (limits.ts); defaults when absent. */
  http?: HttpLimits;
  /** The bearer token that opens /metrics; absent = /metrics answers 404. */
  metricsToken?: string;
  /** The bearer token of the operator API; absent = /operator/* answers 404. */
  operatorToken?: string;
}

export async function buildApp(deps: ApiDeps, ext: AppExtensions = {}): Promise<FastifyInstance> {
  const limits = ext.http ?? DEFAULT_HTTP_LIMITS;
  const app = Fastify({
    ...serverOptions(limits),
    logger: deps.logger ?? false,
    bodyLimit: deps.config.maxJsonBytes,
    // X-Forwarded-* is believed only from the configured proxies (DOCKET_TRUST_PROXY): else anyone picks their own address.
    trustProxy: deps.config.trustProxy && deps.config.trustProxy.length > 0 ? deps.config.trustProxy : false,
    // Per-request lines would dominate the log at 800+ uploads/s; /metrics counts requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
  });
  capConnectionsPerIp(app.server, limits.maxConnectionsPerIp);
  installAccessRules(app);
  addComponents(app);
  await app.register(swagger, SWAGGER_OPTIONS);
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(formbody);
  registerProblems(app);
  if (ext.database) registerDatabaseGate(app, ext.database);
  refuseDotSegments(app);
  registerAuth(app, deps, ext.authenticators);
  const publicUrl = publicUrlResolver(deps.config);
  // The document names the address its links use, so a client generated from it calls the same service.
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async (req) => ({ ...app.swagger(), servers: [{ url: publicUrl(req) }] }));
  guardMetrics(app, ext.metricsToken);
  registerHealthRoutes(app, deps, ext.healthChecks ?? [], ext.metrics);
  registerOperatorRoutes(app, deps, ext.operatorToken);
  registerTaskRoutes(app, deps);
  registerClientActionRoutes(app, deps);
  registerFileRoutes(app, deps);
  registerProjectRoutes(app, deps);
  registerMemoryRoutes(app, deps);
  registerScorerRoutes(app, deps);
  for (const plugin of ext.plugins ?? []) await app.register(async (scope) => plugin(scope));
  return app;
}
