/**
 * The Shotstack-compatible Edit API, under /edit/v1 and /edit/stage (the paths of Shotstack's own
 * base URL, so its SDKs work by changing the host): render, render status, templates. Requests
 * authenticate with the same API keys as /v1, sent as `x-api-key` (or `Authorization: Bearer`),
 * and go through the same use cases, limits, SSRF guard and idempotency; only the shapes are
 * Shotstack's: the `{success, message, response}` envelope and its error body. The mapping of an
 * Edit to a composition is src/shotstack/ (docs/shotstack.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, MontageError, type FieldProblem } from '../errors/registry.ts';
import { pointerToken } from '../composition/json-pointer.ts';
import type { RenderRecord } from '../ports/render-store.ts';
import { inEditMessage, inEditTerms } from '../shotstack/composition-problem-paths.ts';
import { editUnsupported } from '../shotstack/edit-problems-error.ts';
import { boxedSources, importShotstackEdit, looksLikeShotstackEdit, type SourceSize } from '../shotstack/edit-to-composition.ts';
import { isObject } from '../shotstack/edit-problems.ts';
import { mergeEdit } from '../shotstack/merge-edit.ts';
import {
  CALLBACK_METADATA_KEY, EDIT_METADATA_KEY, GIF_PLAYS_ONCE_METADATA_KEY, editObjectKey, envelope, renderResponse, templateListItem, type OutputLinks,
} from '../shotstack/shotstack-views.ts';
import { STATUS_LINK_TTL_SECONDS } from '../shotstack/signed-output-links.ts';
import { createHash } from 'node:crypto';
import { baseUrl } from './base-url.ts';
import type { HttpDeps } from './http-deps.ts';
import { asMontageError } from './problem.ts';
import { limitRequestsPerKey } from './rate-limit.ts';
import { sendRenderOutput } from './renders-routes.ts';

const tags = ['shotstack'];
const security: Record<string, string[]>[] = [{ apiKeyHeader: [] }, { bearerAuth: [] }];
const envelopeSchema = { description: 'Shotstack\'s response envelope: {success, message, response}', type: 'object', additionalProperties: true };
const errorSchema = { description: 'Shotstack\'s error body: {success: false, message, response: {error, details: [{path, message}]}}', type: 'object', additionalProperties: true };

type IdReq = FastifyRequest<{ Params: { id: string } }>;

const apiKey = (req: FastifyRequest): string | undefined => {
  const h = req.headers['x-api-key'];
  if (typeof h === 'string' && h.trim()) return h.trim();
  const m = typeof req.headers.authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization) : null;
  return m?.[1];
};

/** `[{find, replace}]` → Montage merge values. */
const mergeOf = (merge: unknown): Record<string, string | number | boolean> => {
  if (merge === undefined) return {};
  if (!Array.isArray(merge)) throw new MontageError('MONTAGE_E_EDIT_UNSUPPORTED', 'merge must be an array.', { problems: [{ pointer: '/merge', detail: 'must be an array of {"find": KEY, "replace": value}.' }] });
  const out: Record<string, string | number | boolean> = {};
  const problems = merge.flatMap((m, i) => {
    if (!isObject(m) || typeof m.find !== 'string' || !['string', 'number', 'boolean'].includes(typeof m.replace)) {
      return [{ pointer: `/merge/${i}`, detail: 'must be {"find": KEY, "replace": a string, number or boolean}.' }];
    }
    out[m.find.trim()] = m.replace as string | number | boolean;
    return [];
  });
  if (problems.length) throw new MontageError('MONTAGE_E_EDIT_UNSUPPORTED', 'The merge fields are invalid.', { problems });
  return out;
};

/** The Edit with a template render's merge values overlaid on its own `merge` (Shotstack's `data` of such a render). */
const withMerge = (edit: unknown, extra: Record<string, string | number | boolean>): unknown => {
  if (!isObject(edit) || Object.keys(extra).length === 0) return edit;
  const own = Array.isArray(edit.merge) ? edit.merge.filter((m) => !(isObject(m) && typeof m.find === 'string' && m.find.trim() in extra)) : [];
  return { ...edit, merge: [...own, ...Object.entries(extra).map(([find, replace]) => ({ find, replace }))] };
};

