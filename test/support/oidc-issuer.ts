/**
 * A real OpenID provider for the OAuth tests: `oidc-provider` (a certified implementation) on a
 * loopback port, issuing JWT access tokens (RFC 9068) through the client-credentials grant with
 * resource indicators. Each client carries a tenant in the claims the test names; `rotate()` swaps
 * the signing key for a new one with a new `kid` (the old one is no longer published), as an
 * identity provider does on key rotation. Plain http: the service under test lists 127.0.0.1 in
 * MONTAGE_ALLOW_HOSTS.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface IssuerClient {
  readonly clientId: string;
  /** Claims every token of this client carries beside the standard ones (e.g. `{ tenant: 'acme' }`). */
  readonly claims?: Record<string, unknown>;
}

export interface OidcIssuer {
  /** `http://127.0.0.1:PORT`: the `iss` of its tokens. */
  readonly issuer: string;
  /** The audience tokens get unless `resource` names another. */
  readonly audience: string;
  /** The signing key now in use (private, with its kid): for tests that sign a token by hand. */
  readonly signingKey: () => JWK & { kid: string };
  /** A client-credentials access token; `resource` asks for another audience. */
  token(clientId: string, scopes: readonly string[], opts?: { readonly resource?: string }): Promise<string>;
  /** A new signing key with a new kid; the old key is no longer published. */
  rotate(): Promise<void>;
  /** How many requests for `path` (e.g. `/jwks`) it answered so far. */
  requests(path: string): number;
  /** Stops answering (connections refused) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export const ALL_SCOPES = [
  'montage:renders:read', 'montage:renders:write', 'montage:assets:read', 'montage:assets:write',
  'montage:templates:read', 'montage:templates:write',
] as const;

const SECRET = 'test-client-secret-0123456789';

export async function startOidcIssuer(opts: { readonly clients: readonly IssuerClient[]; readonly audience?: string }): Promise<OidcIssuer> {
  const { default: Provider } = await import('oidc-provider');
  const audience = opts.audience ?? 'https://montage.test';
  let server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  let generation = 0;
  let key: JWK & { kid: string };
  let handler: ReturnType<InstanceType<typeof Provider>['callback']>;

  const newProvider = async () => {
    generation++;
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    key = { ...(await exportJWK(privateKey)), kid: `test-key-${generation}`, use: 'sig', alg: 'RS256' };
    const claimsOf = new Map(opts.clients.map((c) => [c.clientId, c.claims ?? {}]));
    const provider = new Provider(issuer, {
      clients: opts.clients.map((c) => ({
        client_id: c.clientId, client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: ALL_SCOPES.join(' '),
      })),
      scopes: [...ALL_SCOPES],
      jwks: { keys: [key] },
      ttl: { ClientCredentials: 300 },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => audience,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string) => ({
            scope: ALL_SCOPES.join(' '), audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
      extraTokenClaims: (_ctx: unknown, token: { clientId?: string }) => ({ ...claimsOf.get(token.clientId ?? '') }),
    });
    handler = provider.callback();
  };
  await newProvider();
  const counts = new Map<string, number>();
  const listener = (req: Parameters<typeof handler>[0], res: Parameters<typeof handler>[1]) => {
    const path = (req.url ?? '').split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    return handler(req, res);
  };
  server.on('request', listener);

  return {
    issuer, audience, signingKey: () => key,
    async token(clientId, scopes, o = {}) {
      const body = new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') });
      if (o.resource) body.set('resource', o.resource);
      const res = await fetch(`${issuer}/token`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}` },
      });
      const json = await res.json() as { access_token?: string; error?: string; error_description?: string };
      if (!json.access_token) throw new Error(`the issuer refused a token for ${clientId}: ${json.error} ${json.error_description}`);
      return json.access_token;
    },
    rotate: newProvider,
    requests: (path) => counts.get(path) ?? 0,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
    async start() {
      server = createServer(listener);
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    },
    async close() {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
