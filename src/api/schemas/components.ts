/**
 * @module How the route schemas become `/openapi.json`: the named components are
 * added to the app (so routes, the validator and the serializer resolve `$ref`s to
 * them), @fastify/swagger is told to name them by their `$id` instead of `def-N`,
 * a route's documented-only raw body (`rawBody`, common.ts) becomes its
 * `requestBody`, and the document's frame (OpenAPI 3.1, tags, security schemes)
 * is set here. `servers` is filled per request by `/openapi.json` (app.ts) with
 * the public URL the specifications' links use.
 */
import type { FastifyInstance } from 'fastify';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { TSchema } from '@sinclair/typebox';
import { isRecord } from '../../shared/records.ts';
import { PathProblem, Problem, type RawBody } from './common.ts';
import { Task, TaskError, TaskList } from './tasks.ts';
import { Action, Box, Document, DocumentType, ExportFile, ExportSpecification, Field, FailBody, SpecPage, ValidationResults, ValidationSpecification } from './specs.ts';
import { Project, ProjectList, ProjectSummary, ProjectVersion, ProjectWithVersions } from './projects.ts';
import { AccountCredentials, AccountRequest, Health, HealthCheckResult, OAuthError, Token, TokenRequest } from './service.ts';
import {
  ApiClient, ApiClientCreate, ApiClientCreated, ApiClientList, DemoInstalled, Draft, LoginRequest, PageWords, Preview, Queue, RejectRequest, Session, Stats,
  TaskDetail, TaskEvent, User, UserCreate, UserCreated, UserList, UserPatch,
} from './portal.ts';

/** Every named component, in the order the document lists them. */
export const COMPONENTS: readonly TSchema[] = [
  Problem, PathProblem, Task, TaskError, TaskList,
  ExportSpecification, ExportFile, ValidationSpecification, SpecPage, DocumentType, Document, Field, Box, Action, ValidationResults, FailBody,
  Project, ProjectSummary, ProjectList, ProjectVersion, ProjectWithVersions,
  TokenRequest, Token, OAuthError, Health, HealthCheckResult, AccountRequest, AccountCredentials,
  LoginRequest, Session, User, UserList, UserCreate, UserCreated, UserPatch, ApiClient, ApiClientList, ApiClientCreate, ApiClientCreated,
  TaskDetail, TaskEvent, DemoInstalled, Stats, Queue, PageWords, Preview, Draft, RejectRequest,
];

/** Adds the components to `app`; must run before any route that refers to them is registered. */
export function addComponents(app: FastifyInstance): void {
  for (const schema of COMPONENTS) app.addSchema(schema);
}

const TAGS = [
  { name: 'auth', description: 'Access tokens (OAuth 2.0 client credentials).' },
  { name: 'tasks', description: 'Upload a file as a task, follow it, list and cancel tasks.' },
  { name: 'client actions', description: 'Take a waiting task for validation or export, and hand it back.' },
  { name: 'projects', description: 'How tasks are captured: document types, fields, rules (docs/project-file.md).' },
  { name: 'portal', description: 'The validation portal\'s session and helpers (docs/portal.md).' },
  { name: 'admin', description: 'Users, API clients, task timelines and figures (admin role).' },
  { name: 'service', description: 'Health and metrics.' },
  { name: 'operator', description: 'For whoever runs the service: creating accounts (DOCKET_OPERATOR_TOKEN).' },
];

interface RouteSchema {
  rawBody?: RawBody;
  [key: string]: unknown;
}

export const SWAGGER_OPTIONS: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'docket API',
      version: '1',
      summary: 'Document capture with an Aluma-compatible Tasks API.',
      description: 'Upload a file as a task, let the pipeline capture its documents, validate them in the portal or your own client, and export the results. '
        + 'Errors are RFC 9457 problem+json with a stable `type` (`/problems/<code>`, docs/errors.md); the token endpoint answers errors in Aluma\'s `{message, requestErrors}` shape.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'This service (the document served at /openapi.json names its public URL).' }],
    tags: TAGS,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An access token from `POST /oauth/token`.' },
        session: { type: 'apiKey', in: 'cookie', name: 'docket_session', description: 'The portal\'s session cookie (`POST /session`); changes need X-CSRF-Token too.' },
        basic: { type: 'http', scheme: 'basic', description: 'Client credentials for `POST /oauth/token` (client_secret_basic, RFC 6749 §2.3.1).' },
        metrics: { type: 'http', scheme: 'bearer', description: 'DOCKET_METRICS_TOKEN, for `GET /metrics` only.' },
        operator: { type: 'http', scheme: 'bearer', description: 'DOCKET_OPERATOR_TOKEN, for the operator API only.' },
      },
    },
    // Every signed-in operation takes an API token or the portal's session cookie (auth.ts).
    security: [{ bearer: [] }, { session: [] }],
  },
  refResolver: {
    // Components are named by their $id (Task, Problem, …), which is what a client generator turns into type names.
    buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
  },
  transform: ({ schema, url }) => {
    const { rawBody, ...rest } = (schema ?? {}) as RouteSchema;
    if (!rawBody) return { schema: schema ?? {}, url };
    // @fastify/swagger drops a content map's description; transformObject puts it on the requestBody.
    return { schema: { ...rest, body: { content: rawBody.content }, 'x-body-description': rawBody.description } as typeof schema, url };
  },
  transformObject: (doc) => {
    if (!('openapiObject' in doc)) return doc.swaggerObject;
    // Raw bodies' descriptions (above), and bodies that may be left out (common.ts optionalJsonBody): @fastify/swagger marks every body required.
    for (const item of Object.values(doc.openapiObject.paths ?? {})) {
      for (const value of Object.values(item ?? {})) {
        const op: unknown = value;
        if (!isRecord(op)) continue;
        const described = op['x-body-description'];
        if (typeof described === 'string' && isRecord(op.requestBody)) op.requestBody.description = described;
        if (isRecord(op.requestBody) && 'x-body-optional' in op) op.requestBody.required = false;
        delete op['x-body-description'];
        delete op['x-body-optional'];
      }
    }
    return doc.openapiObject;
  },
};
