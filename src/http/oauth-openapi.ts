/**
 * How OAuth 2.0 access tokens appear in the OpenAPI document: an `oauth2` security scheme with the
 * client-credentials flow and every Montage scope, and on each /v1 operation the scope it needs
 * beside `bearerAuth` (an API key). Only when an issuer is configured: a server that accepts no
 * tokens documents none.
 */
import type { RouteOptions } from 'fastify';
import type { OAuthVerifier } from '../auth/oauth-verifier.ts';
import { OAUTH_SCOPES, requiredScope } from './route-scopes.ts';

/** `{ oauth2: … }` for components.securitySchemes, or `{}` without OAuth. Waits at most 2 s for the issuer's discovery. */
export async function oauthSecurityScheme(oauth: OAuthVerifier | undefined): Promise<Record<string, unknown>> {
  if (!oauth) return {};
  const issuers = oauth.issuers.map((i) => `${i.issuer} (audience ${i.audience}, tenant claim "${i.tenantClaim}")`).join('; ');
  // The token endpoint comes from the first issuer's discovery document; while it is unreachable,
  // the issuer URL stands in (its discovery document names the real endpoint).
  const tokenUrl = (await oauth.tokenEndpoint(2_000)) ?? oauth.issuers[0]!.issuer;
  return {
    oauth2: {
      type: 'oauth2',
      description: `A JWT access token (RFC 9068) from a trusted issuer: ${issuers}. The tenant claim names the tenant; `
        + 'each operation lists the scope it needs (scope claim, space-separated, or an scp array); a missing scope is a 403 MONTAGE_E_FORBIDDEN.',
      flows: { clientCredentials: { tokenUrl, scopes: { ...OAUTH_SCOPES } } },
    },
  };
}

/** onRoute hook of the /v1 scope: operations that name `bearerAuth` also name `oauth2` with their scope. */
export function documentScope(route: RouteOptions): void {
  const schema = route.schema as { security?: unknown } | undefined;
  if (!schema?.security) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const scope = requiredScope(methods[0]!, route.url);
  route.schema = { ...route.schema, security: [{ bearerAuth: [] }, { oauth2: [scope] }] } as RouteOptions['schema'];
}
