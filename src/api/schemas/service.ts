/**
 * @module The token endpoint's, health's and the operator API's wire shapes. The
 * token endpoint keeps Aluma's own error shape (`{message, requestErrors}`), not
 * problem+json, because Aluma clients parse it (auth.ts).
 */
import { Type } from '@sinclair/typebox';
import { ref } from './common.ts';

const TOKEN_FIELDS = {
  grant_type: Type.Optional(Type.String({ enum: ['client_credentials'], description: 'Only `client_credentials` (RFC 6749 §4.4); may be left out.' })),
  client_id: Type.Optional(Type.String({ description: 'Required unless sent with HTTP Basic (client_secret_basic).' })),
  client_secret: Type.Optional(Type.String({ description: 'Required unless sent with HTTP Basic (client_secret_basic).' })),
};

export const TokenRequest = Type.Object(TOKEN_FIELDS, {
  $id: 'TokenRequest',
  description: 'Client credentials in the body (client_secret_post), or nothing but `grant_type` when they come in an `Authorization: Basic` header (client_secret_basic, RFC 6749 §2.3.1).',
});

/** The token request as a form: the form parser yields strings only, so the same shape validates both. */
export const TOKEN_BODY = {
  content: {
    'application/json': { schema: ref(TokenRequest) },
    'application/x-www-form-urlencoded': { schema: ref(TokenRequest) },
  },
};

export const Token = Type.Object({
  access_token: Type.String({ description: 'Send it as `Authorization: Bearer <token>`.' }),
  token_type: Type.String({ enum: ['Bearer'] }),
  expires_in: Type.Integer({ description: 'Seconds until the token expires (DOCKET_TOKEN_TTL_SECONDS).' }),
}, { $id: 'Token', description: 'An access token (RFC 6749 §5.1).' });

export const OAuthError = Type.Object({
  message: Type.String(),
  requestErrors: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Field name → what is wrong with it.' }),
}, { $id: 'OAuthError', description: 'The token endpoint\'s error, in Aluma\'s shape.' });

const oauthError = (description: string) => ({ description, content: { 'application/json': { schema: ref(OAuthError) } } });

export const TOKEN_ERRORS = {
  400: oauthError('The request is invalid: a missing credential, another grant type, a body that is not JSON or a form.'),
  401: oauthError('The client credentials are invalid (or the client is revoked).'),
  default: oauthError('An unexpected error; 503 with Retry-After while the database is away.'),
};

export const HealthCheckResult = Type.Object({
  name: Type.String(), ok: Type.Boolean(), detail: Type.String(),
}, { $id: 'HealthCheckResult' });

export const Health = Type.Object({
  status: Type.String({ enum: ['ok', 'unavailable'] }),
  uptime_seconds: Type.Integer(),
  checks: Type.Array(ref(HealthCheckResult)),
}, { $id: 'Health', description: 'The service\'s checks: each dependency, ok or why not.' });

export const AccountRequest = Type.Object({
  name: Type.Optional(Type.String({ description: 'The account\'s name.' })),
  admin_email: Type.Optional(Type.String({ description: 'The first admin\'s email.' })),
  admin_password: Type.Optional(Type.String({ description: 'Generated (20 characters) when absent.' })),
}, { $id: 'AccountRequest', description: 'A new account (tenant); `problems` of a 400 say what is missing.' });

export const AccountCredentials = Type.Object({
  account_id: Type.String(),
  name: Type.String(),
  admin_email: Type.String(),
  admin_password: Type.String({ description: 'Shown in this answer only.' }),
  client_id: Type.String(),
  client_secret: Type.String({ description: 'Shown in this answer only.' }),
}, { $id: 'AccountCredentials', description: 'The new account with its first admin and API client.' });
