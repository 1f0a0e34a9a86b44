// The worker pipeline with the real engine, real SQLite, real files and real ffmpeg: what `serve`
// wires, minus HTTP. Skipped, with the reason, until src/render/engine.ts loads.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { SafeFetcher } from '../assets/safe-fetcher.ts';
import { EMPTY_ALLOW_LIST } from '../assets/allow-list.ts';
import { loadConfig } from '../config/load-config.ts';
import { MontageError } from '../errors/registry.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { createCancelRender } from './cancel-render.ts';
import { loadRealEngine } from './load-real-engine.ts';
import { createNotifyFinalStatus } from './notify-final-status.ts';
import { createProcessRenderJob } from './process-render-job.ts';
import { createSubmitRender } from './submit-render.ts';
import { decodePicture, extentOf } from '../../test/support/decoded-pictures.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

function service(extra: Partial<Parameters<typeof createProcessRenderJob>[0]> = {}) {
  const t = openTempSqlite();
  const renders = createSqliteRenderStore(t.db);
  const queue = createEmbeddedJobQueue(t.db);
  const events = createInProcessRenderEvents();
  const outbox = createSqliteWebhookOutbox(t.db);
  const objects = createFileObjectStore(join(t.dir, 'objects'));
  const assets = createSqliteAssetStore(t.db);
  const notify = createNotifyFinalStatus({ outbox, events, publicUrl: 'https://api.example.com' });
  const submit = createSubmitRender({
    engine: engine!, renders, queue, idempotency: createSqliteIdempotencyStore(t.db),
    templates: createSqliteTemplateStore(t.db), assets, limits: loadConfig({}).limits,
  });
  const process = createProcessRenderJob({
    renders, engine: engine!, events, notify, objects, assets, workRoot: join(t.dir, 'work'),
    fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), cancelPollMs: 200, ...extra,
  });
  const cancel = createCancelRender({ renders, notify });
  return { t, renders, queue, outbox, objects, submit, process, cancel, notify };
}

const colour = (length: number, extra: Record<string, unknown> = {}) => ({
  output: { format: 'mp4', width: 320, height: 240, fps: 25, ...extra },
  tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length }] }],
});

