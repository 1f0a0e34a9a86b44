// The SSRF table of issue 3 through the service: a real `montage serve` (start-test-service) is
// asked over HTTP to fetch assets from, and post webhooks to, every loopback, private, link-local,
// CGNAT, unspecified and local-name spelling, each pointed at a loopback listener's real port, plus
// a redirect from an allowed host to private addresses and file:// and gopher:// URLs. Each must be
// refused with a typed error (422 at submit and validate, naming the field; a redirect that passes
// submit makes the render fail with MONTAGE_E_FETCH_FORBIDDEN at the second hop), and the listener
// must accept no connection. The service runs in this
// process, so watchConnectionAttempts also sees (and would stop) any attempt off the machine.
// src/assets/safe-fetcher-refusals.test.ts checks the fetcher itself, with more spellings.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { startCountingServer, watchConnectionAttempts, type CountingServer } from '../assets/counting-server.ts';
import { openConfiguredSqlite } from '../cli/keys-command.ts';
import { loadConfig } from '../config/load-config.ts';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService, type TestService } from '../main/start-test-service.ts';
import type { WebhookDelivery } from '../ports/webhook-outbox.ts';
import type { RenderView } from './api-schemas.ts';
import { MontageApiError, type MontageClient } from './montage-client.ts';

/** Hosts that must never be reached, as a URL spells them (WHATWG parsing turns 127.1 & co into 127.0.0.1). */
const HOSTS = [
  '127.0.0.1', '127.1', '0177.0.0.1', '2130706433', '0x7f000001', '0.0.0.0', '[::1]', '[::ffff:127.0.0.1]',
  '169.254.169.254', '10.0.0.1', '100.64.0.1', '[fd00::1]', 'localhost',
];

let listener: CountingServer;
let redirector: CountingServer;
let svc: TestService;
let client: MontageClient;
let tenantId: string;
let connections: ReturnType<typeof watchConnectionAttempts>;
let skip: string | undefined;

/** Where the allowed redirector sends each `/to/N`: private addresses, each at the listener's port where it has one. */
const redirectTargets = (): string[] => [
  `http://127.0.0.1:${listener.port}/secret`,
  `https://[::1]:${listener.port}/secret`,
  `http://10.0.0.1:${listener.port}/secret`,
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
  `gopher://127.0.0.1:${listener.port}/_secret`,
];

before(async () => {
  const r = await loadRealEngine();
  if (!('engine' in r)) { skip = r.skip; return; }
  listener = await startCountingServer((_req, res) => res.end('internal secret'), ['::1']);
  redirector = await startCountingServer((req, res) => {
    const target = redirectTargets()[Number(/^\/to\/(\d+)/.exec(req.url ?? '')?.[1])];
    if (target) res.writeHead(302, { location: target }).end();
    else res.writeHead(404).end();
  }, []);
  connections = watchConnectionAttempts();
  // Only the redirector's host:port is allowed: the same address at the listener's port is not.
  svc = await startTestService({
    engine: r.engine,
    env: { MONTAGE_ALLOW_HOSTS: `127.0.0.1:${redirector.port}`, MONTAGE_WORKER_CONCURRENCY: '2', MONTAGE_RATE_LIMIT: '0' },
  });
  const k = await svc.createKey('ssrf');
  client = k.client;
  tenantId = k.tenantId;
});

after(async () => {
  connections?.stop();
  await svc?.stop();
  await listener?.close();
  await redirector?.close();
});

const composition = (src: string) => ({
  output: { format: 'mp4', width: 160, height: 90, fps: 10 },
  tracks: [{ clips: [{ asset: { type: 'image', src }, start: 0, length: 1 }] }],
});

