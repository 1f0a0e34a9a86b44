/**
 * /v1/renders: submit (202, Idempotency-Key), get, list, cancel, live events (SSE) and outputs
 * (bytes with Range, or a redirect to a signed URL). Every call passes the caller's tenant to the
 * use case, so another tenant's render is a 404 like one that does not exist.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MontageError } from '../errors/registry.ts';
import { toRenderView } from '../jobs/render-view.ts';
import type { RenderRecord } from '../ports/render-store.ts';
import {
  IdParams, IdempotencyKeyHeader, ListRendersQuery, OutputQuery, problemResponses, type OutputKind,
} from './api-schemas.ts';
import { baseUrl } from './base-url.ts';
import { parseByteRange } from './byte-range.ts';
import type { HttpDeps } from './http-deps.ts';
import { sendRenderEvents, type OpenStreams } from './render-event-stream.ts';
import { bodyCheckedByUseCase } from './request-validation.ts';
import type { FastifySchemaCompiler } from 'fastify';

const tags = ['renders'];
const security = [{ bearerAuth: [] }];
const ref = (id: string) => ({ $ref: `${id}#` });

type IdReq = FastifyRequest<{ Params: { id: string } }>;

export function rendersRoutes(deps: HttpDeps, validator: FastifySchemaCompiler<unknown>, openStreams: OpenStreams) {
  return async (app: FastifyInstance) => {
    const view = (req: FastifyRequest) => (r: RenderRecord) => toRenderView(r, baseUrl(req, deps.publicUrl));

    // Every line a request about one render logs carries its id.
    app.addHook('preHandler', async (req, reply) => {
      const id = (req.params as { id?: string } | undefined)?.id;
      if (id) req.log = reply.log = req.log.child({ renderId: id });
    });

    app.post('/renders', {
      validatorCompiler: bodyCheckedByUseCase(validator),
      schema: {
        tags, security, summary: 'Submit a render',
        description: 'Validates the request completely (composition, limits, assets) before anything is queued. '
          + 'With an Idempotency-Key, the same key and body within 24 h return the first response (`Idempotent-Replayed: true`) and create nothing; '
          + 'the same key with another body is a 422; a duplicate sent while the first is still being handled is a 409.',
        headers: IdempotencyKeyHeader,
        body: ref('RenderRequest'),
        response: { 202: ref('Render'), ...problemResponses(400, 404, 409, 413, 415, 422, 503) },
      },
    }, async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const { render, replayed } = await deps.submitRender(req.tenant, req.body, { idempotencyKey: typeof key === 'string' ? key : undefined });
      req.log.info({ renderId: render.id, replayed }, replayed ? 'render request replayed' : 'render accepted');
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).header('location', `/v1/renders/${render.id}`).send(view(req)(render));
    });

    app.get('/renders', {
      schema: {
        tags, security, summary: 'List renders, newest first',
        querystring: ListRendersQuery,
        response: { 200: ref('RenderPage'), ...problemResponses(400) },
      },
    }, async (req) => {
      const q = req.query as { status?: string; limit?: number; cursor?: string };
      const page = await deps.listRenders(req.tenant, q);
      return { data: page.data.map(view(req)), nextCursor: page.nextCursor };
    });

    app.get('/renders/:id', {
      schema: { tags, security, summary: 'Get a render', params: IdParams, response: { 200: ref('Render'), ...problemResponses(404) } },
    }, async (req: IdReq) => view(req)(await deps.getRender(req.tenant, req.params.id)));

    app.post('/renders/:id/cancel', {
      schema: {
        tags, security, summary: 'Cancel a render',
        description: 'Stops a queued or running render (ffmpeg stops within about 2 s). Idempotent: a canceled render is returned as it is. A render that already succeeded or failed is a 409.',
        params: IdParams, response: { 200: ref('Render'), ...problemResponses(404, 409) },
      },
    }, async (req: IdReq) => view(req)(await deps.cancelRender(req.tenant, req.params.id)));

    app.get('/renders/:id/events', {
      schema: {
        tags, security, summary: 'Follow a render live (Server-Sent Events)',
        description: '`event: status` ({id, status, progress}) on every status change, `event: progress` ({id, progress, stage}) while it runs, '
          + 'then one `event: final` whose data is the Render, and the stream ends. Lines starting with `:` are keep-alive comments.',
        params: IdParams,
        produces: ['text/event-stream'],
        response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problemResponses(404) },
      },
    }, async (req: IdReq, reply) => sendRenderEvents(req, reply, req.tenant, req.params.id, {
      getRender: deps.getRender, events: deps.events, view: view(req),
      keepAliveMs: deps.sse?.keepAliveMs ?? 15_000, pollMs: deps.sse?.pollMs ?? 2_000,
    }, openStreams));

    app.get('/renders/:id/output', {
      schema: {
        tags, security, summary: 'Download a render’s result',
        description: 'The bytes, with `Range` support (206 Partial Content), or a 302 to a short-lived signed URL when the storage offers one. '
          + '409 while the render has not succeeded; 404 when it has no output of that kind.',
        params: IdParams, querystring: OutputQuery,
        response: {
          200: { description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          206: { description: 'the requested byte range', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          302: { description: 'redirect to a short-lived signed URL', type: 'null' },
          ...problemResponses(404, 409, 416),
        },
      },
    }, async (req: FastifyRequest<{ Params: { id: string }; Querystring: { kind?: OutputKind } }>, reply) =>
      sendRenderOutput(deps, req, reply, req.tenant, req.params.id, req.query.kind ?? 'video'));
  };
}

/**
 * A render's output: the bytes with `Range` support, or a 302 to a short-lived signed URL where the
 * storage offers one. Shared by /v1 and the Shotstack-compatible routes.
 */
