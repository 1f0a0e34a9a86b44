// OAuth 2.0 JWT access tokens on /v1, against a real OpenID provider (oidc-provider, started here,
// issuing tokens through the client-credentials grant) and a real Montage over real HTTP: `montage
// serve` for the whole behaviour, and `montage api` + `montage worker` (PostgreSQL, Redis, S3) with
// two issuers and a custom tenant claim, where a token's render is rendered by the worker.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT, UnsecuredJWT, importJWK, type JWK } from 'jose';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService, type TestService } from '../main/start-test-service.ts';
import type { MontageClient } from './montage-client.ts';
import { ALL_SCOPES, startOidcIssuer, type OidcIssuer } from '../../test/support/oidc-issuer.ts';

const colour = (length = 1) => ({
  output: { format: 'mp4', width: 160, height: 90, fps: 5 },
  tracks: [{ clips: [{ asset: { type: 'color', color: '#00ff00' }, start: 0, length }] }],
});

const call = (svc: TestService, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : body instanceof Uint8Array ? Buffer.from(body) : JSON.stringify(body),
  });

const problem = async (res: Response) => res.json() as Promise<{ code: string; detail: string; status: number }>;

/** A token signed by hand with `key` (the issuer's own, or a stranger's), for claims no real issuer would put. */
async function handMade(key: JWK & { kid: string }, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: ALL_SCOPES.join(' '), tenant: 'acme', iat: now, exp: now + 300, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt', ...header })
    .sign(await importJWK(key, 'RS256'));
}

