// The HTTP API suite, against a real started service over real HTTP on a loopback port, in either
// mode: `montage serve` (SQLite and files in a temp dir) from api.test.ts, `montage api` (a fresh
// PostgreSQL database, Redis prefix and s3rver bucket) from api-scale-out.test.ts: the behaviour
// must be the same. No worker runs (MONTAGE_WORKER_CONCURRENCY=0) so renders stay queued;
// rendering end to end is in src/main/serve.test.ts and test/cluster. Skipped, with the reason,
// while the engine does not load.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { canonicalJson } from '../jobs/submit-render.ts';
import { startTestService, type TestMode, type TestService } from '../main/start-test-service.ts';
import { SHARED_SCHEMAS } from './api-schemas.ts';
import type { MontageClient } from './montage-client.ts';
import type { Composition } from '../composition/schema.ts';

const SRT = '1\n00:00:00,000 --> 00:00:01,000\nHello\n';

export function httpApiSuite(mode: TestMode): void {
  const colour = (length = 1, output: Record<string, unknown> = {}): Composition => ({
    output: { format: 'mp4', width: 160, height: 90, fps: 10, ...output },
    tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length }] }],
  });

  let svc: TestService | undefined;
  let skip: string | undefined;
  let a: MontageClient;
  let b: MontageClient;
  let aTenant: string;
  const keys: string[] = [];
  // A media server on this machine, trusted through MONTAGE_ALLOW_HOSTS, for validate?probe=true.
  let media: Server | undefined;
  let mediaUrl = '';

  before(async () => {
    const r = await loadRealEngine();
    if (!('engine' in r)) { skip = r.skip; return; }
    const png = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=32x18', '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-']);
    const files: Record<string, Buffer> = { '/good.png': png, '/notes.wav': Buffer.from('these are notes, not a sound\n') };
    media = createServer((req, res) => { const f = files[req.url ?? '']; if (f) res.end(f); else res.writeHead(404).end(); });
    await new Promise<void>((ok) => media!.listen(0, '127.0.0.1', ok));
    const mediaHost = `127.0.0.1:${(media.address() as AddressInfo).port}`;
    mediaUrl = `http://${mediaHost}`;
    svc = await startTestService({ mode, engine: r.engine, env: { MONTAGE_WORKER_CONCURRENCY: '0', MONTAGE_RATE_LIMIT: '100000', MONTAGE_ALLOW_HOSTS: mediaHost } });
    const ka = await svc.createKey('acme');
    const kb = await svc.createKey('globex');
    a = ka.client; b = kb.client; aTenant = ka.tenantId;
    keys.push(ka.key, kb.key);
  });
  after(async () => { await svc?.stop(); media?.close(); });

  const problemOf = async (res: Response) => {
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const p = await res.json() as { type: string; title: string; status: number; detail: string; code: string; errors?: { pointer: string; detail: string }[] };
    assert.equal(p.status, res.status);
    for (const k of ['type', 'title', 'detail', 'code'] as const) assert.equal(typeof p[k], 'string', `problem has ${k}`);
    return p;
  };

  describe(`HTTP API (real server, ${mode})`, () => {
    it('refuses /v1 without a valid key (401 problem) and serves the ops routes without one', async (t) => {
      if (skip) return t.skip(skip);
      for (const auth of [undefined, 'Bearer nope', `Bearer ${keys[0]}x`, `Basic ${keys[0]}`]) {
        const res = await fetch(`${svc!.url}/v1/renders`, { headers: auth ? { authorization: auth } : {} });
        assert.equal(res.status, 401, String(auth));
        // RFC 9110 §11.6.1 / RFC 6750 §3: a 401 names the scheme, and says invalid_token when a bearer token was sent.
        assert.equal(res.headers.get('www-authenticate'), auth?.startsWith('Bearer ') ? 'Bearer realm="montage", error="invalid_token"' : 'Bearer realm="montage"', String(auth));
        assert.equal((await problemOf(res)).code, 'MONTAGE_E_UNAUTHORIZED');
      }
      assert.deepEqual(await (await fetch(`${svc!.url}/healthz`)).json(), { status: 'ok' });
      assert.deepEqual(await (await fetch(`${svc!.url}/readyz`)).json(), { status: 'ready' });
      const docs = await fetch(`${svc!.url}/docs`);
      assert.equal(docs.status, 200);
      assert.match(await docs.text(), /swagger-ui/i);
    });

    it('submits (202, Location) and reads back a render; validate answers the summary without queueing', async (t) => {
      if (skip) return t.skip(skip);
      const res = await a.request('POST', '/v1/renders', { body: { composition: colour(2), metadata: { order: 7 }, priority: 'high' } });
      assert.equal(res.status, 202);
      const r = await res.json() as { id: string; status: string; duration: number; metadata: unknown; priority: string };
      assert.equal(res.headers.get('location'), `/v1/renders/${r.id}`);
      assert.deepEqual([r.status, r.duration, r.priority, r.metadata], ['queued', 2, 'high', { order: 7 }]);
      assert.equal((await a.getRender(r.id)).id, r.id);
      const before = (await a.listRenders({ limit: 100 })).data.length;
      assert.deepEqual(await a.validate({ composition: colour(3) }), { duration: 3, width: 160, height: 90, fps: 10, format: 'mp4', warnings: [] });
      assert.equal((await a.listRenders({ limit: 100 })).data.length, before, 'validate queues nothing');
    });

    it('answers problem+json with a pointer per problem: invalid composition 422, bad envelope 400, bad JSON 400, limit 422', async (t) => {
      if (skip) return t.skip(skip);
      const bad = colour(1);
      (bad.tracks[0]!.clips[0] as Record<string, unknown>).length = -1;
      (bad.output as Record<string, unknown>).widht = 100;
      for (const path of ['/v1/renders', '/v1/validate']) {
        const p = await problemOf(await a.request('POST', path, { body: { composition: bad } }));
        assert.equal(p.code, 'MONTAGE_E_INVALID_COMPOSITION', path);
        assert.equal(p.status, 422);
        const pointers = p.errors!.map((e) => e.pointer);
        assert.ok(pointers.includes('/tracks/0/clips/0/length'), pointers.join());
        assert.ok(pointers.includes('/output/widht'), pointers.join());
      }
      const env = await problemOf(await a.request('POST', '/v1/renders', { body: { composition: colour(), priority: 'urgent', colour: 1 } }));
      assert.equal(env.code, 'MONTAGE_E_INVALID_REQUEST');
      assert.deepEqual(env.errors!.map((e) => e.pointer).sort(), ['/colour', '/priority']);
      assert.match(env.errors!.find((e) => e.pointer === '/colour')!.detail, /remove it .*composition, template, merge, webhook, metadata, priority/);
      // A merge value that is not one value is reported at its own key.
      const merge = await problemOf(await a.request('POST', '/v1/renders', { body: { template: 'tpl_x', merge: { title: { a: 1 }, 'a/b': [1], ok: 'x' } } }));
      assert.deepEqual(merge.errors!.map((e) => e.pointer), ['/merge/title', '/merge/a~1b']);
      assert.match(merge.errors![0]!.detail, /string, number or boolean, got object/);
      // Each webhook problem is reported at the field it is about.
      for (const [webhook, pointers] of [['https://example.com/h', ['/webhook']], [{ url: 'https://example.com/h', secret: 'x' }, ['/webhook/secret']], [{ url: 'ftp://x' }, ['/webhook/url']]] as const) {
        const p = await problemOf(await a.request('POST', '/v1/renders', { body: { composition: colour(), webhook } }));
        assert.deepEqual(p.errors!.map((e) => e.pointer), pointers, JSON.stringify(webhook));
      }
      const tplUnknown = await problemOf(await a.request('POST', '/v1/templates', { body: { name: 'x', composition: colour(), colour: 1 } }));
      assert.match(tplUnknown.errors!.find((e) => e.pointer === '/colour')!.detail, /remove it .*name and composition/);
      const tplArray = await problemOf(await a.request('POST', '/v1/templates', { body: [] }));
      assert.deepEqual([tplArray.status, tplArray.errors?.[0]?.pointer], [400, '']);
      assert.match(tplArray.errors![0]!.detail, /"name".*"composition"/);
      const json = await a.request('POST', '/v1/renders', { body: '{"composition": ', headers: { 'content-type': 'application/json' } });
      assert.equal(json.status, 400);
      assert.equal((await problemOf(json)).code, 'MONTAGE_E_INVALID_JSON');
      const badJson = await problemOf(await a.request('POST', '/v1/renders', { body: '{"composition": {"output": {,}}}', headers: { 'content-type': 'application/json' } }));
      assert.equal(badJson.code, 'MONTAGE_E_INVALID_JSON');
      assert.match(badJson.detail ?? '', /position 28/, 'names where the syntax breaks');
      // An empty body with Content-Type: application/json (many clients send it on a bodiless POST) is
      // no body: cancel works, and a route that needs a body names what to send, not "not valid JSON".
      const emptyTarget = await a.createRender({ composition: colour() });
      const canceled = await a.request('POST', `/v1/renders/${emptyTarget.id}/cancel`, { body: '', headers: { 'content-type': 'application/json' } });
      assert.equal(canceled.status, 200, await canceled.clone().text());
      const noBody = await problemOf(await a.request('POST', '/v1/renders', { body: '', headers: { 'content-type': 'application/json' } }));
      assert.deepEqual([noBody.status, noBody.code], [400, 'MONTAGE_E_INVALID_REQUEST']);
      assert.match(noBody.errors![0]!.detail, /composition/);
      // Valid JSON under another Content-Type is a 415 naming the header to send, not "not a JSON object".
      for (const type of ['text/plain', 'application/xml']) {
        const res = await a.request('POST', '/v1/renders', { body: JSON.stringify({ composition: colour() }), headers: { 'content-type': type } });
        const p = await problemOf(res);
        assert.deepEqual([p.status, p.code], [415, 'MONTAGE_E_UNSUPPORTED_MEDIA_TYPE'], type);
        assert.match(p.detail ?? '', /Content-Type: application\/json/);
      }
      const big = await problemOf(await a.request('POST', '/v1/renders', { body: { composition: colour(1, { width: 16000 }) } }));
      assert.equal(big.status, 422);
      const local = await problemOf(await a.request('POST', '/v1/renders', {
        body: { composition: { ...colour(), tracks: [{ clips: [{ asset: { type: 'image', src: '/etc/passwd' }, start: 0, length: 1 }] }] } },
      }));
      assert.deepEqual([local.code, local.errors![0]!.pointer], ['MONTAGE_E_INVALID_COMPOSITION', '/tracks/0/clips/0/asset/src']);
      const query = await problemOf(await a.request('GET', '/v1/renders', { query: { limit: 101, colour: 'red' } }));
      assert.equal(query.status, 400);
      assert.deepEqual(query.errors!.map((e) => e.pointer).sort(), ['/colour', '/limit']);
      assert.match(query.errors!.find((e) => e.pointer === '/colour')!.detail, /remove it \(this route takes (?=.*limit)(?=.*cursor)(?=.*status)/);
      const twice = await problemOf(await a.request('GET', '/v1/renders?status=queued&status=failed'));
      assert.deepEqual(twice.errors, [{ pointer: '/status', detail: 'Given 2 times: give status once.' }]);
      const unknownRoute = await problemOf(await a.request('GET', '/v1/nothing'));
      assert.equal(unknownRoute.code, 'MONTAGE_E_NOT_FOUND');
      // A path that exists, asked with a method it does not answer: 405 naming the methods it does.
      for (const [method, path, allow] of [['PATCH', '/v1/renders', 'GET, HEAD, POST'], ['DELETE', '/v1/renders/r_x', 'GET, HEAD'], ['PUT', '/healthz', 'GET, HEAD']] as const) {
        const res = await a.request(method, path);
        assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
        const p = await problemOf(res);
        assert.deepEqual([p.status, p.code], [405, 'MONTAGE_E_METHOD_NOT_ALLOWED'], `${method} ${path}`);
        assert.match(p.detail ?? '', new RegExp(`use ${allow}`));
      }
    });

    it('refuses a JSON body over the 1 MiB limit with 413 before reading it all', async (t) => {
      if (skip) return t.skip(skip);
      const body = JSON.stringify({ composition: colour(), metadata: { pad: 'x'.repeat(1100 * 1024) } });
      const p = await problemOf(await a.request('POST', '/v1/renders', { body, headers: { 'content-type': 'application/json' } }));
      assert.deepEqual([p.status, p.code], [413, 'MONTAGE_E_PAYLOAD_TOO_LARGE']);
    });

    it('Idempotency-Key: same key and body replay the first response, another body is 422, a duplicate in flight is 409', async (t) => {
      if (skip) return t.skip(skip);
      const body = { composition: colour(1), metadata: { n: 1 } };
      const first = await a.request('POST', '/v1/renders', { body, headers: { 'idempotency-key': 'k-1' } });
      const again = await a.request('POST', '/v1/renders', { body: { metadata: { n: 1 }, composition: colour(1) }, headers: { 'idempotency-key': 'k-1' } });
      assert.deepEqual([first.status, again.status], [202, 202]);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      const [r1, r2] = [await first.json() as { id: string }, await again.json() as { id: string }];
      assert.equal(r2.id, r1.id);
      // Another tenant may use the same key for its own request.
      const other = await b.request('POST', '/v1/renders', { body, headers: { 'idempotency-key': 'k-1' } });
      assert.equal(other.status, 202);
      assert.notEqual((await other.json() as { id: string }).id, r1.id);

      const mismatch = await problemOf(await a.request('POST', '/v1/renders', { body: { composition: colour(2) }, headers: { 'idempotency-key': 'k-1' } }));
      assert.deepEqual([mismatch.status, mismatch.code], [422, 'MONTAGE_E_IDEMPOTENCY_MISMATCH']);
      assert.match(mismatch.detail ?? '', /send a new Idempotency-Key/);

      // A request with this key is being handled right now (its record is pending): a duplicate is 409.
      const stores = await svc!.openStores();
      try {
        const pending = { composition: colour(3) };
        const hash = createHash('sha256').update(canonicalJson(pending)).digest('hex');
        assert.equal((await stores.idempotency.begin(aTenant, 'k-busy', hash, new Date(0).toISOString())).kind, 'started');
        const busy = await problemOf(await a.request('POST', '/v1/renders', { body: pending, headers: { 'idempotency-key': 'k-busy' } }));
        assert.deepEqual([busy.status, busy.code, (busy as { retryable?: boolean }).retryable], [409, 'MONTAGE_E_IN_PROGRESS', true]);
      } finally {
        await stores.close();
      }
    });

    it('20 concurrent identical requests with one Idempotency-Key create one render', async (t) => {
      if (skip) return t.skip(skip);
      const body = { composition: colour(1), metadata: { race: true } };
      const res = await Promise.all(Array.from({ length: 20 }, () => a.request('POST', '/v1/renders', { body, headers: { 'idempotency-key': 'race-1' } })));
      const statuses = res.map((r) => r.status);
      assert.ok(statuses.every((s) => s === 202 || s === 409), statuses.join());
      const ids = new Set<string>();
      for (const r of res) if (r.status === 202) ids.add((await r.json() as { id: string }).id); else await r.body?.cancel();
      assert.equal(ids.size, 1);
      const all = (await a.listRenders({ limit: 100 })).data.filter((r) => (r.metadata as { race?: boolean } | null)?.race);
      assert.deepEqual(all.map((r) => r.id), [...ids]);
    });

    it('lists newest first in pages of at most 100 with an opaque cursor, filtered by status', async (t) => {
      if (skip) return t.skip(skip);
      const c = (await svc!.createKey('pager')).client;
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await c.createRender({ composition: colour(1), metadata: { i } })).id);
      const canceled = await c.cancelRender(made[1]!);
      assert.equal(canceled.status, 'canceled');
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await c.listRenders({ limit: 2, cursor });
        assert.ok(page.data.length <= 2);
        seen.push(...page.data.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 10);
      assert.deepEqual(seen, [...made].reverse());
      assert.equal(pages, 3);
      assert.deepEqual((await c.listRenders({ status: 'canceled' })).data.map((r) => r.id), [made[1]]);
      assert.equal((await c.listRenders({ status: 'queued' })).data.length, 4);
      const badCursor = await problemOf(await c.request('GET', '/v1/renders', { query: { cursor: 'bm90LWEtY3Vyc29y' } }));
      assert.deepEqual([badCursor.status, badCursor.errors?.[0]?.pointer], [400, '/cursor']);
      const badStatus = await problemOf(await c.request('GET', '/v1/renders', { query: { status: 'done' } }));
      assert.deepEqual([badStatus.status, badStatus.errors?.[0]?.pointer], [400, '/status']);
    });

    it('cancel is idempotent, and outputs of an unfinished render are a 409', async (t) => {
      if (skip) return t.skip(skip);
      const r = await a.createRender({ composition: colour(1) });
      const out = await problemOf(await a.request('GET', `/v1/renders/${r.id}/output`));
      assert.deepEqual([out.status, out.code, (out as { retryable?: boolean }).retryable], [409, 'MONTAGE_E_IN_PROGRESS', true]);
      const c1 = await a.cancelRender(r.id);
      const c2 = await a.cancelRender(r.id);
      assert.deepEqual([c1.status, c2.status, c2.error?.code], ['canceled', 'canceled', 'MONTAGE_E_RENDER_CANCELED']);
      assert.equal(c2.finishedAt, c1.finishedAt);
      const gone = await problemOf(await a.request('GET', `/v1/renders/${r.id}/output`));
      assert.deepEqual([gone.status, gone.code], [409, 'MONTAGE_E_CONFLICT']);
      assert.equal(gone.detail, 'The render was canceled, so it has no outputs: submit it again to get them.');
      // The event stream of a final render: its status, then the final event, then the end.
      const events = [];
      for await (const e of a.renderEvents(r.id)) events.push(e);
      assert.deepEqual(events.map((e) => e.event), ['status', 'final']);
      assert.equal((events[1]!.data as { status: string }).status, 'canceled');
    });

    it('submit and validate report every source problem at once with its pointer: webhook, missing upload, http, private address, unresolvable name', async (t) => {
      if (skip) return t.skip(skip);
      const image = (src: string, start: number) => ({ asset: { type: 'image', src }, start, length: 1 });
      const body = {
        composition: { ...colour(4), tracks: [{ clips: [
          image('asset:ast_nope', 0), image('http://media.example.com/a.png', 1), image('https://10.0.0.1/b.png', 2), image('https://no-such-host.invalid/c.png', 3),
        ] }] },
        webhook: { url: 'http://127.0.0.1:18090/hook' },
      };
      for (const path of ['/v1/renders', '/v1/validate']) {
        const res = await a.request('POST', path, { body });
        const p = await problemOf(res);
        assert.deepEqual([res.status, p.code], [422, 'MONTAGE_E_UNREACHABLE'], path);
        const at = Object.fromEntries((p.errors ?? []).map((e) => [e.pointer, e.detail]));
        assert.deepEqual(Object.keys(at), ['/webhook/url', ...[0, 1, 2, 3].map((i) => `/tracks/0/clips/${i}/asset/src`)], path);
        assert.match(at['/webhook/url']!, /plain http is only allowed .*Use https, or have the operator add 127\.0\.0\.1 to MONTAGE_ALLOW_HOSTS\./);
        assert.match(at['/tracks/0/clips/0/asset/src']!, /No uploaded asset ast_nope/);
        assert.match(at['/tracks/0/clips/1/asset/src']!, /MONTAGE_ALLOW_HOSTS/);
        assert.match(at['/tracks/0/clips/2/asset/src']!, /10\.0\.0\.1 is not a public address: private\..*MONTAGE_ALLOW_HOSTS/);
        assert.match(at['/tracks/0/clips/3/asset/src']!, /"no-such-host\.invalid" does not resolve/);
      }
      // The webhook alone, as the issue met it: 422 at /webhook/url, not a 202 whose delivery fails later.
      const hook = await problemOf(await a.request('POST', '/v1/renders', { body: { composition: colour(1), webhook: { url: 'http://127.0.0.1:18090/hook' } } }));
      assert.deepEqual([hook.status, hook.code, hook.errors?.map((e) => e.pointer)], [422, 'MONTAGE_E_FETCH_FORBIDDEN', ['/webhook/url']]);
    });

    it("GET /v1/renders/{id}/webhooks lists the render's deliveries with tries, last answer, last error and next try; another tenant's is a 404", async (t) => {
      if (skip) return t.skip(skip);
      const r = await a.createRender({ composition: colour(1) });
      assert.deepEqual(await a.listWebhookDeliveries(r.id), [], 'none before the render is final');
      const stores = await svc!.openStores();
      const due = Date.now() + 3_600_000;
      try {
        await stores.outbox.enqueue({ id: 'msg_listed', tenant: aTenant, renderId: r.id, url: 'https://hooks.example.com/in?token=x', eventType: 'render.failed', payload: '{}', nextAttemptAt: due });
        await stores.outbox.reschedule('msg_listed', due, 'The receiver answered 503.', 503);
      } finally { await stores.close(); }
      assert.deepEqual(await a.listWebhookDeliveries(r.id), [{
        id: 'msg_listed', event: 'render.failed', url: 'https://hooks.example.com/in?token=x', status: 'pending', attempts: 1,
        lastStatusCode: 503, lastError: 'The receiver answered 503.', nextAttemptAt: new Date(due).toISOString(),
        createdAt: (await a.listWebhookDeliveries(r.id))[0]!.createdAt,
      }]);
      const hidden = await problemOf(await b.request('GET', `/v1/renders/${r.id}/webhooks`));
      assert.deepEqual([hidden.status, hidden.code], [404, 'MONTAGE_E_NOT_FOUND']);
    });

    it('validate?probe=true downloads and probes every source as a worker would, naming each unusable one; without probe they pass', async (t) => {
      if (skip) return t.skip(skip);
      const image = (src: string, start: number) => ({ asset: { type: 'image', src }, start, length: 1 });
      const body = { composition: { ...colour(2), tracks: [{ clips: [image(`${mediaUrl}/good.png`, 0), image(`${mediaUrl}/missing.png`, 1)] }], soundtrack: { src: `${mediaUrl}/notes.wav` } } };
      assert.equal((await a.validate(body as never)).duration, 2, 'nothing is downloaded without probe');
      const res = await a.request('POST', '/v1/validate', { body, query: { probe: 'true' } });
      const p = await problemOf(res);
      assert.deepEqual([res.status, p.code], [422, 'MONTAGE_E_ASSET_UNREADABLE']);
      assert.deepEqual(p.errors?.map((e) => e.pointer), ['/tracks/0/clips/1/asset/src', '/soundtrack/src']);
      assert.match(p.errors![0]!.detail, /404/);
      const good = await a.request('POST', '/v1/validate', { body: { composition: { ...colour(1), tracks: [{ clips: [image(`${mediaUrl}/good.png`, 0)] }] } }, query: { probe: 'true' } });
      assert.equal(good.status, 200, await good.clone().text());
    });

    it('progress is rounded to 4 decimals in the Render, its SSE events and its webhook', async (t) => {
      if (skip) return t.skip(skip);
      const r = await a.createRender({ composition: colour(1), webhook: { url: 'https://93.184.216.34/hook' } });
      const stores = await svc!.openStores();
      try {
        assert.ok(await stores.renders.transition(aTenant, r.id, { from: 'queued', to: 'preparing' }));
        assert.ok(await stores.renders.setProgress(aTenant, r.id, 0.13209601550000002));
      } finally { await stores.close(); }
      assert.equal((await a.getRender(r.id)).progress, 0.1321);
      for await (const e of a.renderEvents(r.id)) {
        assert.deepEqual([e.event, (e.data as { progress: number }).progress], ['status', 0.1321]);
        break;
      }
      await a.cancelRender(r.id);
      const check = await svc!.openStores();
      try {
        const [delivery] = await check.outbox.listForRender(aTenant, r.id);
        assert.equal((JSON.parse(delivery!.payload) as { data: { progress: number } }).data.progress, 0.1321);
      } finally { await check.close(); }
    });

    it('messages read as sentences: a full stop before "Use", no nested brackets, no command-line advice', async (t) => {
      if (skip) return t.skip(skip);
      const text = (asset: Record<string, unknown>) => ({ composition: { ...colour(1), tracks: [{ clips: [{ asset: { type: 'text', text: 'Hi', ...asset }, start: 0, length: 1 }] }] } });
      const font = await problemOf(await a.request('POST', '/v1/validate', { body: text({ font: { family: 'Papyrus Ultra' } }) }));
      const size = await problemOf(await a.request('POST', '/v1/validate', { body: text({ font: { size: 'big' } }) }));
      const details = [...(font.errors ?? []), ...(size.errors ?? [])].map((e) => e.detail);
      assert.ok(details.length >= 2, JSON.stringify(details));
      assert.ok(details.some((d) => /is not available\. Use /.test(d)), JSON.stringify(details));
      for (const d of [...details, font.detail, size.detail]) {
        assert.doesNotMatch(d, /\([^()]*\(/, `nested brackets: ${d}`);
        assert.doesNotMatch(d, /--merge|--probe|bin\/montage/, `command-line advice: ${d}`);
      }
    });

    it('canceling a render that already succeeded is a permanent 409: retryable false, so an obeying client stops', async (t) => {
      if (skip) return t.skip(skip);
      const r = await a.createRender({ composition: colour(1) });
      const stores = await svc!.openStores();
      try {
        for (const [from, to] of [['queued', 'preparing'], ['preparing', 'rendering'], ['rendering', 'finalizing'], ['finalizing', 'succeeded']] as const) {
          assert.ok(await stores.renders.transition(aTenant, r.id, { from, to }), `${from} → ${to}`);
        }
      } finally { await stores.close(); }
      const res = await a.request('POST', `/v1/renders/${r.id}/cancel`);
      const p = await problemOf(res) as { code: string; retryable?: boolean; detail: string };
      assert.deepEqual([res.status, p.code, p.retryable], [409, 'MONTAGE_E_CONFLICT', false]);
      assert.match(p.detail, /already succeeded/);
      assert.equal((await a.getRender(r.id)).status, 'succeeded');
    });

    it('templates: create, read, list, update, render from one with merge, delete', async (t) => {
      if (skip) return t.skip(skip);
      const composition = { ...colour(1), tracks: [{ clips: [{ asset: { type: 'text', text: 'Hi {{name}}' }, start: 0, length: '{{secs}}' }] }] };
      const res = await a.request('POST', '/v1/templates', { body: { name: 'greeting', composition } });
      assert.equal(res.status, 201);
      const tpl = await res.json() as { id: string; name: string; composition: unknown };
      assert.deepEqual(tpl.composition, composition, 'stored as given, placeholders kept');
      assert.equal((await a.getTemplate(tpl.id)).name, 'greeting');
      // The placeholders, as the Studio's form shows them: where each is and what the request must give.
      const withDefaults = await a.createTemplate({ name: 'defaults', composition: { ...composition, merge: { secs: 4 } } } as never);
      assert.deepEqual((await a.getTemplate(withDefaults.id)).placeholders, [
        { name: 'name', pointers: ['/tracks/0/clips/0/asset/text'], type: 'text', default: null },
        { name: 'secs', pointers: ['/tracks/0/clips/0/length'], type: 'number', default: 4 },
      ]);
      assert.equal((await a.request('DELETE', `/v1/templates/${withDefaults.id}`)).status, 204);
      assert.ok((await a.listTemplates()).data.some((x) => x.id === tpl.id));
      assert.equal((await a.updateTemplate(tpl.id, { name: 'hello' })).name, 'hello');
      const unknown = await problemOf(await a.request('PUT', `/v1/templates/${tpl.id}`, { body: { title: 'x' } }));
      assert.deepEqual([unknown.status, unknown.errors?.[0]?.pointer], [400, '/title']);
      const r = await a.createRender({ template: tpl.id, merge: { name: 'Ada', secs: 2 } });
      assert.equal(r.duration, 2);
      const missing = await problemOf(await a.request('POST', '/v1/validate', { body: { template: tpl.id, merge: { name: 'Ada' } } }));
      assert.deepEqual([missing.status, missing.code], [422, 'MONTAGE_E_MISSING_PLACEHOLDER']);
      assert.doesNotMatch(JSON.stringify(missing), /--merge/, 'no command-line advice in an HTTP answer');
      const del = await a.request('DELETE', `/v1/templates/${tpl.id}`);
      assert.equal(del.status, 204);
      assert.equal((await a.request('GET', `/v1/templates/${tpl.id}`)).status, 404);
    });

    it('isolates tenants: every {id} route answers 404 for another tenant’s object, and lists show only one’s own', async (t) => {
      if (skip) return t.skip(skip);
      const render = await a.createRender({ composition: colour(1) });
      const tpl = await a.createTemplate({ name: 'mine', composition: colour(1) });
      const asset = await a.uploadAsset(new TextEncoder().encode(SRT), { contentType: 'application/x-subrip', filename: 'a.srt' });
      const probes: [string, string, unknown?][] = [
        ['GET', `/v1/renders/${render.id}`], ['POST', `/v1/renders/${render.id}/cancel`], ['GET', `/v1/renders/${render.id}/events`],
        ['GET', `/v1/renders/${render.id}/output`], ['GET', `/v1/templates/${tpl.id}`], ['PUT', `/v1/templates/${tpl.id}`, { name: 'theirs' }],
        ['DELETE', `/v1/templates/${tpl.id}`], ['GET', `/v1/assets/${asset.id}`], ['DELETE', `/v1/assets/${asset.id}`],
      ];
      for (const [method, path, body] of probes) {
        const p = await problemOf(await b.request(method, path, { body }));
        assert.deepEqual([p.status, p.code], [404, 'MONTAGE_E_NOT_FOUND'], `${method} ${path}`);
      }
      // Using another tenant's asset in a composition is refused too.
      const useAsset = await problemOf(await b.request('POST', '/v1/renders', {
        body: { composition: { ...colour(), tracks: [{ clips: [{ asset: { type: 'image', src: asset.src }, start: 0, length: 1 }] }] } },
      }));
      assert.deepEqual([useAsset.status, useAsset.code], [404, 'MONTAGE_E_ASSET_NOT_FOUND']);
      assert.equal((await b.listRenders({ limit: 100 })).data.some((r) => r.id === render.id), false);
      assert.equal((await b.listTemplates({ limit: 100 })).data.some((x) => x.id === tpl.id), false);
      // Still there for the owner, untouched.
      assert.equal((await a.getRender(render.id)).status, 'queued');
      assert.equal((await a.getTemplate(tpl.id)).name, 'mine');
      assert.equal((await a.getAsset(asset.id)).bytes, Buffer.byteLength(SRT));
    });

    it('assets: upload keeps type, name, size and hash; delete makes it 404', async (t) => {
      if (skip) return t.skip(skip);
      const bytes = new TextEncoder().encode(SRT);
      const up = await a.request('POST', '/v1/assets', { body: bytes, query: { filename: 'hi.srt' }, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      assert.equal(up.status, 201);
      const asset = await up.json() as { id: string; src: string; bytes: number; sha256: string; contentType: string; filename: string; probe: { kind: string } };
      assert.deepEqual([asset.src, asset.bytes, asset.contentType, asset.filename, asset.probe.kind], [`asset:${asset.id}`, bytes.length, 'text/plain', 'hi.srt', 'captions']);
      assert.equal(asset.sha256, createHash('sha256').update(bytes).digest('hex'));
      const empty = await problemOf(await a.request('POST', '/v1/assets', { body: new Uint8Array(0) }));
      assert.equal(empty.status, 400);
      assert.deepEqual(empty.errors?.map((e) => e.pointer), ['']);
      assert.match(empty.detail ?? '', /send the file's bytes as the request body/);
      const emptyTyped = await problemOf(await a.request('POST', '/v1/assets', { body: new Uint8Array(0), headers: { 'content-type': 'application/octet-stream' } }));
      assert.deepEqual([emptyTyped.status, emptyTyped.errors?.map((e) => e.pointer)], [400, ['']]);
      assert.match(emptyTyped.detail ?? '', /send the file's bytes as the request body/);
      assert.equal((await a.request('DELETE', `/v1/assets/${asset.id}`)).status, 204);
      assert.equal((await a.request('GET', `/v1/assets/${asset.id}`)).status, 404);
    });

    it('uploads are probed with the render guards: media keeps its probe on the Asset, what no render could use is a 422 saying why, and nothing is kept', async (t) => {
      if (skip) return t.skip(skip);
      const mp4 = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=blue:s=96x160:r=10:d=1', '-f', 'lavfi', '-i', 'sine=f=440:d=1',
        '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+frag_keyframe+empty_moov', '-f', 'mp4', '-']);
      const video = await a.uploadAsset(new Uint8Array(mp4), { contentType: 'video/mp4', filename: 'portrait.mp4' });
      const probe = (await a.getAsset(video.id)).probe!;
      assert.deepEqual([probe.kind, probe.width, probe.height, probe.streams.map((s) => [s.type, s.codec])], ['media', 96, 160, [['video', 'h264'], ['audio', 'aac']]]);
      assert.ok(probe.duration! > 0.9 && probe.duration! < 1.5, String(probe.duration));
      const stored = () => (mode === 'embedded' ? readdirSync(join(svc!.dataDir, 'objects'), { recursive: true }).length : 0);
      const before = stored();
      for (const [name, body] of [['notes.png', 'these are notes, not a picture\n'], ['blob.bin', '\u0000\u0001 binary junk'.repeat(50)]] as const) {
        const res = await a.request('POST', '/v1/assets', { body: new TextEncoder().encode(body), query: { filename: name }, headers: { 'content-type': 'image/png' } });
        const p = await problemOf(res);
        assert.equal(res.status, 422, name);
        assert.match(p.code, /^MONTAGE_E_ASSET_(UNREADABLE|UNSUPPORTED)$/);
        assert.match(p.detail, /^The upload cannot be used by any render: it .*\. Upload a video, image or audio file, a font \(TTF, OTF, WOFF\) or captions \(SRT, WebVTT, a JSON transcript\)\.$/);
      }
      assert.equal(stored(), before, 'a refused upload leaves no object behind');
    });

    it('publishes a valid OpenAPI 3.1 document listing every route, and real answers match its schemas', async (t) => {
      if (skip) return t.skip(skip);
      const doc = await (await fetch(`${svc!.url}/openapi.json`)).json() as {
        openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
        components: { schemas: Record<string, unknown> };
      };
      assert.equal(doc.openapi, '3.1.0');
      const result = await new Validator().validate(doc as never);
      assert.equal(result.valid, true, JSON.stringify(result.errors)?.slice(0, 2000));
      // Every response says what it is: none is left as fastify-swagger's placeholder "Default Response".
      const vague = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).flatMap(([method, op]) =>
        Object.entries(op.responses ?? {}).filter(([, r]) => !(r as { description?: string }).description || (r as { description?: string }).description === 'Default Response')
          .map(([status]) => `${method} ${path} ${status}`)));
      assert.deepEqual(vague, []);
      const expected = [
        'post /v1/renders', 'get /v1/renders', 'get /v1/renders/{id}', 'post /v1/renders/{id}/cancel', 'get /v1/renders/{id}/events',
        'get /v1/renders/{id}/output', 'get /v1/renders/{id}/webhooks', 'post /v1/validate', 'post /v1/templates', 'get /v1/templates', 'get /v1/templates/{id}',
        'put /v1/templates/{id}', 'delete /v1/templates/{id}', 'post /v1/assets', 'get /v1/assets/{id}', 'delete /v1/assets/{id}',
        'get /healthz', 'get /readyz', 'get /metrics', 'get /openapi.json',
        // The Shotstack-compatible Edit API, at both of Shotstack's stage paths (docs/shotstack.md).
        ...['v1', 'stage'].flatMap((s) => [
          `post /edit/${s}/render`, `get /edit/${s}/render/{id}`, `get /edit/${s}/render/{id}/output`, `get /edit/${s}/probe/{url}`,
          `post /edit/${s}/templates`, `get /edit/${s}/templates`, `get /edit/${s}/templates/{id}`, `put /edit/${s}/templates/{id}`,
          `delete /edit/${s}/templates/{id}`, `post /edit/${s}/templates/render`,
        ]),
      ];
      const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => m !== 'head').map((m) => `${m} ${p}`));
      assert.deepEqual(listed.sort(), [...expected].sort());
      for (const [p, ops] of Object.entries(doc.paths)) {
        if (!p.startsWith('/v1')) continue;
        for (const [m, op] of Object.entries(ops)) {
          assert.ok(op.responses['401'] && op.responses['429'], `${m} ${p} documents 401 and 429`);
          assert.deepEqual(op.security, [{ bearerAuth: [] }]);
        }
      }
      for (const name of ['Composition', 'Render', 'RenderPieces', 'RenderPage', 'Problem', 'Template', 'Asset', 'ValidationResult', 'RenderRequest']) {
        assert.ok(doc.components.schemas[name], `components.schemas.${name}`);
      }
      // The schemas describe what the server really sends.
      const ajv = new Ajv({ strict: false, validateFormats: false });
      for (const s of SHARED_SCHEMAS) ajv.addSchema(s);
      const check = (id: string, value: unknown) => assert.ok(ajv.validate(`${id}#`, value), `${id}: ${ajv.errorsText()}`);
      const r = await a.createRender({ composition: colour(1), metadata: { x: 1 } });
      check('Render', r);
      assert.equal(r.pieces, null, 'no piece count before a render used the piece cache');
      check('Render', { ...r, pieces: { total: 30, reused: 27 } });
      assert.equal(ajv.validate('Render#', { ...r, pieces: { total: 30 } }), false, 'pieces has both counts');
      check('RenderPage', await a.listRenders({ limit: 3 }));
      check('TemplatePage', await a.listTemplates());
      check('ValidationResult', await a.validate({ composition: colour(1) }));
      check('Problem', await (await a.request('GET', '/v1/renders/nope')).json());
      // Errors are documented under the media type they are sent with.
      const problemRes = await a.request('GET', '/v1/renders/nope/events');
      assert.match(problemRes.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const errorTypes = new Set(Object.entries(doc.paths).filter(([p]) => !p.startsWith('/edit/')).flatMap(([, ops]) => Object.values(ops).flatMap((op) =>
        Object.entries(op.responses).filter(([status]) => Number(status) >= 400).flatMap(([, r]) => Object.keys((r as { content?: object }).content ?? {})))));
      assert.deepEqual([...errorTypes], ['application/problem+json']);
      // Its schemas load in its own dialect, JSON Schema 2020-12 (a draft-07 tuple under `items` does not),
      // and a real Template, whose composition holds a cubic-bezier easing, matches them.
      const ajv2020 = new Ajv2020({ strict: false, validateFormats: false });
      ajv2020.addSchema({ ...doc, $id: 'openapi' });
      const tplSchema = ajv2020.compile({ $ref: 'openapi#/components/schemas/Template' });
      const eased = colour(1);
      eased.tracks[0]!.clips[0]!.transition = { in: 'fade', easing: [0.2, 0, 0.2, 1] } as never;
      const easedTpl = await a.createTemplate({ name: 'eased', composition: eased });
      assert.ok(tplSchema(easedTpl), JSON.stringify(tplSchema.errors));
      const placeholderTpl = await a.createTemplate({ name: 'lengthed', composition: { ...colour(1), tracks: [{ clips: [{ ...colour(1).tracks[0]!.clips[0]!, length: '{{len}}' as never }] }] } });
      assert.ok(tplSchema(placeholderTpl), `a template with a placeholder where a number goes: ${JSON.stringify(tplSchema.errors)?.slice(0, 500)}`);
      const compositionSchema = ajv2020.compile({ $ref: 'openapi#/components/schemas/Composition' });
      assert.ok(compositionSchema(eased), JSON.stringify(compositionSchema.errors));
      assert.equal(compositionSchema({ ...eased, tracks: [{ clips: [{ ...eased.tracks[0]!.clips[0]!, transition: { in: 'fade', easing: [0.2, 0, 0.2, 1, 5] } }] }] }), false, 'a five-number easing is not one');
      for (const [m, p] of [['post', '/v1/renders'], ['post', '/v1/validate'], ['post', '/v1/templates'], ['put', '/v1/templates/{id}']]) {
        assert.ok(doc.paths[p]![m]!.responses['415'], `${m} ${p} documents 415 (a body that is not application/json)`);
      }
    });

    it('serves Prometheus metrics with the HTTP histogram by route, the queue depth and the oldest waiting job\'s age', async (t) => {
      if (skip) return t.skip(skip);
      const res = await fetch(`${svc!.url}/metrics`);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();
      assert.match(text, /montage_http_request_duration_seconds_bucket\{[^}]*method="POST"[^}]*route="\/v1\/renders"[^}]*status="202"/);
      assert.match(text, /montage_http_request_duration_seconds_count\{[^}]*route="\/v1\/renders\/:id"[^}]*status="404"/);
      const waiting = /montage_queue_depth\{state="waiting"\} (\d+)/.exec(text);
      assert.ok(waiting && Number(waiting[1]) > 0, 'queued renders are counted');
      const oldest = /^montage_queue_oldest_waiting_seconds (\S+)$/m.exec(text);
      assert.ok(oldest && Number(oldest[1]) > 0, `the oldest waiting job has an age: ${oldest?.[0]}`);
      assert.match(text, /montage_renders_total\{status="canceled"\} [1-9]/);
      assert.match(text, /process_cpu_seconds_total/);
    });

    it('logs JSON lines with the request id (reqId) (and render id where there is one), never a plaintext key', async (t) => {
      if (skip) return t.skip(skip);
      const r = await a.createRender({ composition: colour(1) });
      await a.getRender(r.id);
      await fetch(`${svc!.url}/v1/renders`, { headers: { authorization: `Bearer ${keys[1]}zz` } }); // a wrong key is not logged either
      const all = svc!.rawLogs.join('\n');
      for (const k of keys) {
        assert.equal(all.includes(k), false, 'a plaintext key reached the logs');
        assert.equal(all.includes(k.slice(3, 20)), false, 'part of a plaintext key reached the logs');
      }
      const completed = svc!.logs.filter((l) => l.msg === 'request completed');
      assert.ok(completed.length > 10);
      assert.ok(completed.every((l) => typeof l.reqId === 'string'));
      const aboutRender = svc!.logs.filter((l) => l.renderId === r.id);
      assert.ok(aboutRender.some((l) => l.msg === 'render accepted'));
      assert.ok(aboutRender.some((l) => l.msg === 'request completed'), 'GET /v1/renders/:id lines carry renderId');
    });
  });
}
