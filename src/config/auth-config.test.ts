// MONTAGE_OAUTH_* (one issuer or a list, plain http only for MONTAGE_ALLOW_HOSTS) and MONTAGE_TLS_*: every bad value named.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MontageError } from '../errors/registry.ts';
import { loadConfig } from './load-config.ts';

const pointers = (env: Record<string, string>): string[] => {
  try { loadConfig(env); } catch (e) { return (e as MontageError).problems.map((p) => p.pointer).sort(); }
  return [];
};

describe('loadConfig: OAuth issuers', () => {
  it('is off by default', () => {
    assert.deepEqual(loadConfig({}).oauthIssuers, []);
    assert.equal(loadConfig({}).oauthJwksCooldownMs, 30_000);
  });

  it('reads one issuer with its audience and tenant claim (default "tenant")', () => {
    assert.deepEqual(loadConfig({ MONTAGE_OAUTH_ISSUER: 'https://id.example.com/realms/a', MONTAGE_OAUTH_AUDIENCE: 'montage' }).oauthIssuers,
      [{ issuer: 'https://id.example.com/realms/a', audience: 'montage', tenantClaim: 'tenant' }]);
    const c = loadConfig({ MONTAGE_OAUTH_ISSUER: 'https://id.example.com', MONTAGE_OAUTH_AUDIENCE: 'api://m', MONTAGE_OAUTH_TENANT_CLAIM: 'https://example.com/org', MONTAGE_OAUTH_JWKS_COOLDOWN: '5s' });
    assert.equal(c.oauthIssuers[0]!.tenantClaim, 'https://example.com/org');
    assert.equal(c.oauthJwksCooldownMs, 5_000);
  });

  it('reads several issuers from MONTAGE_OAUTH_ISSUERS', () => {
    const list = [{ issuer: 'https://a.example.com', audience: 'x' }, { issuer: 'http://idp.internal:8080', audience: 'y', tenantClaim: 'org' }];
    assert.deepEqual(loadConfig({ MONTAGE_OAUTH_ISSUERS: JSON.stringify(list), MONTAGE_ALLOW_HOSTS: 'idp.internal:8080' }).oauthIssuers,
      [{ issuer: 'https://a.example.com', audience: 'x', tenantClaim: 'tenant' }, { issuer: 'http://idp.internal:8080', audience: 'y', tenantClaim: 'org' }]);
  });

  it('accepts a plain-http issuer only when its host is in MONTAGE_ALLOW_HOSTS', () => {
    assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUER: 'http://idp.internal', MONTAGE_OAUTH_AUDIENCE: 'm' }), ['/MONTAGE_OAUTH_ISSUER']);
    assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUER: 'http://idp.internal', MONTAGE_OAUTH_AUDIENCE: 'm', MONTAGE_ALLOW_HOSTS: 'idp.internal' }), []);
    assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUER: 'http://10.1.2.3:8080', MONTAGE_OAUTH_AUDIENCE: 'm', MONTAGE_ALLOW_HOSTS: '10.0.0.0/8' }), []);
    assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUERS: '[{"issuer":"http://idp.internal","audience":"m"}]' }), ['/MONTAGE_OAUTH_ISSUERS']);
  });

  it('names every inconsistent or malformed variable', () => {
    assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUER: 'https://a.example.com' }), ['/MONTAGE_OAUTH_AUDIENCE']);
    assert.deepEqual(pointers({ MONTAGE_OAUTH_AUDIENCE: 'm' }), ['/MONTAGE_OAUTH_ISSUER']);
    assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUER: 'https://a.example.com', MONTAGE_OAUTH_AUDIENCE: 'm', MONTAGE_OAUTH_ISSUERS: '[{"issuer":"https://b.example.com","audience":"m"}]' }), ['/MONTAGE_OAUTH_ISSUERS']);
    assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUER: 'ftp://a.example.com', MONTAGE_OAUTH_AUDIENCE: 'm', MONTAGE_OAUTH_TENANT_CLAIM: 'bad claim' }), ['/MONTAGE_OAUTH_ISSUER', '/MONTAGE_OAUTH_TENANT_CLAIM']);
    for (const bad of ['{}', '[]', 'nope', '[{"issuer":"https://a.example.com"}]', '[{"issuer":"https://a.example.com","audience":"m","extra":1}]',
      '[{"issuer":"https://a.example.com","audience":"m"},{"issuer":"https://a.example.com","audience":"n"}]']) {
      assert.deepEqual(pointers({ MONTAGE_OAUTH_ISSUERS: bad }), ['/MONTAGE_OAUTH_ISSUERS'], bad);
    }
  });
});

describe('loadConfig: TLS', () => {
  it('is plain HTTP by default, and reads the PEM paths (relative to the working dir) and the name map', () => {
    assert.equal(loadConfig({}).tls, null);
    const c = loadConfig({ MONTAGE_TLS_CERT: 'tls/server.pem', MONTAGE_TLS_KEY: '/etc/montage/server.key', MONTAGE_TLS_CLIENT_CA: '/etc/montage/ca.pem',
      MONTAGE_TLS_CLIENT_TENANTS: '{"billing.internal": "acme"}' }, {}, '/srv/app');
    assert.deepEqual(c.tls, { certFile: '/srv/app/tls/server.pem', keyFile: '/etc/montage/server.key', clientCaFile: '/etc/montage/ca.pem', clientTenants: { 'billing.internal': 'acme' } });
  });

  it('names every inconsistent or malformed TLS variable', () => {
    assert.deepEqual(pointers({ MONTAGE_TLS_CERT: '/c.pem' }), ['/MONTAGE_TLS_KEY']);
    assert.deepEqual(pointers({ MONTAGE_TLS_CLIENT_CA: '/ca.pem' }), ['/MONTAGE_TLS_CLIENT_CA']);
    assert.deepEqual(pointers({ MONTAGE_TLS_CERT: '/c.pem', MONTAGE_TLS_KEY: '/k.pem', MONTAGE_TLS_CLIENT_TENANTS: '{"a": "b"}' }), ['/MONTAGE_TLS_CLIENT_TENANTS']);
    for (const bad of ['[]', '{"a": 1}', '{"a": "no spaces"}', 'x']) {
      assert.deepEqual(pointers({ MONTAGE_TLS_CERT: '/c.pem', MONTAGE_TLS_KEY: '/k.pem', MONTAGE_TLS_CLIENT_CA: '/ca.pem', MONTAGE_TLS_CLIENT_TENANTS: bad }), ['/MONTAGE_TLS_CLIENT_TENANTS'], bad);
    }
  });
});
