/**
 * The small HTTP server of a process that serves no API (`montage worker`): /healthz, /readyz and
 * /metrics, the same routes and answers as the API's, so probes and scrapes treat every role alike.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { SHARED_SCHEMAS } from './api-schemas.ts';
import type { HttpDeps } from './http-deps.ts';
import { opsRoutes } from './ops-routes.ts';
import { asMontageError, toProblem } from './problem.ts';

export async function buildOpsApp(deps: Pick<HttpDeps, 'readiness' | 'metrics' | 'logger'>): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger === false ? false : { level: 'info', ...deps.logger }, return503OnClosing: false });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
  app.setErrorHandler((error, req, reply) => {
    const e = asMontageError(error);
    return reply.code(e.status).type('application/problem+json').send(toProblem(e, req.id));
  });
  // Probes and scrapes every few seconds: logged only when something is wrong.
  await app.register(opsRoutes(deps, { openapi: false }), { logLevel: 'warn' });
  return app;
}
