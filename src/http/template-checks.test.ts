// What saving a template checks, over real HTTP against `montage serve`: a template's placeholders
// may still lack values (a render request supplies them), but every other problem is refused at
// save, as for a composition: in /v1 (a composition) and in /edit/v1 (a Shotstack Edit, named at
// its paths in the Edit).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { embeddedServiceFixture } from './embedded-service-fixture.ts';

const service = embeddedServiceFixture({ MONTAGE_WORKER_CONCURRENCY: '0', MONTAGE_RATE_LIMIT: '0' });

const send = async (method: string, path: string, body: unknown) => {
  const res = await fetch(`${service.svc.url}${path}`, { method, headers: { authorization: `Bearer ${service.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
};
type Problem = { code: string; errors?: { pointer: string; detail: string }[] };
type Envelope = { success: boolean; response: { code: string; error: string; details?: { path: string; message: string }[] } };
const pointers = (p: Problem) => (p.errors ?? []).map((e) => e.pointer).sort();
const paths = (e: Envelope) => (e.response.details ?? []).map((d) => d.path).sort();

const composition = (clip: Record<string, unknown>, output: Record<string, unknown> = {}) => ({
  output: { format: 'mp4', width: 160, height: 90, fps: 10, ...output },
  tracks: [{ clips: [{ asset: { type: 'text', text: 'Hi {{name}}' }, start: 0, length: 1, ...clip }] }],
});

describe('POST/PUT /v1/templates with placeholders still open', () => {
  it('refuses every problem that is not a placeholder\'s: an unknown field, a format that does not exist', async (t) => {
    if (service.skip) return t.skip(service.skip);
    // Before, one open placeholder anywhere skipped every check: this was saved (201) and failed only at render.
    const res = await send('POST', '/v1/templates', { name: 'bad', composition: composition({ bogus: 1 }, { format: 'avi' }) });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    const p = res.body as Problem;
    assert.equal(p.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.deepEqual(pointers(p), ['/output/format', '/tracks/0/clips/0/bogus']);
    const tpl = await send('POST', '/v1/templates', { name: 'good', composition: composition({}) });
    assert.equal(tpl.status, 201);
    const put = await send('PUT', `/v1/templates/${tpl.body.id as string}`, { composition: composition({ length: -1 }) });
    assert.equal(put.status, 422, JSON.stringify(put.body));
    assert.deepEqual(pointers(put.body as Problem), ['/tracks/0/clips/0/length']);
  });

  it('accepts a placeholder wherever its value will go: a number, a colour, an enum, a whole object', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const res = await send('POST', '/v1/templates', {
      name: 'open',
      composition: {
        output: { format: '{{format}}', width: '{{w}}', height: 90, fps: 10, range: '{{range}}' },
        background: '{{bg}}',
        tracks: [{ clips: [
          { asset: { type: 'color', color: '{{c}}' }, start: '{{s}}', length: '{{len}}', offset: { x: '{{x}}', y: 0 }, position: '{{pos}}' },
          { asset: { type: 'text', text: '{{name}}' }, start: 'auto', length: 'end' },
        ] }],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
});

describe('POST/PUT /edit/v1/templates (Shotstack Edits)', () => {
  const edit = (clip: Record<string, unknown>, output: Record<string, unknown> = {}) => ({
    timeline: { tracks: [{ clips: [{ asset: { type: 'title', text: '{{ NAME }}' }, start: 0, length: 1, ...clip }] }] },
    output: { format: 'mp4', size: { width: 160, height: 90 }, ...output },
  });

  it('with placeholders open, refuses what Montage cannot render at its path in the Edit', async (t) => {
    if (service.skip) return t.skip(service.skip);
    // Before: saved (201) without a look, because NAME had no value yet.
    const res = await send('POST', '/edit/v1/templates', { name: 'bad', template: edit({ bogus: 1, asset: { type: 'html', html: '<p>{{ NAME }}</p>' } }, { format: 'avi' }) });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    const e = res.body as Envelope;
    assert.equal(e.response.code, 'MONTAGE_E_EDIT_UNSUPPORTED');
    assert.deepEqual(paths(e), ['/output/format', '/timeline/tracks/0/clips/0/asset/type', '/timeline/tracks/0/clips/0/bogus']);
  });

  it('with placeholders open where numbers and colours go, saves', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const res = await send('POST', '/edit/v1/templates', { name: 'open', template: edit({ length: '{{ LEN }}', asset: { type: 'title', text: '{{ NAME }}', color: '{{ COLOR }}' } }) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  it('names a composition rule at its path in the Edit (tracks reversed, size), as POST /render does', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const template = {
      timeline: { tracks: [
        { clips: [{ asset: { type: 'title', text: 'x' }, start: 0, length: 1 }] },
        { clips: [{ asset: { type: 'title', text: 'y' }, start: 0, length: 'end' }, { asset: { type: 'title', text: 'z' }, start: 'auto', length: 1 }] },
      ] },
      output: { format: 'mp4', size: { width: 161, height: 90 } },
    };
    const res = await send('POST', '/edit/v1/templates', { name: 'odd', template });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.deepEqual(paths(res.body as Envelope), ['/output/size/width', '/timeline/tracks/1/clips/1/start']);
  });

  it('names the request\'s own fields: a missing template at /template, an unknown field at its path', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const missing = await send('POST', '/edit/v1/templates', { name: 'none' });
    assert.equal(missing.status, 400);
    assert.deepEqual(paths(missing.body as Envelope), ['/template']);
    const extra = await send('POST', '/edit/v1/templates', { name: 'extra', template: edit({}), tags: ['x'] });
    assert.equal(extra.status, 400, JSON.stringify(extra.body));
    assert.deepEqual(paths(extra.body as Envelope), ['/tags']);
    assert.match((extra.body as Envelope).response.details![0]!.message, /name and template/);
  });
});

describe('a Shotstack template given to /v1', () => {
  it('is refused at /template with the route that renders it, not with four problems of a composition it is not', async (t) => {
    if (service.skip) return t.skip(service.skip);
    const template = {
      timeline: { tracks: [{ clips: [{ asset: { type: 'title', text: '{{ NAME }}' }, start: 0, length: 1 }] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 } },
    };
    const saved = await send('POST', '/edit/v1/templates', { name: 'edit', template });
    assert.equal(saved.status, 201);
    const id = (saved.body as Envelope & { response: { id: string } }).response.id;
    for (const route of ['/v1/renders', '/v1/validate']) {
      const res = await send('POST', route, { template: id, merge: { NAME: 'Ada' } });
      assert.equal(res.status, 400, `${route}: ${JSON.stringify(res.body)}`);
      const p = res.body as Problem;
      assert.equal(p.code, 'MONTAGE_E_INVALID_REQUEST');
      assert.deepEqual(pointers(p), ['/template']);
      assert.match(p.errors![0]!.detail, /Shotstack Edit.*POST \/edit\/v1\/templates\/render/);
    }
  });
});
