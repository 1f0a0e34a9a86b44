/**
 * Authentication for /v1: `Authorization: Bearer mk_…` (an API key), `Bearer <JWT>` (an OAuth 2.0
 * access token from a trusted issuer, src/auth/oauth-verifier.ts) or, with MONTAGE_TLS_CLIENT_CA, a
 * verified client certificate (src/http/client-certificate.ts) → the tenant, which every route
 * passes to its use case (so another tenant's object is simply not found). An API key or a
 * certificate may do everything its tenant may; a token only what its scopes allow
 * (src/http/route-scopes.ts), else a 403 naming the missing scope. A bearer credential sent with a
 * certificate must name the certificate's tenant (else 403). A credential is only hashed or
 * verified, never stored on the request or logged.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthVerifier } from '../auth/oauth-verifier.ts';
import { isMontageError, MontageError } from '../errors/registry.ts';
import { isTenantName, looksLikeApiKey } from '../jobs/manage-keys.ts';
import { certificateIdentity, type ClientCertificates } from './client-certificate.ts';
import type { HttpDeps } from './http-deps.ts';
import { requiredScope } from './route-scopes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated tenant's id (set on every /v1 request that reaches a handler). */
    tenant: string;
    /**
     * The rate-limit bucket: the API key's public id (`key_…`), or `oauth:<issuer>#<sub>` for a
     * token (its subject, which is logged; the token never is).
     */
    keyId: string;
  }
}

const bearer = (req: FastifyRequest): string | undefined => {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
};

/** Three base64url parts: the compact JWS form of a JWT. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Adds the authentication hook to the scope `app` (call inside the /v1 plugin). */
export function requireApiKey(app: FastifyInstance, keys: HttpDeps['keys'], oauth?: OAuthVerifier, certs?: ClientCertificates): void {
  app.decorateRequest('tenant', '');
  app.decorateRequest('keyId', '');
  app.addHook('onRequest', async (req, reply) => {
    try {
      await authenticate(req, reply);
    } catch (e) {
      // RFC 9110 §11.6.1: a 401 names the scheme to use; RFC 6750 §3: with invalid_token when one was sent.
      if (isMontageError(e) && e.code === 'MONTAGE_E_UNAUTHORIZED') {
        reply.header('www-authenticate', bearer(req) ? 'Bearer realm="montage", error="invalid_token"' : 'Bearer realm="montage"');
      }
      throw e;
    }
  });
  async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const credential = bearer(req);
    const peer = certs ? certificateIdentity(req, certs) : null;
    let certTenant: string | null = null;
    if (peer) {
      if (!isTenantName(peer.tenantName)) {
        throw new MontageError('MONTAGE_E_UNAUTHORIZED', `The client certificate ${JSON.stringify(peer.name.slice(0, 100))} names no tenant: its CN is not a tenant name (1–100 letters, digits, ".", "_" or "-"); map it with MONTAGE_TLS_CLIENT_TENANTS.`);
      }
      certTenant = (await keys.tenantNamed(peer.tenantName)).id;
    }
    let tenant: string;
    let keyId: string;
    let logged: Record<string, string>;
    if (peer && certTenant !== null && !credential) {
      // The certificate alone authenticates the caller, with every scope (as an API key).
      tenant = certTenant;
      keyId = `cert:${peer.name}`;
      logged = { tenant, certificate: peer.name };
    } else if (oauth && credential && !looksLikeApiKey(credential) && JWT_SHAPE.test(credential)) {
      const token = await oauth.verify(credential);
      const scope = requiredScope(req.method, req.routeOptions.url ?? req.url);
      if (!token.scopes.has(scope)) {
        throw new MontageError('MONTAGE_E_FORBIDDEN',
          `The access token lacks the scope ${scope}, which ${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]} needs; request a token with it.`);
      }
      tenant = (await keys.tenantNamed(token.tenantName)).id;
      keyId = `oauth:${token.issuer}#${token.subject}`;
      logged = { tenant, sub: token.subject, issuer: token.issuer };
    } else {
      const found = await keys.authenticateKey(credential);
      tenant = found.tenant.id;
      keyId = found.keyId;
      logged = { tenant, keyId };
    }
    if (certTenant !== null && tenant !== certTenant) {
      throw new MontageError('MONTAGE_E_FORBIDDEN',
        `The bearer credential names another tenant than the client certificate ${JSON.stringify(peer!.name)} (tenant ${peer!.tenantName}); send credentials of one tenant, or the certificate alone.`);
    }
    if (peer) logged = { ...logged, certificate: peer.name };
    req.tenant = tenant;
    req.keyId = keyId;
    // reply.log writes the "request completed" line: both must carry the fields.
    req.log = reply.log = req.log.child(logged);
  }
}
