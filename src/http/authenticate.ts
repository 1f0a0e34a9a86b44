/**
 * Bearer authentication for /v1: `Authorization: Bearer mk_…` → the key's tenant, which every
 * route passes to its use case (so another tenant's object is simply not found). The plaintext
 * key is only hashed and compared, never stored on the request or logged.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpDeps } from './http-deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated tenant's id (set on every /v1 request that reaches a handler). */
    tenant: string;
    /** The public id of the API key used (`key_…`): the rate-limit bucket. */
    keyId: string;
  }
}

const bearer = (req: FastifyRequest): string | undefined => {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
};

/** Adds the authentication hook to the scope `app` (call inside the /v1 plugin). */
export function requireApiKey(app: FastifyInstance, keys: HttpDeps['keys']): void {
  app.decorateRequest('tenant', '');
  app.decorateRequest('keyId', '');
  app.addHook('onRequest', async (req, reply) => {
    const { tenant, keyId } = await keys.authenticateKey(bearer(req));
    req.tenant = tenant.id;
    req.keyId = keyId;
    // reply.log writes the "request completed" line: both must carry the fields.
    req.log = reply.log = req.log.child({ tenant: tenant.id, keyId });
  });
}
