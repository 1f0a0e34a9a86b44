// A Shotstack merge value is text once merged, over real HTTP against `montage serve`: the Edit's
// merge is applied before the Edit is imported, so a value that reads like a placeholder
// ("{{ BOSS }}") was filled a second time at submit and the render refused as missing BOSS.
// A placeholder of the Edit itself without a value is still refused, naming it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { embeddedServiceFixture } from './embedded-service-fixture.ts';

const service = embeddedServiceFixture({ MONTAGE_RATE_LIMIT: '0' });

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${service.svc.url}${path}`, { method, headers: { 'x-api-key': service.key, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() as { response: Record<string, unknown> } };
};
const edit = (merge: unknown[]) => ({
  timeline: { tracks: [{ clips: [{ asset: { type: 'title', text: 'Hi {{ NAME }}' }, start: 0, length: 1 }] }] },
  output: { format: 'png', size: { width: 160, height: 90 } },
  merge,
});

describe('Shotstack merge values', () => {
  it('a value that reads like a placeholder is rendered as text, not filled again', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const created = await call('POST', '/edit/v1/render', edit([{ find: 'NAME', replace: '{{ BOSS }}' }]));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.response.id as string;
    let status = '';
    for (let i = 0; i < 120 && !['done', 'failed'].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      const s = await call('GET', `/edit/v1/render/${id}`);
      status = String(s.body.response.status);
      if (status === 'failed') assert.fail(JSON.stringify(s.body.response));
    }
    assert.equal(status, 'done');
  });

  it('a placeholder of the Edit with no value is still refused, named at its path', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const r = await call('POST', '/edit/v1/render', edit([]));
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.response.code, 'MONTAGE_E_MISSING_PLACEHOLDER');
    assert.match(JSON.stringify(r.body.response.details), /\/timeline\/tracks\/0\/clips\/0\/asset\/text/);
  });
});