/** Boxed clips' sources read at once at submit (each a download and a probe). */
const BOXED_PROBES = 4;

/** The Edit as a composition, refusing with every problem at once. */
const imported = (edit: unknown, sourceSizes?: ReadonlyMap<string, SourceSize>) => {
  const r = importShotstackEdit(edit, sourceSizes ? { sourceSizes } : {});
  if (r.problems.length) throw editUnsupported(r.problems);
  return r;
};

/**
 * The body of POST and PUT /templates, `{name, template}`, in the request's own terms: an unknown
 * field or a missing or malformed `template` is named at its path here (the template use cases
 * speak of `composition`, /v1's name for it).
 */
const templateBody = (body: unknown, partial: boolean): { name?: unknown; template?: unknown } => {
  if (!isObject(body)) {
    throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'The body must be a JSON object.', { problems: [{ pointer: '', detail: 'Send {"name": "…", "template": {"timeline": …, "output": …}}.' }] });
  }
  const problems: FieldProblem[] = [];
  for (const k of Object.keys(body)) {
    if (k !== 'name' && k !== 'template') problems.push({ pointer: `/${pointerToken(k)}`, detail: `Unknown property "${k}": remove it (a template takes name and template).` });
  }
  if (body.template === undefined ? !partial : !isObject(body.template)) {
    problems.push({ pointer: '/template', detail: 'must be the Edit to save: {"timeline": {…}, "output": {…}}.' });
  }
  if (problems.length) throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'Invalid template.', { problems });
  return body;
};