async function finalOf(id: string): Promise<RenderView> {
  const end = Date.now() + 20_000;
  for (;;) {
    const r = await client.getRender(id);
    if (['succeeded', 'failed', 'canceled'].includes(r.status)) return r;
    if (Date.now() > end) throw new Error(`render ${id} still ${r.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The render's webhook deliveries once none is pending, read from the service's own outbox. */
async function settledDeliveries(renderId: string, done: (d: WebhookDelivery) => boolean): Promise<readonly WebhookDelivery[]> {
  const db = openConfiguredSqlite(loadConfig({ MONTAGE_DATA_DIR: svc.dataDir }));
  try {
    const outbox = createSqliteWebhookOutbox(db);
    const end = Date.now() + 15_000;
    for (;;) {
      const list = await outbox.listForRender(tenantId, renderId);
      if (list.length > 0 && list.every(done)) return list;
      if (Date.now() > end) return list;
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally {
    db.close();
  }
}

async function refusedAtSubmit(body: unknown): Promise<MontageApiError> {
  try {
    await client.createRender(body as never);
  } catch (e) {
    if (e instanceof MontageApiError) return e;
    throw e;
  }
  return assert.fail('the render was accepted');
}

describe('SSRF through the service: no connection for any refused destination', () => {
  const cases: { name: string; src: () => string; webhook: () => string }[] = [];
  for (const host of HOSTS) {
    for (const scheme of ['https', 'http']) {
      cases.push({ name: `${scheme}://${host}:PORT`, src: () => `${scheme}://${host}:${listener.port}/secret.png`, webhook: () => `${scheme}://${host}:${listener.port}/hook` });
    }
  }

  for (const c of cases) {
    it(`${c.name}: refused at submit and by validate with a 422 at the source and at /webhook/url naming MONTAGE_ALLOW_HOSTS, no connection`, async (t) => {
      if (skip) return t.skip(skip);
      const before = listener.connections;
      const body = { composition: composition(c.src()), webhook: { url: c.webhook() } };
      const refused = await refusedAtSubmit(body);
      assert.deepEqual([refused.status, refused.code], [422, 'MONTAGE_E_FETCH_FORBIDDEN'], refused.message);
      assert.deepEqual(refused.problem.errors?.map((e) => e.pointer), ['/webhook/url', '/tracks/0/clips/0/asset/src']);
      for (const e of refused.problem.errors ?? []) assert.match(e.detail, /MONTAGE_ALLOW_HOSTS/);
      const validated = await client.request('POST', '/v1/validate', { body });
      assert.equal(validated.status, 422);
      assert.deepEqual((await validated.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer), ['/webhook/url', '/tracks/0/clips/0/asset/src']);
      assert.equal(listener.connections - before, 0, 'the listener accepted no connection');
    });
  }

  it('a redirect from an allowed host to a private address is refused at the second hop, for every target', async (t) => {
    if (skip) return t.skip(skip);
    const before = listener.connections;
    const redirectorBefore = redirector.connections;
    const targets = redirectTargets();
    const ids = await Promise.all(targets.map(async (_, i) => (await client.createRender({
      // Each as the asset, and as the webhook: deliveries never follow redirects.
      composition: composition(`http://127.0.0.1:${redirector.port}/to/${i}`), webhook: { url: `http://127.0.0.1:${redirector.port}/to/${i}` },
    } as never)).id));
    for (const [i, id] of ids.entries()) {
      const render = await finalOf(id);
      assert.equal(render.status, 'failed', targets[i]);
      assert.equal(render.error?.code, 'MONTAGE_E_FETCH_FORBIDDEN', `${targets[i]}: ${render.error?.message}`);
      const [delivery] = await settledDeliveries(id, (d) => d.attempts > 0);
      assert.equal(delivery?.lastStatus, 302, 'the webhook got the redirect and did not follow it');
    }
    assert.ok(redirector.connections - redirectorBefore >= targets.length, 'the allowed first hop was contacted');
    assert.equal(listener.connections - before, 0, 'no redirect reached the listener');
  });

  for (const src of ['file:///etc/passwd', 'gopher://127.0.0.1:PORT/_secret']) {
    it(`${src.split(':')[0]}:// is refused at submit with a 422 naming the field, as an asset and as a webhook`, async (t) => {
      if (skip) return t.skip(skip);
      const before = listener.connections;
      const url = src.replace('PORT', String(listener.port));
      const asAsset = await refusedAtSubmit({ composition: composition(url) });
      assert.equal(asAsset.status, 422);
      assert.equal(asAsset.code, 'MONTAGE_E_INVALID_COMPOSITION');
      assert.deepEqual(asAsset.problem.errors?.map((e) => e.pointer), ['/tracks/0/clips/0/asset/src']);
      const validated = await client.request('POST', '/v1/validate', { body: { composition: composition(url) } });
      assert.equal(validated.status, 422);
      const asWebhook = await refusedAtSubmit({ composition: composition(`https://example.com/a.png`), webhook: { url } });
      assert.equal(asWebhook.status, 400);
      assert.equal(asWebhook.code, 'MONTAGE_E_INVALID_REQUEST');
      assert.deepEqual(asWebhook.problem.errors?.map((e) => e.pointer), ['/webhook/url']);
      assert.equal(listener.connections - before, 0);
    });
  }

  it('no connection was attempted anywhere but the service itself and the allowed redirector', (t) => {
    if (skip) return t.skip(skip);
    const servicePort = new URL(svc.url).port;
    const others = connections.attempts.filter((a) => !a.endsWith(`:${servicePort}`) && a !== `127.0.0.1:${redirector.port}`);
    assert.deepEqual(others, []);
    assert.equal(listener.connections, 0);
  });

  it('what was refused at submit never became a render or a delivery: only the redirected renders failed', async (t) => {
    if (skip) return t.skip(skip);
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    const failedDeliveries = Number(/^montage_webhook_deliveries_total\{outcome="failed"\} (\d+)/m.exec(text)?.[1] ?? 0);
    assert.equal(failedDeliveries, 0);
    assert.equal(Number(/^montage_renders_total\{status="failed"\} (\d+)/m.exec(text)?.[1]), redirectTargets().length);
  });
});
