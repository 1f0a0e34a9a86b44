/**
 * Operations routes, without authentication: liveness, readiness, Prometheus metrics and the
 * OpenAPI document. /readyz is 503 while the process drains (SIGTERM) or a dependency fails, so a
 * load balancer stops sending it traffic; /healthz stays 200 as long as the process serves at all.
 */
import type { FastifyInstance } from 'fastify';
import { MontageError } from '../errors/registry.ts';
import type { HttpDeps } from './http-deps.ts';

const tags = ['operations'];
const Status = { type: 'object', properties: { status: { type: 'string' } }, required: ['status'], additionalProperties: false };
/** /readyz's answer: `warnings` names what is wrong but leaves the process ready (an OAuth issuer down: API keys still work). */
const Ready = { ...Status, properties: { ...Status.properties, warnings: { type: 'array', items: { type: 'string' } } } };

export function opsRoutes(deps: Pick<HttpDeps, 'readiness' | 'metrics'>, opts: { readonly openapi?: boolean } = {}) {
  return async (app: FastifyInstance) => {
    app.get('/healthz', {
      schema: { tags, summary: 'Liveness: the process serves requests', response: { 200: Status } },
    }, async () => ({ status: 'ok' }));

    app.get('/readyz', {
      schema: {
        tags, summary: 'Readiness: dependencies answer and the process is not draining',
        response: { 200: Ready, 503: { $ref: 'Problem#', description: 'Problem: MONTAGE_E_UNAVAILABLE' } },
      },
    }, async () => {
      if (deps.readiness.draining()) throw new MontageError('MONTAGE_E_UNAVAILABLE', 'The process is shutting down.');
      try {
        await deps.readiness.check();
      } catch (e) {
        throw new MontageError('MONTAGE_E_UNAVAILABLE', `A dependency does not answer: ${(e as Error).message}`, { cause: e });
      }
      const warnings = (await deps.readiness.warnings?.()) ?? [];
      return warnings.length > 0 ? { status: 'ready', warnings } : { status: 'ready' };
    });

    app.get('/metrics', {
      schema: {
        tags, summary: 'Prometheus metrics (text exposition format)',
        produces: ['text/plain'],
        response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    }, async (_req, reply) => reply.type(deps.metrics.contentType).send(await deps.metrics.text()));

    if (opts.openapi === false) return;
    app.get('/openapi.json', {
      schema: {
        tags, summary: 'This API as an OpenAPI 3.1 document',
        response: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    }, async () => app.swagger());
  };
}
