/**
 * @module Serves the built portal (`web/dist`, Vite output) at `/app/`. Everything is
 * bundled (no CDN, no web fonts from the net), so a strict Content-Security-Policy
 * holds: scripts and connections to this origin only. Hashed assets are cached for a
 * year; `index.html` is revalidated so a new build takes effect on the next load.
 * The portal routes by URL hash (`/app/#/tasks/…`), so no server-side fallback is needed;
 * `/app` and `/app/` are one route (the app factory ignores trailing slashes).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { sendProblem } from '../problems.ts';

const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export async function registerStaticRoutes(app: FastifyInstance, webRoot: string | null): Promise<void> {
  if (!webRoot || !existsSync(join(webRoot, 'index.html'))) {
    app.get('/app/*', { schema: { hide: true } as object }, async (_req, reply) => sendProblem(reply, 'unavailable', 'the portal is not built: run `npm run build:web` (npm start builds it)'));
    return;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/app/',
    decorateReply: true,
    index: false,
    schemaHide: true,
    setHeaders(reply, path) {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // `/app` and `/app/` (one route here) answer the app itself; @fastify/static serves only the files under it.
  app.get('/app', { schema: { hide: true } as object }, async (_req, reply) => reply.sendFile('index.html'));
}