export async function sendRenderOutput(
  deps: Pick<HttpDeps, 'getRender' | 'objects'>, req: FastifyRequest, reply: FastifyReply, tenant: string, id: string, kind: OutputKind,
) {
  const render = await deps.getRender(tenant, id);
  const out = render.outputs[kind];
  if (!out) {
    // Waiting helps only while the render may still succeed; a failed or canceled one never will.
    if (render.status === 'failed' || render.status === 'canceled') throw new MontageError('MONTAGE_E_CONFLICT', `The render ${render.status === 'failed' ? 'failed' : 'was canceled'}, so it has no outputs: submit it again to get them.`);
    if (render.status !== 'succeeded') throw new MontageError('MONTAGE_E_IN_PROGRESS', `The render is ${render.status}; its outputs exist once it succeeded.`);
    throw new MontageError('MONTAGE_E_NOT_FOUND', `The render has no ${kind}; ask for one with output.${kind} in the composition.`);
  }
  if (deps.objects.signedUrl) return reply.redirect(await deps.objects.signedUrl(out.key, 300), 302);
  const info = await deps.objects.stat(out.key);
  if (!info) throw new MontageError('MONTAGE_E_NOT_FOUND', `The ${kind} of this render is no longer stored.`);
  const r = parseByteRange(req.headers.range, info.size);
  reply.header('accept-ranges', 'bytes').header('cache-control', 'private, max-age=300');
  if (r.kind === 'unsatisfiable') {
    reply.header('content-range', `bytes */${info.size}`);
    throw new MontageError('MONTAGE_E_RANGE_NOT_SATISFIABLE', `The range ${req.headers.range} is outside the ${info.size} bytes of the file.`);
  }
  const obj = await deps.objects.get(out.key, r.kind === 'partial' ? { range: r.range } : {});
  const ext = out.key.slice(out.key.lastIndexOf('.') + 1);
  reply
    .header('content-type', out.contentType)
    .header('content-length', String(obj.end - obj.start + 1))
    .header('content-disposition', `inline; filename="${render.id}${kind === 'video' ? '' : `.${kind}`}.${ext}"`);
  if (r.kind === 'partial') reply.code(206).header('content-range', `bytes ${obj.start}-${obj.end}/${obj.size}`);
  return reply.send(obj.body);
}
