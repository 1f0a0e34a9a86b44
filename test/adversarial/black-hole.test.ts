// A network that silently drops packets (issue 16, part 3.2): each shared store of `montage api`
// (PostgreSQL, Redis, S3) is reached through a TCP proxy of the test's that, on `blackhole()`,
// accepts connections and then never answers, and keeps open ones silent. Nothing refuses a
// connection, so only timeouts can notice. Passing, for each store in turn: requests that need it
// answer 503 (MONTAGE_E_UNAVAILABLE) within a few seconds instead of hanging (Redis: requests go on
// without it, as designed: submissions are recorded and queued later), /readyz answers 503 naming
// the store, and when the path comes back /readyz is 200 again and the same requests succeed,
// without a restart. MONTAGE_STORE_TIMEOUT=1s here (10 s by default).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.ts';
import { createKeyUseCases } from '../../src/jobs/manage-keys.ts';
import { startApi } from '../../src/main/api.ts';
import type { RunningServe } from '../../src/main/serve.ts';
import { startScaleOutStores, type ScaleOutStores } from '../../src/main/test-service-stores.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const TIMEOUT_MS = 1_000;
/** What "fast" means here: a few store timeouts (connect, one retry), far below a hung request. */
const FAST_MS = 6 * TIMEOUT_MS;
const RECOVERY_MS = 20_000;
const report = (line: string) => console.log(`# ${line}`);

describe('montage api when a store silently drops packets', () => {
  let stores: ScaleOutStores;
  let api: RunningServe;
  let key: string;
  const proxies: Record<'pg' | 'redis' | 's3', TcpProxy> = {} as never;

  before(async () => {
    stores = await startScaleOutStores();
    const through = async (name: keyof typeof proxies, url: string) => {
      const u = new URL(url);
      proxies[name] = await startTcpProxy({ host: u.hostname, port: Number(u.port) });
      u.port = String(proxies[name].port);
      return u.toString().replace(/\/$/, '');
    };
    const env = {
      ...stores.env,
      DATABASE_URL: await through('pg', stores.env.DATABASE_URL!), REDIS_URL: await through('redis', stores.env.REDIS_URL!),
      S3_ENDPOINT: await through('s3', stores.env.S3_ENDPOINT!),
      MONTAGE_STORE_TIMEOUT: `${TIMEOUT_MS}ms`, MONTAGE_PORT: '0', MONTAGE_HOST: '127.0.0.1', MONTAGE_DATA_DIR: '/tmp/montage-black-hole-test',
    };
    api = await startApi(loadConfig(env), { logger: false });
    const s = await stores.openStores();
    try { key = (await createKeyUseCases({ keys: s.keys }).createKey('acme')).key; } finally { await s.close(); }
  });
  after(async () => {
    await api?.stop();
    for (const p of Object.values(proxies)) await p.close();
    await stores?.close();
  });

  const timed = async (method: string, path: string, body?: BodyInit, type = 'application/json') => {
    const t0 = Date.now();
    const res = await fetch(`${api.url}${path}`, { method, body, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': type } : {}) } });
    const text = await res.text();
    return { status: res.status, text, ms: Date.now() - t0 };
  };
  const ready = async () => {
    const res = await fetch(`${api.url}/readyz`);
    return { status: res.status, body: await res.text() };
  };
  const until = async (want: number, boundMs: number) => {
    const t0 = Date.now();
    for (;;) {
      const r = await ready();
      if (r.status === want || Date.now() - t0 > boundMs) return { ...r, ms: Date.now() - t0 };
      await new Promise((res) => setTimeout(res, 200));
    }
  };
  const tiny = JSON.stringify({ composition: { output: { format: 'mp4', width: 160, height: 90, fps: 5 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length: 1 }] }] } });

  const cases = [
    { store: 'pg' as const, named: /PostgreSQL \(DATABASE_URL/, request: () => timed('GET', '/v1/renders'), during: 503 },
    { store: 's3' as const, named: /S3 storage \(MONTAGE_STORAGE/, request: () => timed('POST', '/v1/assets?filename=a.srt', new TextEncoder().encode('1\n00:00:00,000 --> 00:00:01,000\nhi\n'), 'application/x-subrip'), during: 503 },
    // Redis carries the queue and the rate-limit counters: requests go on without it (202: recorded,
    // queued by the reconciler later; reads: counted no more), they must just not hang.
    { store: 'redis' as const, named: /Redis \(REDIS_URL/, request: () => timed('POST', '/v1/renders', tiny), during: 202 },
  ];

  for (const c of cases) {
    it(`${c.store}: fails fast (${c.during}), /readyz names it, and recovers when the path comes back`, async () => {
      const okBefore = await c.request();
      assert.ok(okBefore.status < 300, `${c.store} before: ${okBefore.status} ${okBefore.text}`);
      proxies[c.store].blackhole();
      try {
        const during = await c.request();
        report(`${c.store} black-holed: ${during.status} in ${during.ms} ms`);
        assert.equal(during.status, c.during, during.text);
        if (c.during === 503) assert.match(during.text, /MONTAGE_E_UNAVAILABLE/);
        assert.ok(during.ms < FAST_MS, `${c.store}: answered in ${during.ms} ms`);
        if (c.store === 'redis') {
          const read = await timed('GET', '/v1/renders');
          assert.equal(read.status, 200, read.text);
          assert.ok(read.ms < FAST_MS, `read with Redis black-holed took ${read.ms} ms`);
        }
        const down = await until(503, FAST_MS);
        assert.equal(down.status, 503, down.body);
        assert.match(down.body, c.named);
        assert.equal((await fetch(`${api.url}/healthz`)).status, 200, 'alive: no restart wanted');
      } finally {
        proxies[c.store].restore();
      }
      const up = await until(200, RECOVERY_MS);
      report(`${c.store} back: /readyz 200 after ${up.ms} ms`);
      assert.equal(up.status, 200, up.body);
      const after = await c.request();
      assert.ok(after.status < 300, `${c.store} after: ${after.status} ${after.text}`);
    });
  }
});
