/**
 * The Fastify application: every route of ../shared/API.md's HTTP table, the OpenAPI 3.1
 * document and its interactive reference, problem+json errors, per-key rate limiting, metrics and
 * request logging. Built from ready-made use cases (HttpDeps); it opens nothing itself, so the
 * composition roots decide what backs it.
 */
import { describeResponses } from './response-descriptions.ts';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { MontageError } from '../errors/registry.ts';
import { SHARED_SCHEMAS } from './api-schemas.ts';
import { assetsRoutes } from './assets-routes.ts';
import { requireApiKey } from './authenticate.ts';
import { refuseRepeatedCredentials } from './single-credential.ts';
import { documentScope, oauthSecurityScheme } from './oauth-openapi.ts';
import type { HttpDeps } from './http-deps.ts';
import { opsRoutes } from './ops-routes.ts';
import { limitRequestsPerKey } from './rate-limit.ts';
import { shotstackRoutes } from './shotstack-routes.ts';
import { asMontageError, toProblem } from './problem.ts';
import type { OpenStreams } from './render-event-stream.ts';
import { rendersRoutes } from './renders-routes.ts';
import { createRequestValidatorCompiler } from './request-validation.ts';
import { templatesRoutes } from './templates-routes.ts';
import { trackRouteMethods } from './route-methods.ts';
import { acceptJsonBodiesOnly } from './json-body.ts';
import { documentProblemsAsProblemJson } from './problem-media-type.ts';
import { useJsonSchema2020 } from './openapi-schema-dialect.ts';
import { validateRoutes } from './validate-routes.ts';
import { webhookDeliveriesRoutes } from './webhook-deliveries-routes.ts';

/** Header names whose values never reach a log line. */
const REDACTED = ['authorization', 'cookie', 'idempotency-key', 'x-api-key'];

/**
 * Fastify's request log fields, with the `signature` of a signed output link (a credential for
 * whoever holds the URL, src/shotstack/signed-output-links.ts) left out of the logged URL.
 */
const requestLogFields = (req: FastifyRequest) => ({
  method: req.method,
  url: req.url.replace(/([?&]signature=)[^&#]*/g, '$1[redacted]'),
  version: typeof req.headers['accept-version'] === 'string' ? req.headers['accept-version'] : undefined,
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

export const API_VERSION = '1.0.0';

export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  const validator = createRequestValidatorCompiler();
  const app = Fastify({
    logger: deps.logger === false ? false : {
      level: 'info',
      ...deps.logger,
      redact: { paths: REDACTED.flatMap((h) => [`req.headers.${h}`, `req.headers["${h}"]`, `headers.${h}`, `headers["${h}"]`]), censor: '[redacted]' },
      serializers: { ...(deps.logger && typeof deps.logger === 'object' ? deps.logger.serializers : {}), req: requestLogFields },
    },
    bodyLimit: deps.limits.maxBodyBytes,
    ...(deps.https ? { https: { ...deps.https } } : {}),
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    trustProxy: false,
    return503OnClosing: false, // /readyz says 503 while draining; requests in flight and status reads keep working
  });
  if (deps.https) {
    // A refused handshake (no client certificate, another CA's, expired) never becomes a request:
    // this line is the only trace of it, with the reason.
    app.server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: { remoteAddress?: string }) => {
      app.log.warn({ code: err.code, reason: err.message, remoteAddress: socket.remoteAddress }, 'TLS handshake refused');
    });
  }
  if (deps.tracing) await app.register(deps.tracing.fastifyPlugin);
  app.setValidatorCompiler(validator);
  // Response schemas document the API (and tests check responses against them); plain JSON.stringify
  // serializes, so a field missing from a schema can never be silently dropped from an answer.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
  acceptJsonBodiesOnly(app);

  app.setErrorHandler((error, req, reply) => {
    const e = asMontageError(error, { maxBodyBytes: deps.limits.maxBodyBytes });
    if (e.status >= 500) req.log.error({ err: e.cause ?? e, code: e.code }, 'request failed');
    else req.log.info({ code: e.code, status: e.status }, e.message.split('\n')[0]);
    return reply.code(e.status).type('application/problem+json').send(toProblem(e, req.id));
  });
  const methodsOf = trackRouteMethods(app);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = methodsOf(path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      throw new MontageError('MONTAGE_E_METHOD_NOT_ALLOWED', `${path} does not answer ${req.method}: use ${allowed.join(', ')}.`);
    }
    throw new MontageError('MONTAGE_E_NOT_FOUND', `No route ${req.method} ${path}.`);
  });
  app.addHook('onRequest', async (req, reply) => { reply.header('x-request-id', req.id); });
  refuseRepeatedCredentials(app); // before any route's authentication reads one of them
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  const openStreams: OpenStreams = new Set();
  app.addHook('preClose', async () => { for (const close of [...openStreams]) close(); });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Montage API', version: API_VERSION,
        description: 'Self-hostable video rendering: JSON compositions in, MP4/WebM/GIF/audio/stills out. '
          + 'Every /v1 route needs `Authorization: Bearer <key>`; errors are RFC 9457 problem+json with a stable `code`.',
      },
      servers: deps.publicUrl ? [{ url: deps.publicUrl }] : [],
      tags: [
        { name: 'renders', description: 'Submit, follow and download renders' },
        { name: 'templates', description: 'Stored compositions with {{placeholders}}' },
        { name: 'assets', description: 'Uploaded media, used as src "asset:ID"' },
        { name: 'shotstack', description: 'The Shotstack-compatible Edit API under /edit/v1 and /edit/stage (x-api-key; docs/shotstack.md)' },
        { name: 'operations', description: 'Health, readiness, metrics, this document (no authentication)' },
      ],
      components: { securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: mk_…' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The same API key, as Shotstack clients send it (Shotstack-compatible routes only)' },
        ...(await oauthSecurityScheme(deps.oauth)),
      } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (d) => useJsonSchema2020(documentProblemsAsProblemJson(describeResponses('openapiObject' in d ? d.openapiObject : d.swaggerObject))),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } }); // the same document, at /docs/json

  await app.register(opsRoutes(deps));
  await app.register((await import('./studio-routes.ts')).studioRoutes()); // Montage Studio at / (studio/dist, prebuilt)
  await app.register(async (v1) => {
    requireApiKey(v1, deps.keys, deps.oauth, deps.clientCertificates);
    if (deps.oauth) v1.addHook('onRoute', documentScope);
    await limitRequestsPerKey(v1, deps);
    await v1.register(rendersRoutes(deps, validator, openStreams));
    await v1.register(validateRoutes(deps, validator));
    await v1.register(webhookDeliveriesRoutes(deps));
    await v1.register(templatesRoutes(deps, validator));
    await v1.register(assetsRoutes(deps));
  }, { prefix: '/v1' });
  // The Shotstack-compatible Edit API (docs/shotstack.md): same keys, limits and use cases, Shotstack's shapes.
  for (const stage of ['v1', 'stage'] as const) await app.register(shotstackRoutes(deps, stage), { prefix: `/edit/${stage}` });
  return app;
}
