/**
 * Montage Studio (issue 6): the prebuilt page in studio/dist, served at `/` with its files under
 * `/studio/`. The page is built once with Vite (`npm run build:studio`) and committed, so neither
 * `montage serve` nor `montage api` builds anything at run time.
 *
 * The folder is small (a few hundred KiB), so each file is read once, on its first request, and
 * kept in memory with a strong ETag. Vite's hashed files under assets/ never change under the same
 * name and are cached for a year; index.html is revalidated on every load (`no-cache`), so a new
 * release reaches the browser at once. None of these routes is in the OpenAPI document, and none
 * needs a key: the page holds nothing secret; it asks the person for their key and calls /v1.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MontageError } from '../errors/registry.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../studio/dist/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.srt': 'application/x-subrip',
  '.vtt': 'text/vtt; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * What the page may load and talk to: only this origin (blob: for the results it fetches with the
 * key and plays). 'unsafe-eval' is for Ajv, which compiles the composition schema in the browser;
 * inline styles are CodeMirror's.
 */
const CSP = [
  "default-src 'self'", "script-src 'self' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:", "media-src 'self' blob:", "connect-src 'self'", "object-src 'none'",
  "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
].join('; ');

interface StaticFile { readonly body: Buffer; readonly etag: string }

export interface StudioRoutesOptions {
  /** The built page; default studio/dist of this package. */
  readonly dir?: string;
}

export function studioRoutes(opts: StudioRoutesOptions = {}) {
  const root = resolve(opts.dir ?? DEFAULT_DIR);
  const files = new Map<string, Promise<StaticFile | null>>();

  const load = (rel: string): Promise<StaticFile | null> => {
    let f = files.get(rel);
    if (!f) {
      f = readFile(resolve(root, rel)).then(
        (body) => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }),
        () => null,
      );
      void f.then((v) => { if (!v) files.delete(rel); }); // a missing file may appear after a rebuild
      files.set(rel, f);
    }
    return f;
  };

  const send = async (req: FastifyRequest, reply: FastifyReply, rel: string) => {
    const f = await load(rel);
    if (!f) {
      if (rel === 'index.html') {
        throw new MontageError('MONTAGE_E_NOT_FOUND', 'Montage Studio is not built in this installation: run `npm run build:studio`.');
      }
      throw new MontageError('MONTAGE_E_NOT_FOUND', `No file /studio/${rel}.`);
    }
    const isPage = rel === 'index.html';
    reply
      .header('content-type', CONTENT_TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream')
      .header('etag', f.etag)
      .header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff');
    if (isPage) reply.header('content-security-policy', CSP).header('referrer-policy', 'no-referrer');
    if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
    return reply.send(f.body);
  };

  return async (app: FastifyInstance) => {
    const hidden = { schema: { hide: true } };
    app.get('/', hidden, (req, reply) => send(req, reply, 'index.html'));
    app.get('/studio', hidden, (_req, reply) => reply.redirect('/', 302));
    app.get('/studio/*', hidden, (req: FastifyRequest<{ Params: { '*': string } }>, reply) => {
      const rel = req.params['*'];
      const full = resolve(root, rel);
      if (rel === '' || rel === 'index.html') return send(req, reply, 'index.html');
      if (!full.startsWith(root + sep)) throw new MontageError('MONTAGE_E_NOT_FOUND', `No file /studio/${rel}.`);
      return send(req, reply, full.slice(root.length + 1).split(sep).join('/'));
    });
  };
}
