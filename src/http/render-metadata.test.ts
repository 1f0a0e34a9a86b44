// A render's `metadata` is the client's own opaque object (API.md), over real HTTP against
// `montage serve`: the keys the Shotstack-compatible API keeps there for itself (its callback, the
// Edit's hash, a GIF that plays once) are refused in a /v1 request, where they made the worker POST
// a Shotstack callback the request never asked for and changed the rendered GIF.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { embeddedServiceFixture } from './embedded-service-fixture.ts';

const service = embeddedServiceFixture({ MONTAGE_WORKER_CONCURRENCY: '0', MONTAGE_RATE_LIMIT: '0', MONTAGE_ALLOW_HOSTS: '127.0.0.1' });

const send = async (method: string, path: string, body?: unknown, idempotencyKey?: string) => {
  const res = await fetch(`${service.svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${service.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
};
const composition = {
  output: { format: 'gif', width: 64, height: 36, fps: 5 },
  tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length: 1 }] }],
};

describe('a /v1 render\'s metadata', () => {
  it('refuses the keys the Shotstack-compatible API keeps there, each at its pointer; other keys are the client\'s', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const metadata = { shotstackCallback: 'http://127.0.0.1:9/cb', shotstackGifPlaysOnce: true, shotstackEdit: 'abc', order: 7 };
    for (const route of ['/v1/renders', '/v1/validate']) {
      const res = await send('POST', route, { composition, metadata });
      assert.equal(res.status, 400, `${route}: ${JSON.stringify(res.body)}`);
      const errors = (res.body as { errors: { pointer: string; detail: string }[] }).errors;
      assert.deepEqual(errors.map((e) => e.pointer).sort(), ['/metadata/shotstackCallback', '/metadata/shotstackEdit', '/metadata/shotstackGifPlaysOnce']);
      assert.match(errors[0]!.detail, /reserved/);
    }
    const ok = await send('POST', '/v1/renders', { composition, metadata: { order: 7, shotstack: 'mine' } });
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.metadata, { order: 7, shotstack: 'mine' });
  });

  it('the Shotstack-compatible API still keeps its callback there, and an Idempotency-Key still tells its Edits apart', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const edit = (callback: string) => ({
      timeline: { tracks: [{ clips: [{ asset: { type: 'title', text: 'Hi' }, start: 0, length: 1 }] }] },
      output: { format: 'gif', size: { width: 64, height: 36 }, repeat: false },
      callback,
    });
    const created = await send('POST', '/edit/v1/render', edit('http://127.0.0.1:9/cb'), 'edit-1');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = (created.body as { response: { id: string } }).response.id;
    const r = await send('GET', `/v1/renders/${id}`);
    const kept = r.body.metadata as Record<string, unknown>;
    assert.equal(kept.shotstackCallback, 'http://127.0.0.1:9/cb');
    assert.equal(kept.shotstackGifPlaysOnce, true);
    assert.equal(typeof kept.shotstackEdit, 'string');
    // The same key with another callback is another request, as before.
    const other = await send('POST', '/edit/v1/render', edit('http://127.0.0.1:9/other'), 'edit-1');
    assert.equal(other.status, 422, JSON.stringify(other.body));
    assert.equal((other.body as { response: { code: string } }).response.code, 'MONTAGE_E_IDEMPOTENCY_MISMATCH');
  });
});
