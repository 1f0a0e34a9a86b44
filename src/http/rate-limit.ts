/** Per-key request limits (429 with Retry-After), for every authenticated route group. */
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { MontageError } from '../errors/registry.ts';
import type { HttpDeps } from './http-deps.ts';

export async function limitRequestsPerKey(scope: FastifyInstance, deps: Pick<HttpDeps, 'limits' | 'rateLimit'>): Promise<void> {
  if (deps.limits.requestsPerMinute <= 0) return;
  await scope.register(rateLimit, {
    max: deps.limits.requestsPerMinute,
    timeWindow: 60_000,
    hook: 'preParsing', // after authentication (onRequest), before an upload's body is read
    keyGenerator: (req) => req.keyId,
    // Shared counters in Redis; while Redis is away requests pass uncounted rather than fail.
    ...(deps.rateLimit ? { redis: deps.rateLimit.redis, nameSpace: deps.rateLimit.nameSpace, skipOnError: true } : {}),
    errorResponseBuilder: (_req, ctx) => new MontageError('MONTAGE_E_RATE_LIMITED',
      `More than ${ctx.max} requests a minute with this API key; retry in ${ctx.after}.`),
  });
}
