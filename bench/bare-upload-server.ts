/**
 * @module The ingest baseline: a bare Fastify server whose one route streams the body
 * to a temp file, fsyncs it and renames it — the same disk work docket's upload does,
 * without auth, tags, database or queue. Run as a child process by bench/ingest.ts;
 * prints its port.
 */
import Fastify from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

const dir = process.argv[2] as string;
await mkdir(join(dir, 'tmp'), { recursive: true });
await mkdir(join(dir, 'files'), { recursive: true });
const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
app.post('/upload', async (req, reply) => {
  const id = randomBytes(16).toString('base64url');
  const tmp = join(dir, 'tmp', id);
  await pipeline(req.body as Readable, createWriteStream(tmp, { flags: 'wx' }));
  const fh = await open(tmp, 'r');
  await fh.sync();
  await fh.close();
  await rename(tmp, join(dir, 'files', id));
  return reply.code(202).send({ id, state: 'queued' });
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening on ${address}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
