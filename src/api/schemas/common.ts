/**
 * @module The building blocks every route schema is made of (TypeBox, read by
 * Fastify's TypeBox type provider): the `Problem` component, error responses by
 * status, named references, nullable and enum helpers, security requirements, and
 * the raw-body declaration for routes whose body is a file. One schema per route
 * then validates the request, types the handler, serializes the answer and
 * becomes `/openapi.json` (docs/api-contract.md says how to declare a new route).
 *
 * Named components carry an `$id` and are referenced with `ref()`, so the OpenAPI
 * document shows `#/components/schemas/Task`, not an inlined copy; `components.ts`
 * registers them with the app.
 */
import type { Readable } from 'node:stream';
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A reference to a named component (`$id`), typed as the component. */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

type Primitive = 'string' | 'integer' | 'number' | 'boolean';
type PrimitiveType<P extends Primitive> = P extends 'string' ? string : P extends 'boolean' ? boolean : number;

/**
 * A primitive or null, written `type: [t, "null"]` (OpenAPI 3.1 / JSON Schema 2020-12)
 * rather than `anyOf`, which fast-json-stringify serializes without trying each branch.
 */
export function Nullable<P extends Primitive>(type: P, options: Record<string, unknown> = {}): TUnsafe<PrimitiveType<P> | null> {
  return Type.Unsafe<PrimitiveType<P> | null>({ ...options, type: [type, 'null'] });
}

/** A string of one of `values`, typed as their union. */
export function StringEnum<const V extends readonly string[]>(values: V, options: Record<string, unknown> = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, type: 'string', enum: [...values] });
}

/** An ISO 8601 UTC time (`2024-03-25T16:37:08Z`), as every time on the wire is. */
export const DateTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });

/** A path and a message: one problem of a file or a submission. */
export const PathProblem = Type.Object({
  path: Type.String({ description: 'Where the problem is, e.g. `documents[0].fields.total`.' }),
  message: Type.String(),
}, { $id: 'PathProblem', description: 'One problem, with where it is.' });

export const Problem = Type.Object({
  type: Type.String({ description: 'A stable reference `/problems/<code>`; the codes are listed in docs/errors.md.', examples: ['/problems/not_found'] }),
  title: Type.String({ description: 'The code\'s fixed title.' }),
  status: Type.Integer({ description: 'The HTTP status, repeated.' }),
  detail: Type.String({ description: 'What went wrong with this request.' }),
  problems: Type.Optional(Type.Array(ref(PathProblem), { description: '`invalid_results`, `invalid_project`, `invalid_request` of the operator API: every problem.' })),
  state: Type.Optional(Type.String({ description: '`wrong_state`, `not_holder`: the task\'s state.' })),
  client_action: Type.Optional(Nullable('string', { description: '`wrong_state`, `not_holder`: the task\'s client action.' })),
  tag: Type.Optional(Type.String({ description: '`malformed_tags`: the tag that is malformed.' })),
}, {
  $id: 'Problem',
  additionalProperties: true,
  description: 'An RFC 9457 (formerly 7807) problem: every error answer but the token endpoint\'s.',
});

const STATUS_TEXT = {
  400: 'The request is invalid (invalid_request, invalid_json, empty_body, malformed_tags).',
  401: 'Missing or invalid credentials (unauthorized); the answer carries `WWW-Authenticate: Bearer`.',
  403: 'Not allowed for this login (forbidden, csrf_failed).',
  404: 'No such resource in the caller\'s account (not_found).',
  409: 'The resource is not in the state this call needs (wrong_state, not_holder, conflict, idempotency_conflict).',
  410: 'The task ended and its files were deleted for good (gone).',
  413: 'The body is larger than the limit (payload_too_large).',
  415: 'The body has a media type this operation does not take (unsupported_media_type).',
  422: 'The body is well-formed but invalid; `problems` lists every problem.',
  429: 'Too many attempts (rate_limited); `Retry-After` says when to try again.',
} as const;

export type ErrorStatus = keyof typeof STATUS_TEXT;

const problemContent = { 'application/problem+json': { schema: ref(Problem) } };

/** problem+json answers for these statuses, plus `default` for the unexpected (500, 503 with Retry-After, 507). */
export function errors<const S extends readonly ErrorStatus[]>(...statuses: S) {
  const out: Record<string, { description: string; content: typeof problemContent }> = {};
  for (const status of statuses) out[status] = { description: STATUS_TEXT[status], content: problemContent };
  out.default = { description: 'An unexpected error (internal), the database or the disk away (database_unavailable, unavailable, insufficient_storage: with Retry-After).', content: problemContent };
  return out as { [K in S[number] | 'default']: { description: string; content: typeof problemContent } };
}

/** The errors of any route behind the bearer token: 401, 403 and the unexpected. */
export function signedInErrors<const S extends readonly ErrorStatus[]>(...statuses: S) {
  return errors(401, 403, ...statuses);
}

/** Operations anyone may call: no credentials (overrides the document's global bearer requirement). */
export const PUBLIC: { security: Record<string, string[]>[] } = { security: [] };

/** A 22-character task, project or user id in the path. */
export const IdParams = Type.Object({ id: Type.String({ description: 'The resource\'s id.', minLength: 1 }) });

/**
 * A body Fastify must not parse or validate (a file streamed to the blob store, a
 * project file read as bytes), documented for OpenAPI only: `components.ts`'s
 * swagger transform turns `rawBody` into the operation's `requestBody`.
 */
export interface RawBody {
  description: string;
  content: Record<string, { schema: TSchema }>;
}

/**
 * An optional JSON body: validated when a JSON body is sent, absent otherwise (a
 * plain body schema would refuse an empty request). Spread into the route schema;
 * the `x-body-optional` mark makes `requestBody.required` false (components.ts).
 */
export function optionalJsonBody<T extends TSchema>(schema: T) {
  return { body: { content: { 'application/json': { schema } } }, 'x-body-optional': true } as const;
}

/** Bytes: a file in a request body (documentation only) or a download (a buffer or a stream the handler sends as is). */
export const Binary = (description?: string) => Type.Unsafe<string | Uint8Array | Readable>({ type: 'string', format: 'binary', ...(description ? { description } : {}) });

/** The `Location` header of an answer that created something: the new resource's path. */
export const LOCATION = { location: { type: 'string', description: 'The path of the created resource, e.g. `/tasks/{id}`.' } } as const;