describe('process render job (real engine)', () => {
  it('renders a queued render to succeeded, stores a playable video and queues the webhook', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      const { render } = await s.submit('t1', { composition: colour(1, { poster: { time: 0.5 } }), webhook: { url: 'https://hooks.example.com/x' } });
      const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
      assert.deepEqual(await s.process(job!, new AbortController().signal), { kind: 'ack' });
      const done = await s.renders.get('t1', render.id);
      assert.equal(done?.status, 'succeeded', JSON.stringify(done?.error));
      assert.equal(done?.progress, 1);
      const video = done!.outputs.video!;
      assert.equal(video.contentType, 'video/mp4');
      const path = await s.objects.localPath!(video.key);
      const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path!]).toString()) as
        { streams: { codec_type: string; width?: number; height?: number }[]; format: { duration: string } };
      const v = probe.streams.find((x) => x.codec_type === 'video');
      assert.deepEqual([v?.width, v?.height], [320, 240]);
      assert.ok(Math.abs(Number(probe.format.duration) - 1) < 0.2);
      assert.ok(done!.outputs.poster, 'poster stored');
      const hooks = await s.outbox.listForRender('t1', render.id);
      assert.deepEqual(hooks.map((h) => h.eventType), ['render.succeeded']);
    } finally { await s.t.close(); }
  });

  it('fails a render whose composition names a local path, without reading it', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      // Written straight to the store: submission would already refuse it.
      const r = await s.renders.create({
        id: 'rnd_local', tenant: 't1', priority: 'normal', format: 'mp4', duration: 1, webhookUrl: null, metadata: null,
        composition: { output: { format: 'mp4', width: 320, height: 240 }, tracks: [{ clips: [{ asset: { type: 'image', src: '/etc/hostname' }, start: 0, length: 1 }] }] },
      });
      await s.queue.enqueue({ kind: 'render', v: 1, renderId: r.id, tenant: 't1' }, { priority: 'normal' });
      const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
      await s.process(job!, new AbortController().signal);
      const failed = await s.renders.get('t1', r.id);
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.error?.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    } finally { await s.t.close(); }
  });

  it('renders merge values as given: a value that reads like a placeholder is text, not filled again by the worker', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      // The composition's own merge has "wide"; the request's values spell placeholders.
      const composition = {
        output: { format: 'png', width: 320, height: 120 }, background: '#000000', merge: { wide: 'WWWWWWWWWWWW' },
        tracks: [{ clips: [{ asset: { type: 'text', text: '{{name}}', font: { size: 20, color: '#ffffff' } }, start: 0, length: 1 }] }],
      };
      const inkWidth = async (name: string) => {
        const { render } = await s.submit('t1', { composition, merge: { name } });
        const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
        await s.process(job!, new AbortController().signal);
        const done = await s.renders.get('t1', render.id);
        assert.equal(done?.status, 'succeeded', `${name}: ${JSON.stringify(done?.error)}`);
        const picture = await decodePicture((await s.objects.localPath!(done!.outputs.video!.key))!);
        return extentOf(picture, (c) => c[0] > 128)!.width;
      };
      // Before, the worker filled the stored (merged) composition again: "{{boss}}" failed the
      // accepted render with MONTAGE_E_MISSING_PLACEHOLDER, "{{wide}}" drew the other value.
      const literal = await inkWidth('{{boss}}');
      const wide = await inkWidth('{{wide}}');
      assert.ok(Math.abs(wide - literal) <= 12, `"{{wide}}" is drawn as those 8 characters (${wide} px wide; "{{boss}}" ${literal} px), not as 12 W`);
    } finally { await s.t.close(); }
  });

  it('stops a running render within 2 s of a cancel', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      const { render } = await s.submit('t1', { composition: colour(120, { width: 1280, height: 720, fps: 60, quality: 'high' }) });
      const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
      const running = s.process(job!, new AbortController().signal);
      for (let i = 0; i < 200 && (await s.renders.get('t1', render.id))?.status !== 'rendering'; i++) await new Promise((r) => setTimeout(r, 25));
      const started = Date.now();
      await s.cancel('t1', render.id);
      assert.deepEqual(await running, { kind: 'ack' });
      assert.ok(Date.now() - started < 2_000, `stopped after ${Date.now() - started} ms`);
      assert.equal((await s.renders.get('t1', render.id))?.status, 'canceled');
    } finally { await s.t.close(); }
  });

  it('hands a render back to the queue when the worker stops mid-render', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      const { render } = await s.submit('t1', { composition: colour(120, { width: 1280, height: 720, fps: 60 }) });
      const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
      const stop = new AbortController();
      const running = s.process(job!, stop.signal);
      await new Promise((r) => setTimeout(r, 500));
      stop.abort(new Error('shutting down'));
      assert.deepEqual(await running, { kind: 'release' });
      assert.equal((await s.renders.get('t1', render.id))?.status, 'queued');
    } finally { await s.t.close(); }
  });

  it('queues the webhook of a render that reached its final status just before its worker died, once', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      const { render } = await s.submit('t1', { composition: colour(1), webhook: { url: 'https://hooks.example.com/x' } });
      // The first worker: claimed, rendered, stored and moved the render to succeeded, then was
      // killed before it queued the webhook and acked; its lease ran out.
      const first = await s.queue.lease({ workerId: 'w1', leaseMs: 1 });
      assert.ok(first);
      for (const [from, to] of [['queued', 'preparing'], ['preparing', 'rendering'], ['rendering', 'finalizing'], ['finalizing', 'succeeded']] as const) {
        assert.ok(await s.renders.transition('t1', render.id, { from: [from], to }));
      }
      assert.deepEqual(await s.outbox.listForRender('t1', render.id), []);
      await new Promise((r) => setTimeout(r, 5));
      const again = await s.queue.lease({ workerId: 'w2', leaseMs: 60_000 });
      assert.equal(again?.attempts, 2);
      assert.deepEqual(await s.process(again!, new AbortController().signal), { kind: 'ack' });
      const hooks = await s.outbox.listForRender('t1', render.id);
      assert.deepEqual(hooks.map((h) => h.eventType), ['render.succeeded']);
      // A duplicate of the job (at-least-once delivery) queues nothing more.
      assert.deepEqual(await s.process({ ...again!, attempts: 3 }, new AbortController().signal), { kind: 'ack' });
      assert.equal((await s.outbox.listForRender('t1', render.id)).length, 1);
    } finally { await s.t.close(); }
  });

  it('MONTAGE_FAULT_PAUSE points hold the render where a chaos test kills it: part-written output, then stored but not final', async (t) => {
    if (skip) return t.skip(skip);
    const s = service({ faultPauses: { upload: 1_500, afterUpload: 1_500 } });
    try {
      const { render } = await s.submit('t1', { composition: colour(1) });
      const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
      const running = s.process(job!, new AbortController().signal);
      const tmp = join(s.t.dir, 'objects', '.tmp');
      const video = join(s.t.dir, 'objects', 'renders', 't1', render.id, 'video.mp4');
      const until = async (what: string, fn: () => boolean) => {
        for (let i = 0; i < 600 && !fn(); i++) await new Promise((r) => setTimeout(r, 25));
        assert.ok(fn(), what);
      };
      await until('a part-written output', () => readdirSync(tmp).some((f) => f.endsWith('.part') && statSync(join(tmp, f)).size > 0));
      assert.equal((await s.renders.get('t1', render.id))?.status, 'finalizing');
      assert.equal(existsSync(video), false);
      await until('the stored output', () => existsSync(video));
      assert.equal((await s.renders.get('t1', render.id))?.status, 'finalizing', 'stored, not yet final');
      assert.deepEqual(await running, { kind: 'ack' });
      assert.equal((await s.renders.get('t1', render.id))?.status, 'succeeded');
    } finally { await s.t.close(); }
  });

  it('queues the webhook when the move to succeeded committed but its answer was lost (the database went away)', async (t) => {
    if (skip) return t.skip(skip);
    const base = service();
    const renders = {
      ...base.renders,
      async transition(...args: Parameters<typeof base.renders.transition>) {
        const r = await base.renders.transition(...args);
        if (args[2].to === 'succeeded') throw new MontageError('MONTAGE_E_UNAVAILABLE', 'The database cannot be reached right now; try again shortly.');
        return r;
      },
    };
    const s = base;
    try {
      const process = createProcessRenderJob({
        renders, engine: engine!, events: createInProcessRenderEvents(), notify: base.notify, objects: base.objects, assets: createSqliteAssetStore(base.t.db),
        workRoot: join(base.t.dir, 'work'), fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), cancelPollMs: 200,
      });
      const { render } = await s.submit('t1', { composition: colour(1), webhook: { url: 'https://hooks.example.com/x' } });
      const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
      assert.deepEqual(await process(job!, new AbortController().signal), { kind: 'ack' });
      assert.equal((await base.renders.get('t1', render.id))?.status, 'succeeded');
      assert.deepEqual((await s.outbox.listForRender('t1', render.id)).map((h) => h.eventType), ['render.succeeded']);
    } finally { await base.t.close(); }
  });
});
