import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../adapters/sqlite-template-store.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { loadConfig } from '../config/load-config.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { loadRealEngine } from './load-real-engine.ts';
import { checkEnvelope, createSubmitRender } from './submit-render.ts';
import { createTemplateUseCases } from './manage-templates.ts';

const colour = (over: Record<string, unknown> = {}) => ({
  output: { format: 'mp4', width: 320, height: 240, fps: 25, ...over },
  tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length: 1 }] }],
});

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

const setup = (env: Record<string, string> = {}) => {
  const t = openTempSqlite();
  const deps = {
    engine: engine!, renders: createSqliteRenderStore(t.db), queue: createEmbeddedJobQueue(t.db),
    idempotency: createSqliteIdempotencyStore(t.db), templates: createSqliteTemplateStore(t.db),
    assets: createSqliteAssetStore(t.db), limits: loadConfig(env).limits,
  };
  return { t, deps, submit: createSubmitRender(deps) };
};

describe('submit render', () => {
  it('checks the request envelope and lists every problem', () => {
    assert.throws(() => checkEnvelope({ composition: {}, template: 'x', priority: 'urgent', metadata: { big: 'x'.repeat(5000) }, webhook: { url: 'ftp://x' }, extra: 1 }), (e: { code: string; problems: { pointer: string }[] }) => {
      assert.equal(e.code, 'MONTAGE_E_INVALID_REQUEST');
      assert.deepEqual(e.problems.map((p) => p.pointer).sort(), ['', '/extra', '/metadata', '/priority', '/webhook/url']);
      return true;
    });
    // A problem of the whole body has no pointer to begin its line with (it read ": Give exactly one …").
    assert.throws(() => checkEnvelope({}), { code: 'MONTAGE_E_INVALID_REQUEST', message: 'Give exactly one of "composition" or "template".' });
  });

  it('writes a queued render and its job, and replays an idempotent retry', async (t) => {
    if (skip) return t.skip(skip);
    const s = setup();
    try {
      const body = { composition: colour(), priority: 'high', metadata: { order: 7 }, webhook: { url: 'https://hooks.example.com/m' } };
      const first = await s.submit('t1', body, { idempotencyKey: 'k1' });
      assert.equal(first.replayed, false);
      assert.equal(first.render.status, 'queued');
      assert.equal(first.render.priority, 'high');
      assert.equal(first.render.format, 'mp4');
      assert.equal(first.render.duration, 1);
      const job = await s.deps.queue.lease({ workerId: 'w', leaseMs: 1_000 });
      assert.deepEqual(job?.message, { kind: 'render', v: 1, renderId: first.render.id, tenant: 't1' });

      const reordered = { priority: 'high', webhook: { url: 'https://hooks.example.com/m' }, metadata: { order: 7 }, composition: colour() };
      const again = await s.submit('t1', reordered, { idempotencyKey: 'k1' });
      assert.equal(again.replayed, true);
      assert.equal(again.render.id, first.render.id);
      assert.deepEqual(await s.deps.queue.depth(), { waiting: 0, active: 1, dead: 0 }, 'no second job');
      await assert.rejects(s.submit('t1', { composition: colour({ width: 640 }) }, { idempotencyKey: 'k1' }), { code: 'MONTAGE_E_IDEMPOTENCY_MISMATCH' });
      const other = await s.submit('t2', body, { idempotencyKey: 'k1' });
      assert.notEqual(other.render.id, first.render.id, 'keys are per tenant');
    } finally { await s.t.close(); }
  });

  it('enforces the configured limits with a pointer per problem, before anything is stored', async (t) => {
    if (skip) return t.skip(skip);
    const s = setup({ MONTAGE_MAX_LONG_SIDE: '256', MONTAGE_MAX_FPS: '24', MONTAGE_MAX_DURATION: '0.5' });
    try {
      await assert.rejects(s.submit('t1', { composition: colour() }), (e: { code: string; problems: { pointer: string; detail: string }[] }) => {
        assert.equal(e.code, 'MONTAGE_E_LIMIT_EXCEEDED');
        assert.deepEqual(e.problems.map((p) => p.pointer).sort(), ['/output/duration', '/output/fps', '/output/width']);
        assert.match(e.problems.find((p) => p.pointer === '/output/width')!.detail, /long side is 320 pixels; this service's limit is 256 pixels \(MONTAGE_MAX_LONG_SIDE\)/);
        return true;
      });
      // Portrait is limited by the same long side: the height is named.
      await assert.rejects(s.submit('t1', { composition: colour({ width: 144, height: 320, fps: 24 }) }), (e: { problems: { pointer: string }[] }) => {
        assert.ok(e.problems.some((p) => p.pointer === '/output/height'), JSON.stringify(e.problems));
        return true;
      });
      assert.equal((await s.deps.renders.list('t1', { limit: 10 })).data.length, 0);
      assert.equal((await s.deps.queue.depth()).waiting, 0);
    } finally { await s.t.close(); }
  });

  it('refuses local paths and unknown uploaded assets at submission', async (t) => {
    if (skip) return t.skip(skip);
    const s = setup();
    try {
      const withSrc = (src: string) => ({
        output: { format: 'mp4', width: 320, height: 240 },
        tracks: [{ clips: [{ asset: { type: 'image', src }, start: 0, length: 1 }] }],
      });
      await assert.rejects(s.submit('t1', { composition: withSrc('/etc/passwd') }), (e: { code: string; problems: { pointer: string; detail: string }[] }) => {
        assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
        assert.equal(e.problems[0]?.pointer, '/tracks/0/clips/0/asset/src');
        assert.match(e.problems[0]!.detail, /never a local path/);
        return true;
      });
      await assert.rejects(s.submit('t1', { composition: withSrc('asset:ast_missing') }), { code: 'MONTAGE_E_ASSET_NOT_FOUND' });
    } finally { await s.t.close(); }
  });

  it('renders from a stored template with merge values, and refuses an unknown template', async (t) => {
    if (skip) return t.skip(skip);
    const s = setup();
    try {
      const templates = createTemplateUseCases({ templates: s.deps.templates });
      const tpl = await templates.create('t1', {
        name: 'red', composition: { ...colour(), tracks: [{ clips: [{ asset: { type: 'color', color: '{{c}}' }, start: 0, length: '{{len}}' }] }] },
      });
      const r = await s.submit('t1', { template: tpl.id, merge: { c: '#00ff00', len: 2 } });
      assert.equal(r.render.duration, 2);
      await assert.rejects(s.submit('t2', { template: tpl.id, merge: { c: '#00ff00', len: 2 } }), { code: 'MONTAGE_E_NOT_FOUND' });
    } finally { await s.t.close(); }
  });
});