describe('OAuth access tokens on `montage serve`', () => {
  let skip: string | undefined;
  let svc: TestService;
  let idp: OidcIssuer;
  let stranger: OidcIssuer;
  let acmeKey: MontageClient;
  const tokens: string[] = [];
  const tokenOf = async (clientId: string, scopes: readonly string[], o?: { resource?: string }, from = idp) => {
    const t = await from.token(clientId, scopes, o);
    tokens.push(t);
    return t;
  };

  before(async () => {
    const r = await loadRealEngine();
    if (!('engine' in r)) { skip = r.skip; return; }
    const clients = [
      { clientId: 'acme-svc', claims: { tenant: 'acme' } }, { clientId: 'globex-svc', claims: { tenant: 'globex' } },
      { clientId: 'initech-svc', claims: { tenant: 'initech' } }, { clientId: 'no-tenant-svc' },
    ];
    idp = await startOidcIssuer({ clients });
    stranger = await startOidcIssuer({ clients });
    svc = await startTestService({
      mode: 'embedded', engine: r.engine,
      env: {
        MONTAGE_OAUTH_ISSUER: idp.issuer, MONTAGE_OAUTH_AUDIENCE: idp.audience, MONTAGE_ALLOW_HOSTS: '127.0.0.1',
        MONTAGE_OAUTH_JWKS_COOLDOWN: '1s', MONTAGE_RATE_LIMIT: '100000',
      },
    });
    acmeKey = (await svc.createKey('acme')).client;
  });
  after(async () => { await svc?.stop(); await idp?.close(); await stranger?.close(); });

  it('accepts a token for each scope on the routes that scope opens, and answers 403 naming the scope elsewhere', async (t) => {
    if (skip) return t.skip(skip);
    // A real captions file: uploads are probed, and bytes no render could use are refused.
    const asset = await acmeKey.uploadAsset(new TextEncoder().encode('1\n00:00:00,000 --> 00:00:01,000\nhello\n'), { contentType: 'application/x-subrip' });
    const tpl = await acmeKey.createTemplate({ name: 't', composition: colour() as never });
    // scope → [a request it allows, its status]
    const cases: Record<string, [string, string, unknown, number]> = {
      'montage:renders:read': ['GET', '/v1/renders', undefined, 200],
      'montage:renders:write': ['POST', '/v1/validate', { composition: colour(2) }, 200],
      'montage:assets:read': ['GET', `/v1/assets/${asset.id}`, undefined, 200],
      'montage:assets:write': ['POST', '/v1/assets?filename=x.srt', new TextEncoder().encode('1\n00:00:00,000 --> 00:00:01,000\nhi\n'), 201],
      'montage:templates:read': ['GET', `/v1/templates/${tpl.id}`, undefined, 200],
      'montage:templates:write': ['POST', '/v1/templates', { name: 'u', composition: colour() }, 201],
    };
    for (const [scope, [method, path, body, status]] of Object.entries(cases)) {
      const token = await tokenOf('acme-svc', [scope]);
      const ok = await call(svc, method, path, token, body, body instanceof Uint8Array ? { 'content-type': 'application/octet-stream' } : {});
      assert.equal(ok.status, status, `${scope}: ${method} ${path}: ${await ok.clone().text()}`);
      // Every other scope's request is refused, naming the scope it lacks.
      for (const [other, [m2, p2, b2]] of Object.entries(cases)) {
        if (other === scope) continue;
        const no = await call(svc, m2, p2, token, b2, b2 instanceof Uint8Array ? { 'content-type': 'application/octet-stream' } : {});
        assert.equal(no.status, 403, `${scope} token on ${m2} ${p2}`);
        const p = await problem(no);
        assert.equal(p.code, 'MONTAGE_E_FORBIDDEN');
        assert.ok(p.detail.includes(other), `${p.detail} names ${other}`);
      }
    }
    // scp (an array) works like scope.
    const scp = await handMade(idp.signingKey(), { iss: idp.issuer, aud: idp.audience, scope: undefined, scp: ['montage:renders:read'] });
    assert.equal((await call(svc, 'GET', '/v1/renders', scp)).status, 200);
  });

  it('refuses each bad token with a 401 that says which check failed', async (t) => {
    if (skip) return t.skip(skip);
    const now = Math.floor(Date.now() / 1000);
    const good = await tokenOf('acme-svc', ['montage:renders:read']);
    const [h, p, s] = good.split('.') as [string, string, string];
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const { exportJWK } = await import('jose');
    const strangerKey = { ...(await exportJWK(privateKey)), kid: 'not-published' };
    const base = { iss: idp.issuer, aud: idp.audience };
    const cases: Array<[string, string, RegExp]> = [
      ['expired', await handMade(idp.signingKey(), { ...base, iat: now - 900, exp: now - 600 }), /has expired/],
      ['not yet valid', await handMade(idp.signingKey(), { ...base, nbf: now + 600 }), /not yet valid/],
      ['wrong audience', await tokenOf('acme-svc', ['montage:renders:read'], { resource: 'https://someone-else.test' }), /wrong audience/],
      ['wrong issuer', await tokenOf('acme-svc', ['montage:renders:read'], undefined, stranger), /wrong issuer/],
      ['bad signature', `${h}.${p}.${flipped}`, /bad signature/],
      ['alg none', new UnsecuredJWT({ ...base, scope: 'montage:renders:read', tenant: 'acme' }).setIssuedAt().setExpirationTime('5m').encode(), /alg "none"/],
      ['unknown kid', await handMade(strangerKey, base), /unknown kid/],
      ['no tenant claim', await tokenOf('no-tenant-svc', ['montage:renders:read']), /no tenant claim.*"tenant"/],
      ['not a JWT', 'abc.def', /A valid API key is required/],
    ];
    for (const [name, token, message] of cases) {
      tokens.push(token);
      const res = await call(svc, 'GET', '/v1/renders', token);
      assert.equal(res.status, 401, name);
      const pr = await problem(res);
      assert.equal(pr.code, 'MONTAGE_E_UNAUTHORIZED', name);
      assert.match(pr.detail, message, name);
    }
  });

  it('maps the tenant claim to the tenant: API key and token of acme share renders; globex gets 404; a new tenant is created', async (t) => {
    if (skip) return t.skip(skip);
    const render = await acmeKey.createRender({ composition: colour() as never });
    const acme = await tokenOf('acme-svc', ['montage:renders:read', 'montage:renders:write']);
    const globex = await tokenOf('globex-svc', ['montage:renders:read', 'montage:renders:write']);
    assert.equal((await call(svc, 'GET', `/v1/renders/${render.id}`, acme)).status, 200);
    const other = await call(svc, 'GET', `/v1/renders/${render.id}`, globex);
    assert.equal(other.status, 404);
    assert.equal((await problem(other)).code, 'MONTAGE_E_NOT_FOUND');
    // globex's own render is globex's, not acme's.
    const sub = await call(svc, 'POST', '/v1/renders', globex, { composition: colour() });
    assert.equal(sub.status, 202);
    const gid = (await sub.json() as { id: string }).id;
    assert.equal((await call(svc, 'GET', `/v1/renders/${gid}`, acme)).status, 404);
    assert.equal((await acmeKey.request('GET', `/v1/renders/${gid}`)).status, 404);
    // A tenant no key was ever made for exists from its first token on, with nothing in it.
    const initech = await tokenOf('initech-svc', ['montage:renders:read']);
    const list = await call(svc, 'GET', '/v1/renders', initech);
    assert.equal(list.status, 200);
    assert.deepEqual((await list.json() as { data: unknown[] }).data, []);
    const s = await svc.openStores();
    try { assert.ok(await s.keys.findTenantByName('initech')); } finally { await s.close(); }
    // The log of a token request names the subject and the tenant, never the token.
    const line = svc.logs.find((l) => l.sub === 'initech-svc');
    assert.ok(line, 'a log line carries the token subject');
  });

  it('picks up a rotated key without a restart, refetching the keys at most once per cooldown', async (t) => {
    if (skip) return t.skip(skip);
    const before = await tokenOf('acme-svc', ['montage:renders:read']);
    assert.equal((await call(svc, 'GET', '/v1/renders', before)).status, 200);
    await idp.rotate();
    await new Promise((r) => setTimeout(r, 1_100)); // the cooldown (1 s here) since the last key fetch
    const after = await tokenOf('acme-svc', ['montage:renders:read']);
    assert.notEqual(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid, JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid);
    assert.equal((await call(svc, 'GET', '/v1/renders', after)).status, 200, 'the new kid is fetched on first sight');
    const old = await call(svc, 'GET', '/v1/renders', before);
    assert.equal(old.status, 401, 'the retired key no longer verifies');
    assert.match((await problem(old)).detail, /unknown kid/);
    // A burst of made-up kids costs the issuer at most one more key download per cooldown (1 s
    // here): one if the burst is quick, and one more for each full second it takes on a loaded
    // machine, never one per kid.
    const fetchesBefore = idp.requests('/jwks');
    const burstStarted = Date.now();
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const { exportJWK } = await import('jose');
    for (let i = 0; i < 20; i++) {
      const res = await call(svc, 'GET', '/v1/renders', await handMade({ ...(await exportJWK(privateKey)), kid: `made-up-${i}` }, { iss: idp.issuer, aud: idp.audience }));
      assert.equal(res.status, 401);
    }
    const burstMs = Date.now() - burstStarted;
    const allowed = 1 + Math.floor(burstMs / 1_000);
    assert.ok(allowed < 20, `the burst took ${burstMs} ms: too slow to tell a cooldown from none`);
    assert.ok(idp.requests('/jwks') - fetchesBefore <= allowed, `JWKS fetched ${idp.requests('/jwks') - fetchesBefore} times for 20 unknown kids in ${burstMs} ms (at most ${allowed})`);
  });

  it('keeps API keys working and /readyz ready while the issuer is down, naming it', async (t) => {
    if (skip) return t.skip(skip);
    await idp.stop();
    try {
      const ready = await fetch(`${svc.url}/readyz`);
      assert.equal(ready.status, 200);
      const body = await ready.json() as { status: string; warnings?: string[] };
      assert.equal(body.status, 'ready');
      assert.ok(body.warnings?.some((w) => w.includes(idp.issuer) && /unreachable/.test(w)), JSON.stringify(body));
      assert.equal((await acmeKey.request('GET', '/v1/renders')).status, 200);
    } finally {
      await idp.start();
    }
    assert.deepEqual(await (await fetch(`${svc.url}/readyz`)).json(), { status: 'ready' });
  });

  it('documents the scopes in the OpenAPI security schemes and on each operation', async (t) => {
    if (skip) return t.skip(skip);
    const doc = await (await fetch(`${svc.url}/openapi.json`)).json() as {
      components: { securitySchemes: Record<string, { type: string; flows?: { clientCredentials: { tokenUrl: string; scopes: Record<string, string> } } }> };
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    const oauth2 = doc.components.securitySchemes.oauth2!;
    assert.equal(oauth2.type, 'oauth2');
    assert.equal(oauth2.flows!.clientCredentials.tokenUrl, `${idp.issuer}/token`);
    assert.deepEqual(Object.keys(oauth2.flows!.clientCredentials.scopes).sort(), [...ALL_SCOPES].sort());
    assert.deepEqual(doc.paths['/v1/renders']!.get!.security, [{ bearerAuth: [] }, { oauth2: ['montage:renders:read'] }]);
    assert.deepEqual(doc.paths['/v1/renders/{id}/cancel']!.post!.security, [{ bearerAuth: [] }, { oauth2: ['montage:renders:write'] }]);
    assert.deepEqual(doc.paths['/v1/templates']!.post!.security, [{ bearerAuth: [] }, { oauth2: ['montage:templates:write'] }]);
  });

  it('never logs a token', (t) => {
    if (skip) return t.skip(skip);
    assert.ok(tokens.length > 10);
    const all = svc.rawLogs.join('\n');
    for (const tok of tokens) {
      const signature = tok.split('.')[2] ?? '';
      assert.ok(!all.includes(tok), 'a token reached the log');
      if (signature.length > 20) assert.ok(!all.includes(signature), 'a token\'s signature reached the log');
    }
  });
});

describe('OAuth access tokens on `montage api` + `montage worker` (two issuers, a custom tenant claim)', () => {
  let skip: string | undefined;
  let svc: TestService;
  let idpA: OidcIssuer;
  let idpB: OidcIssuer;

  before(async () => {
    const r = await loadRealEngine();
    if (!('engine' in r)) { skip = r.skip; return; }
    idpA = await startOidcIssuer({ clients: [{ clientId: 'svc', claims: { org: 'umbrella', tenant: 'wrong-claim' } }] });
    idpB = await startOidcIssuer({ clients: [{ clientId: 'svc', claims: { tenant: 'cyberdyne' } }], audience: 'urn:montage:b' });
    svc = await startTestService({
      mode: 'scale-out', engine: r.engine,
      env: {
        MONTAGE_OAUTH_ISSUERS: JSON.stringify([
          { issuer: idpA.issuer, audience: idpA.audience, tenantClaim: 'org' }, { issuer: idpB.issuer, audience: 'urn:montage:b' },
        ]),
        MONTAGE_ALLOW_HOSTS: '127.0.0.1', MONTAGE_RATE_LIMIT: '100000', MONTAGE_CHUNK_SECONDS: '0',
      },
    });
  });
  after(async () => { await svc?.stop(); await idpA?.close(); await idpB?.close(); });

  it('renders a token\'s submission on the worker and keeps each issuer\'s tenant apart', async (t) => {
    if (skip) return t.skip(skip);
    const a = await idpA.token('svc', ['montage:renders:read', 'montage:renders:write']);
    const b = await idpB.token('svc', ['montage:renders:read']);
    const sub = await call(svc, 'POST', '/v1/renders', a, { composition: colour() });
    assert.equal(sub.status, 202, await sub.clone().text());
    const id = (await sub.json() as { id: string }).id;
    let status = '';
    for (let i = 0; i < 120 && !['succeeded', 'failed', 'canceled'].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await (await call(svc, 'GET', `/v1/renders/${id}`, a)).json() as { status: string }).status;
    }
    assert.equal(status, 'succeeded');
    const out = await call(svc, 'GET', `/v1/renders/${id}/output`, a);
    assert.equal(out.status, 200);
    const mp4 = Buffer.from(await out.arrayBuffer());
    assert.equal(mp4.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4 came back');
    assert.equal((await call(svc, 'GET', `/v1/renders/${id}`, b)).status, 404, 'the other issuer\'s tenant does not see it');
    const s = await svc.openStores();
    try {
      assert.ok(await s.keys.findTenantByName('umbrella'), 'the org claim named the tenant');
      assert.equal(await s.keys.findTenantByName('wrong-claim'), null);
    } finally { await s.close(); }
    // B's token has no write scope; a token for A's audience from B is refused as wrong audience.
    const denied = await call(svc, 'POST', '/v1/renders', b, { composition: colour() });
    assert.equal(denied.status, 403);
    assert.match((await problem(denied)).detail, /montage:renders:write/);
    const wrongAud = await idpB.token('svc', ['montage:renders:read'], { resource: idpA.audience });
    const res = await call(svc, 'GET', '/v1/renders', wrongAud);
    assert.equal(res.status, 401);
    assert.match((await problem(res)).detail, /wrong audience/);
  });
});
