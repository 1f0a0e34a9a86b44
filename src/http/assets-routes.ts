/**
 * /v1/assets: media uploads. The request body is the file itself (any Content-Type), streamed
 * straight into the object store: never buffered whole, so a 1 GiB upload does not grow the heap,
 * and cut off with a 413 as soon as it passes the per-asset limit. The JSON body limit does not
 * apply here (this scope has its own content-type parser that hands on the raw stream).
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MontageError } from '../errors/registry.ts';
import type { AssetRecord } from '../ports/asset-store.ts';
import { IdParams, UploadQuery, problemResponses, type AssetView } from './api-schemas.ts';
import type { HttpDeps } from './http-deps.ts';

const tags = ['assets'];
const security = [{ bearerAuth: [] }];

export const toAssetView = (a: AssetRecord): AssetView => ({
  id: a.id, src: `asset:${a.id}`, filename: a.filename, contentType: a.contentType, bytes: a.bytes, sha256: a.sha256,
  probe: a.probe as AssetView['probe'], createdAt: a.createdAt,
});

type IdReq = FastifyRequest<{ Params: { id: string } }>;

export function assetsRoutes(deps: HttpDeps) {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    app.post('/assets', {
      schema: {
        tags, security, summary: 'Upload a media file',
        description: `The body is the file (streamed; Content-Type is kept). At most ${deps.limits.maxAssetBytes} bytes. Use the answer's \`src\` ("asset:ID") in a composition. `
          + 'The file is probed with the guards a render uses: video, images and audio (with their duration, size and streams in `probe`), fonts and captions are kept; anything no render could use is a 422 saying why.',
        querystring: UploadQuery,
        response: { 201: { $ref: 'Asset#' }, ...problemResponses(400, 413, 415, 422) },
      },
    }, async (req: FastifyRequest<{ Querystring: { filename?: string } }>, reply) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > deps.limits.maxAssetBytes) {
        reply.header('connection', 'close');
        throw new MontageError('MONTAGE_E_ASSET_TOO_LARGE', `The upload is ${declared} bytes; this service accepts at most ${deps.limits.maxAssetBytes} bytes per asset.`);
      }
      if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
        // A form is never a media file: say so, rather than that a good PNG inside it is unreadable.
        reply.header('connection', 'close');
        throw new MontageError('MONTAGE_E_UNSUPPORTED_MEDIA_TYPE', 'The upload is a multipart/form-data form; this route takes the file\'s own bytes as the body.', {
          problems: [{ pointer: '', detail: 'Send the file itself as the body, not a form: curl --data-binary @FILE "…/v1/assets?filename=NAME" (any Content-Type but multipart).' }],
        });
      }
      const body = req.body as Readable | undefined;
      if (!body || typeof (body as Partial<Readable>)[Symbol.asyncIterator] !== 'function') {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'The upload is empty: send the file\'s bytes as the request body.', { problems: [{ pointer: '', detail: 'Send the file\'s bytes as the body (curl --data-binary @FILE).' }] });
      }
      const abort = new AbortController();
      const onClose = () => { if (!req.raw.complete) abort.abort(new Error('the client went away mid-upload')); };
      req.raw.once('close', onClose);
      try {
        const contentType = req.headers['content-type']?.split(';')[0]?.trim() || undefined;
        const a = await deps.assets.upload(req.tenant, body, { filename: req.query.filename, contentType, signal: abort.signal });
        req.log.info({ assetId: a.id, bytes: a.bytes }, 'asset uploaded');
        return reply.code(201).header('location', `/v1/assets/${a.id}`).send(toAssetView(a));
      } catch (e) {
        reply.header('connection', 'close'); // the rest of an unread body must not be taken for a next request
        throw e;
      } finally {
        req.raw.off('close', onClose);
      }
    });

    app.get('/assets/:id', {
      schema: { tags, security, summary: 'Get an uploaded asset’s details', params: IdParams, response: { 200: { $ref: 'Asset#' }, ...problemResponses(404) } },
    }, async (req: IdReq) => toAssetView(await deps.assets.get(req.tenant, req.params.id)));

    app.delete('/assets/:id', {
      schema: {
        tags, security, summary: 'Delete an uploaded asset', params: IdParams,
        response: { 204: { description: 'deleted', type: 'null' }, ...problemResponses(404) },
      },
    }, async (req: IdReq, reply) => {
      await deps.assets.delete(req.tenant, req.params.id);
      return reply.code(204).send();
    });
  };
}