export function shotstackRoutes(deps: HttpDeps, stage: 'v1' | 'stage') {
  return async (app: FastifyInstance) => {
    app.decorateRequest('tenant', '');
    app.decorateRequest('keyId', '');
    app.addHook('onRequest', async (req, reply) => {
      // A signed output link (src/shotstack/signed-output-links.ts) is its own credential: no key.
      const q = req.query as Record<string, unknown>;
      if ((req.method === 'GET' || req.method === 'HEAD') && req.routeOptions.url?.endsWith('/render/:id/output') && q.signature !== undefined && !apiKey(req)) {
        if (!deps.outputLinks) throw new MontageError('MONTAGE_E_LINK_INVALID', 'This service signs no links (set MONTAGE_URL_SECRET on the api and workers); send the x-api-key header instead.');
        const { tenant } = deps.outputLinks.verify((req.params as { id: string }).id, q);
        req.tenant = tenant;
        req.keyId = `signed-link:${tenant}`;
        req.log = reply.log = req.log.child({ tenant, signedLink: true });
        return;
      }
      const { tenant, keyId } = await deps.keys.authenticateKey(apiKey(req)).catch((e: unknown) => {
        // Shotstack's clients send the key as x-api-key (the SDK's DeveloperKey): say so, not only Bearer.
        throw e instanceof MontageError && e.code === 'MONTAGE_E_UNAUTHORIZED'
          ? new MontageError('MONTAGE_E_UNAUTHORIZED', 'A valid API key is required: send a Montage key (mk_..., from montage keys create) in the x-api-key header, as Shotstack clients do (shotstack-sdk: client.authentications.DeveloperKey.apiKey), or as Authorization: Bearer mk_...')
          : e;
      });
      req.tenant = tenant.id;
      req.keyId = keyId;
      req.log = reply.log = req.log.child({ tenant: tenant.id, keyId });
    });
    await limitRequestsPerKey(app, deps);
    app.setErrorHandler((error, req, reply) => {
      const e = asMontageError(error, { maxBodyBytes: deps.limits.maxBodyBytes });
      if (e.status >= 500) req.log.error({ err: e.cause ?? e, code: e.code }, 'request failed');
      else req.log.info({ code: e.code, status: e.status }, e.message.split('\n')[0]);
      return reply.code(e.status).send({
        success: false,
        message: ERRORS[e.code].title,
        response: {
          error: e.message,
          code: e.code,
          ...(e.problems.length ? { details: e.problems.map((p) => ({ path: p.pointer, message: p.detail })) } : {}),
        },
      });
    });

    /**
     * Links that download without credentials, as Shotstack's are: S3's presigned URLs where the
     * storage has them, else the output route signed with the service's secret; the route with the
     * key only where neither exists (api without MONTAGE_URL_SECRET on file storage).
     */
    const links = async (req: FastifyRequest, r: RenderRecord): Promise<OutputLinks> => {
      const out: OutputLinks = {};
      const expiresAt = Date.now() / 1000 + STATUS_LINK_TTL_SECONDS;
      for (const kind of ['video', 'poster', 'thumbnail'] as const) {
        const o = r.outputs[kind];
        if (!o) continue;
        const route = `${baseUrl(req, deps.publicUrl)}/edit/${stage}/render/${r.id}/output`;
        out[kind] = deps.objects.signedUrl
          ? await deps.objects.signedUrl(o.key, STATUS_LINK_TTL_SECONDS)
          : deps.outputLinks ? `${route}${deps.outputLinks.query(r.tenant, r.id, kind, expiresAt)}` : `${route}?kind=${kind}`;
      }
      return out;
    };
    /** The Edit as submitted (Shotstack's `data`), kept beside the outputs under its content hash. */
    const keepEdit = async (tenant: string, data: unknown): Promise<string> => {
      const bytes = Buffer.from(JSON.stringify(data));
      const hash = createHash('sha256').update(bytes).digest('hex');
      await deps.objects.put(editObjectKey(tenant, hash), (async function* () { yield bytes; })(), { contentType: 'application/json' });
      return hash;
    };
    const keptEdit = async (r: RenderRecord): Promise<unknown> => {
      const hash = r.metadata?.[EDIT_METADATA_KEY];
      if (typeof hash !== 'string') return undefined;
      const o = await deps.objects.get(editObjectKey(r.tenant, hash)).catch(() => null);
      if (!o) return undefined;
      const chunks: Buffer[] = [];
      for await (const c of o.body) chunks.push(Buffer.from(c as Uint8Array));
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    };
    const submit = async (req: FastifyRequest, reply: FastifyReply, edit: unknown, merge: Record<string, string | number | boolean> = {}) => {
      const merged = mergeEdit(edit, merge);
      // A video or image clip with width/height is fitted into its box by the source's size: read
      // now, through the same guarded fetcher and probe as GET /probe (clip-box-fit.ts).
      // At most MONTAGE_MAX_ASSETS of them (as a composition's sources), read BOXED_PROBES at a time.
      const boxed = boxedSources(merged);
      const maxAssets = deps.limits.maxAssets ?? 200;
      if (boxed.length > maxAssets) {
        throw editUnsupported([{ path: ['timeline', 'tracks'], message: `${boxed.length} different video and image sources have a clip width or height; this service accepts at most ${maxAssets} sources in a render. Split the Edit into several renders.` }]);
      }
      const probeSize = async (src: string): Promise<[string, SourceSize]> => {
        try {
          const v = (await deps.probeUrl(req.tenant, src)).video;
          return [src, v ? { width: v.width, height: v.height } : { error: 'it has no picture.' }];
        } catch (e) {
          return [src, { error: e instanceof Error ? e.message : String(e) }];
        }
      };
      const sizes: [string, SourceSize][] = [];
      for (let i = 0; i < boxed.length; i += BOXED_PROBES) sizes.push(...await Promise.all(boxed.slice(i, i + BOXED_PROBES).map(probeSize)));
      const sourceSizes = boxed.length ? new Map(sizes) : undefined;
      const { composition, callback, warnings, clipOrigins, gifPlaysOnce } = imported(merged, sourceSizes);
      // As /v1 refuses a webhook.url it could never post to, before anything is queued.
      const refused = callback === undefined ? null : await deps.checkDestination?.(callback);
      if (refused) {
        throw new MontageError(refused.code === 'MONTAGE_E_FETCH_FORBIDDEN' ? refused.code : 'MONTAGE_E_UNREACHABLE', `/callback: ${refused.detail}`, {
          problems: [{ pointer: '/callback', detail: refused.detail }],
        });
      }
      for (const w of warnings) req.log.warn({ warning: w }, 'shotstack edit imported with an approximation');
      const key = req.headers['idempotency-key'];
      // Stored before the render exists, so a render that has the hash always finds its Edit.
      const editHash = await keepEdit(req.tenant, withMerge(edit, merge));
      // A composition rule the import does not repeat is reported at its path in the Edit.
      const { render, replayed } = await deps.submitRender(req.tenant, { composition }, {
        idempotencyKey: typeof key === 'string' ? key : undefined,
        // mergeEdit filled the Edit (and refused what it could not fill): a {{X}} a merge value
        // brought is text, as in Shotstack, not a placeholder to fill again.
        filled: true,
        serviceMetadata: { [EDIT_METADATA_KEY]: editHash, ...(callback ? { [CALLBACK_METADATA_KEY]: callback } : {}), ...(gifPlaysOnce ? { [GIF_PLAYS_ONCE_METADATA_KEY]: true } : {}) },
      }).catch((e: unknown) => { throw inEditTerms(e, clipOrigins); });
      req.log.info({ renderId: render.id, replayed }, 'shotstack render accepted');
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(envelope('Created', { message: 'Render Successfully Queued', id: render.id }));
    };

    app.post('/render', {
      schema: {
        tags, security, summary: 'Render a Shotstack Edit',
        description: 'Imports the Edit (docs/shotstack.md), checks it like POST /v1/renders, queues it. 201 with the render id; 400 names every path Montage cannot render.',
        body: { type: 'object', description: 'A Shotstack Edit: {timeline, output, merge?, callback?}' },
        response: { 201: envelopeSchema, 400: errorSchema, 401: errorSchema, 422: errorSchema, 429: errorSchema },
      },
    }, async (req, reply) => submit(req, reply, req.body));

    app.get('/render/:id', {
      schema: {
        tags, security, summary: 'Get a render\'s status (Shotstack shape)',
        description: 'status: queued, fetching, rendering, saving, done or failed; url, poster and thumbnail once done (links that download without a key). '
          + '`data=true` includes the Edit as submitted (default false: Shotstack\'s documented coming default, and shotstack-sdk 0.2.9 cannot read an Edit back); with it, `merged=true` shows the Edit with its merge fields applied.',
        querystring: { type: 'object', properties: { data: { type: 'boolean' }, merged: { type: 'boolean' } } },
        response: { 200: envelopeSchema, 404: errorSchema },
      },
    }, async (req: FastifyRequest<{ Params: { id: string }; Querystring: { data?: boolean; merged?: boolean } }>) => {
      const found = await deps.getRender(req.tenant, req.params.id);
      // A failure found while rendering names a composition pointer: said at its path in the Edit.
      const edit = found.error?.message.startsWith('/') ? await keptEdit(found) : undefined;
      const r = edit === undefined || !found.error ? found
        : { ...found, error: { ...found.error, message: inEditMessage(found.error.message, importShotstackEdit(mergeEdit(edit)).clipOrigins) } };
      // Only when asked for: the SDK's own models cannot read an Edit back (docs/shotstack.md).
      const data = req.query.data === true ? await keptEdit(r) : undefined;
      return envelope('OK', renderResponse(r, await links(req, r), data !== undefined && req.query.merged ? mergeEdit(data) : data));
    });

    app.get('/render/:id/output', {
      schema: {
        tags, security: [...security, {}], summary: 'Download a render\'s output',
        description: '`?kind=video` (default), `poster` or `thumbnail`; bytes with Range support, or a redirect to a signed URL. '
          + 'With `owner`, `expires` and `signature` (the `url` GET render and callbacks hand out) no API key is needed; a changed or expired link is 403 MONTAGE_E_LINK_INVALID.',
        response: {
          200: { description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          206: { description: 'the requested byte range', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          302: { description: 'redirect to a short-lived signed URL', type: 'null' },
          403: errorSchema, 404: errorSchema, 409: errorSchema, 416: errorSchema,
        },
      },
    }, async (req: FastifyRequest<{ Params: { id: string }; Querystring: { kind?: string } }>, reply) => {
      const kind = req.query.kind ?? 'video';
      if (kind !== 'video' && kind !== 'poster' && kind !== 'thumbnail') {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', `kind must be video, poster or thumbnail, not "${kind}".`);
      }
      return sendRenderOutput(deps, req, reply, req.tenant, req.params.id, kind);
    });

    app.get('/probe/:url', {
      schema: {
        tags, security, summary: 'Inspect a media file (Shotstack\'s probe)',
        description: 'Fetches the URL (URL-encoded in the path) through the same guarded fetcher as renders and probes it: `response.metadata` has `streams` and `format` in ffprobe\'s field names.',
        response: { 200: envelopeSchema, 400: errorSchema, 422: errorSchema },
      },
    }, async (req: FastifyRequest<{ Params: { url: string } }>) => {
      const m = await deps.probeUrl(req.tenant, req.params.url);
      const rate = (fps?: number) => (fps ? `${Math.round(fps * 1000)}/1000` : undefined);
      const streams = [
        ...(m.video ? [{ index: 0, codec_type: 'video', codec_name: m.video.codec, width: m.video.width, height: m.video.height, ...(m.video.fps ? { r_frame_rate: rate(m.video.fps) } : {}) }] : []),
        ...(m.audio ? [{ index: m.video ? 1 : 0, codec_type: 'audio', codec_name: m.audio.codec, channels: m.audio.channels, sample_rate: String(m.audio.sampleRate) }] : []),
      ];
      return envelope('ok', { metadata: { streams, format: { format_name: m.container, ...(m.duration !== undefined ? { duration: String(m.duration) } : {}) } } });
    });

    app.post('/templates', {
      schema: {
        tags, security, summary: 'Save a Shotstack template',
        body: { type: 'object', description: '{name, template: Edit}' },
        response: { 201: envelopeSchema, 400: errorSchema },
      },
    }, async (req, reply) => {
      const b = templateBody(req.body, false);
      const t = await deps.templates.create(req.tenant, { name: b.name, composition: b.template });
      return reply.code(201).send(envelope('Created', { message: 'Template Successfully Created', id: t.id }));
    });

    app.get('/templates', {
      schema: { tags, security, summary: 'List templates', response: { 200: envelopeSchema } },
    }, async (req) => {
      const templates = [];
      let cursor: string | undefined;
      do {
        const page = await deps.templates.list(req.tenant, { limit: 100, cursor });
        templates.push(...page.data.map(templateListItem));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && templates.length < 1000);
      return envelope('OK', { owner: req.tenant, templates });
    });

    app.get('/templates/:id', {
      schema: { tags, security, summary: 'Get a template', response: { 200: envelopeSchema, 404: errorSchema } },
    }, async (req: IdReq) => {
      const t = await deps.templates.get(req.tenant, req.params.id);
      return envelope('OK', { id: t.id, name: t.name, owner: t.tenant, template: t.composition });
    });

    app.put('/templates/:id', {
      schema: { tags, security, summary: 'Replace a template', body: { type: 'object' }, response: { 200: envelopeSchema, 400: errorSchema, 404: errorSchema } },
    }, async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const b = templateBody(req.body, true);
      const t = await deps.templates.update(req.tenant, req.params.id, { name: b.name, composition: b.template });
      return envelope('OK', { message: 'Template Successfully Updated', id: t.id });
    });

    app.delete('/templates/:id', {
      schema: { tags, security, summary: 'Delete a template', response: { 200: envelopeSchema, 404: errorSchema } },
    }, async (req: IdReq) => {
      await deps.templates.delete(req.tenant, req.params.id);
      return envelope('OK', { message: 'Template Successfully Deleted', id: req.params.id });
    });

    app.post('/templates/render', {
      schema: {
        tags, security, summary: 'Render a saved template with merge fields',
        body: { type: 'object', description: '{id, merge: [{find, replace}]}' },
        response: { 201: envelopeSchema, 400: errorSchema, 404: errorSchema },
      },
    }, async (req, reply) => {
      const b = isObject(req.body) ? req.body : {};
      if (typeof b.id !== 'string') throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'id is required.', { problems: [{ pointer: '/id', detail: 'must be the id of a saved template.' }] });
      const t = await deps.templates.get(req.tenant, b.id);
      if (!looksLikeShotstackEdit(t.composition)) {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Template ${t.id} is a Montage composition, not a Shotstack Edit: render it with POST /v1/renders {"template": "${t.id}"}.`);
      }
      return submit(req, reply, t.composition, mergeOf(b.merge));
    });
  };
}
