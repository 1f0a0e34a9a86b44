// Mutual TLS without a mesh: `montage serve` and `montage api` on HTTPS with MONTAGE_TLS_CLIENT_CA,
// over real TLS on a loopback port, with certificates the test makes with openssl. A connection
// without a certificate of the CA (none, another CA's, an expired one) is refused in the TLS
// handshake, before any request is read; a good certificate authenticates its tenant alone (its CN,
// or a name MONTAGE_TLS_CLIENT_TENANTS maps); a bearer credential sent beside it must name the same
// tenant. Health endpoints: every connection needs a certificate of the CA, any name will do.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService, type TestMode, type TestService } from '../main/start-test-service.ts';
import { httpsRequest, makeTestCertificates, type KeyPair, type TestCertificates } from '../../test/support/test-certificates.ts';

const colour = { output: { format: 'mp4', width: 160, height: 90, fps: 5 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#ff00ff' }, start: 0, length: 1 }] }] };

/** The TLS alert a refused handshake ends with, as the client sees it. */
const refusedWith = async (p: Promise<unknown>, alert: RegExp) => {
  await assert.rejects(p, (e: NodeJS.ErrnoException) => {
    assert.match(`${e.code} ${e.message}`, alert);
    return true;
  });
};

function mutualTlsSuite(mode: TestMode, full: boolean): void {
  describe(`mutual TLS on ${mode === 'embedded' ? '`montage serve`' : '`montage api`'}`, () => {
    let skip: string | undefined;
    let certs: TestCertificates;
    let svc: TestService;
    let acme: KeyPair;
    let mapped: KeyPair;
    let acmeKey: string;
    let globexKey: string;
    const v1 = (path: string, client: KeyPair | undefined, o: { method?: string; bearer?: string; body?: unknown } = {}) =>
      httpsRequest(`${svc.url}${path}`, {
        ca: certs.ca, client, method: o.method,
        headers: o.bearer ? { authorization: `Bearer ${o.bearer}` } : {}, body: o.body === undefined ? undefined : JSON.stringify(o.body),
      });

    before(async () => {
      const r = await loadRealEngine();
      if (!('engine' in r)) { skip = r.skip; return; }
      certs = makeTestCertificates();
      acme = certs.client('acme');
      mapped = certs.client('svc-42', { dns: ['billing.internal'] });
      svc = await startTestService({
        mode, engine: r.engine,
        env: {
          MONTAGE_TLS_CERT: certs.serverCertFile, MONTAGE_TLS_KEY: certs.serverKeyFile, MONTAGE_TLS_CLIENT_CA: certs.caFile,
          MONTAGE_TLS_CLIENT_TENANTS: JSON.stringify({ 'billing.internal': 'globex' }), MONTAGE_WORKER_CONCURRENCY: '0',
        },
      });
      acmeKey = (await svc.createKey('acme')).key;
      globexKey = (await svc.createKey('globex')).key;
    });
    after(async () => { await svc?.stop(); certs?.remove(); });

    it('listens on HTTPS and refuses, in the handshake, no certificate, another CA\'s and an expired one', async (t) => {
      if (skip) return t.skip(skip);
      assert.match(svc.url, /^https:\/\//);
      // No certificate: OpenSSL ends the handshake with the certificate-required alert (and the
      // server logs it). A certificate that does not verify (another CA, expired): Node's TLS layer
      // checks the chain as the handshake completes and drops the connection before a byte of HTTP
      // is read, so the client sees the connection reset. Either way no request is read, while the
      // same request with a good certificate (next test) is answered.
      const cases: Array<[string, KeyPair | undefined, RegExp]> = [
        ['none', undefined, /CERTIFICATE_REQUIRED|certificate required/i],
        ['another CA', certs.client('acme', { otherCa: true }), /UNKNOWN_CA|ECONNRESET|socket hang up/i],
        ['expired', certs.client('acme', { expired: true }), /CERTIFICATE_EXPIRED|ECONNRESET|socket hang up/i],
      ];
      for (const [name, client, clientSees] of cases) {
        const before = svc.logs.length;
        await refusedWith(v1('/v1/renders', client, { bearer: acmeKey }), clientSees);
        await new Promise((r) => setTimeout(r, 100));
        const lines = svc.logs.slice(before);
        if (name === 'none') assert.ok(lines.some((l) => l.msg === 'TLS handshake refused' && /CERTIFICATE/i.test(String(l.reason))), 'the refusal is logged');
        assert.equal(lines.filter((l) => JSON.stringify(l).includes('/v1/renders')).length, 0, `${name}: no request was read`);
      }
    });

    it('takes a good certificate alone as its tenant: the CN, or the tenant MONTAGE_TLS_CLIENT_TENANTS maps its DNS SAN to', async (t) => {
      if (skip) return t.skip(skip);
      const sub = await v1('/v1/renders', acme, { method: 'POST', body: { composition: colour } });
      assert.equal(sub.status, 202, sub.body);
      const id = (JSON.parse(sub.body) as { id: string }).id;
      // acme's API key sees it; globex (the mapped certificate, and globex's key) does not.
      assert.equal((await v1(`/v1/renders/${id}`, acme, { bearer: acmeKey })).status, 200);
      assert.equal((await v1(`/v1/renders/${id}`, mapped)).status, 404);
      const g = await v1('/v1/renders', mapped, { method: 'POST', body: { composition: colour } });
      assert.equal(g.status, 202, g.body);
      const gid = (JSON.parse(g.body) as { id: string }).id;
      assert.equal((await v1(`/v1/renders/${gid}`, mapped, { bearer: globexKey })).status, 200, 'svc-42 (billing.internal) is globex');
      assert.equal((await v1(`/v1/renders/${gid}`, acme)).status, 404);
      assert.ok(svc.logs.some((l) => l.certificate === 'billing.internal'), 'the log names the certificate');
    });

    if (!full) return;

    it('refuses a bearer credential of another tenant than the certificate (403), and a certificate whose CN is no tenant name (401)', async (t) => {
      if (skip) return t.skip(skip);
      const other = await v1('/v1/renders', acme, { bearer: globexKey });
      assert.equal(other.status, 403);
      assert.match(other.body, /MONTAGE_E_FORBIDDEN/);
      assert.match(other.body, /another tenant than the client certificate/);
      const unknownKey = await v1('/v1/renders', acme, { bearer: 'mk_notakeynotakeynotakeynotakey' });
      assert.equal(unknownKey.status, 401, 'a bad bearer credential is not rescued by the certificate');
      const probe = certs.client('health probe');
      const noTenant = await v1('/v1/renders', probe);
      assert.equal(noTenant.status, 401);
      assert.match(noTenant.body, /names no tenant/);
    });

    it('health endpoints: any certificate of the CA (even one naming no tenant), none refused in the handshake', async (t) => {
      if (skip) return t.skip(skip);
      const probe = certs.client('health probe');
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        assert.equal((await v1(path, probe)).status, 200, path);
        await refusedWith(v1(path, undefined), /CERTIFICATE_REQUIRED|certificate required/i);
      }
    });
  });
}

mutualTlsSuite('embedded', true);
mutualTlsSuite('scale-out', false);
