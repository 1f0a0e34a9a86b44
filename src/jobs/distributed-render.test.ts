// Distributed rendering on the embedded stack: real SQLite stores and queue, real files, the real
// engine and ffmpeg. Two worker lanes lease whatever job comes next, as two workers would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { createSqliteChunkStore } from '../adapters/sqlite-chunk-store.ts';
import { createSqlitePieceCache } from '../adapters/sqlite-piece-cache.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { EMPTY_ALLOW_LIST } from '../assets/allow-list.ts';
import { SafeFetcher } from '../assets/safe-fetcher.ts';
import { loadConfig } from '../config/load-config.ts';
import { createRenderEngine } from '../render/engine.ts';
import { createCancelRender } from './cancel-render.ts';
import { createNotifyFinalStatus } from './notify-final-status.ts';
import { createProcessJob } from './process-job.ts';
import type { PieceDone } from './process-render-job.ts';
import { toRenderView } from './render-view.ts';
import { createSubmitRender } from './submit-render.ts';

const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });

function service(chunkSeconds = 2, opts: { readonly pieceCache?: boolean } = {}) {
  const t = openTempSqlite();
  const renders = createSqliteRenderStore(t.db);
  const queue = createEmbeddedJobQueue(t.db);
  const events = createInProcessRenderEvents();
  const objects = createFileObjectStore(join(t.dir, 'objects'));
  const assets = createSqliteAssetStore(t.db);
  const chunks = createSqliteChunkStore(t.db);
  const piecesDone: PieceDone[] = [];
  const outbox = createSqliteWebhookOutbox(t.db);
  const notify = createNotifyFinalStatus({ outbox, events, publicUrl: 'https://api.example.com' });
  const submit = createSubmitRender({
    engine, renders, queue, idempotency: createSqliteIdempotencyStore(t.db),
    templates: createSqliteTemplateStore(t.db), assets, limits: loadConfig({}).limits,
  });
  const process = createProcessJob({
    renders, engine, events, notify, objects, assets, workRoot: join(t.dir, 'work'),
    fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), cancelPollMs: 100,
    distribute: { chunks, queue, chunkSeconds },
    ...(opts.pieceCache ? { pieceCache: { cache: createSqlitePieceCache(t.db, objects), bounds: {}, onPiece: (p: PieceDone) => piecesDone.push(p) } } : {}),
  });
  return { t, renders, queue, objects, chunks, outbox, submit, process, piecesDone, cancel: createCancelRender({ renders, notify }) };
}

type Service = ReturnType<typeof service>;

/** Two lanes lease and process jobs until the queue is empty; returns who did what. */
const drain = async (s: Service) => {
  const log: Array<{ lane: string; job: string }> = [];
  let busy = 0;
  const lane = async (name: string) => {
    for (;;) {
      const job = await s.queue.lease({ workerId: name, leaseMs: 60_000 });
      if (!job) {
        // The other lane may be about to queue more (the pieces come after the render job, the
        // join after the last piece): stop only when the queue is empty and no lane is at work,
        // however long the other lane's job takes on a loaded machine.
        await new Promise((r) => setTimeout(r, 150));
        if (busy === 0 && !(await s.queue.lease({ workerId: name, leaseMs: 1 }).then(async (j) => { if (j) await s.queue.release(j); return j; }))) return;
        continue;
      }
      busy++;
      const m = job.message;
      log.push({ lane: name, job: m.kind === 'render-piece' ? `piece:${m.piece}` : m.kind });
      const outcome = await s.process(job, new AbortController().signal);
      if (outcome.kind === 'ack') await s.queue.ack(job);
      else if (outcome.kind === 'nack') await s.queue.nack(job, { error: outcome.error, delayMs: 0 });
      else await s.queue.release(job);
      busy--;
    }
  };
  await Promise.all([lane('A'), lane('B')]);
  return log;
};

const composition = {
  output: { format: 'mp4', width: 320, height: 180, fps: 25, quality: 'draft', poster: { time: 4.5 } },
  background: '#203040',
  tracks: [{ clips: [
    { asset: { type: 'color', color: '#ff0000' }, start: 0, length: 2.5, scale: 0.5, keyframes: { x: [{ time: 0, value: -0.3 }, { time: 2.5, value: 0.3 }] } },
    { asset: { type: 'text', text: 'pieces' }, start: 2, length: 3, transition: { in: 'fade' } },
  ] }],
};

describe('distributed render (embedded stack)', () => {
  it('splits a long render into pieces that both workers render, joins them, and matches the composition', async () => {
    const s = service();
    try {
      const { render } = await s.submit('t1', { composition });
      const log = await drain(s);
      const done = await s.renders.get('t1', render.id);
      assert.equal(done?.status, 'succeeded', JSON.stringify(done?.error));
      assert.equal(done?.progress, 1);

      // 5 s at 25 fps with 2 s keyframe intervals: parts 0–2, 2–4, 4–5, the audio, then the join.
      assert.deepEqual(log.map((l) => l.job).sort(), ['join-render', 'piece:0', 'piece:1', 'piece:2', 'piece:audio', 'render']);
      const lanes = new Set(log.filter((l) => l.job.startsWith('piece')).map((l) => l.lane));
      assert.equal(lanes.size, 2, `both workers rendered pieces: ${JSON.stringify(log)}`);

      const video = join(s.t.dir, 'objects', done!.outputs.video!.key);
      const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames,duration', '-of', 'json', video]).toString());
      const v = probe.streams.find((x: { codec_type: string }) => x.codec_type === 'video');
      const a = probe.streams.find((x: { codec_type: string }) => x.codec_type === 'audio');
      assert.equal(v.nb_read_frames, '125');
      assert.equal(Number(v.duration), 5);
      assert.ok(Math.abs(Number(a.duration) - 5) < 0.03, `audio ${a.duration}`);
      assert.ok(done!.outputs.poster!.bytes > 0);

      // The red square travels right: left of centre early (part 0), right of centre at 2.2 s (part 1).
      const redAt = (t: number) => {
        const row = execFileSync('ffmpeg', ['-v', 'error', '-ss', String(t), '-i', video, '-frames:v', '1', '-vf', 'crop=320:2:0:90', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
        const xs: number[] = [];
        for (let x = 0; x < 320; x++) if (row[3 * x] > 180 && row[3 * x + 1] < 80) xs.push(x);
        return xs.length ? (xs[0] + xs[xs.length - 1]) / 2 : NaN;
      };
      assert.ok(redAt(0.2) < 140, `red centre at 0.2 s: ${redAt(0.2)}`);
      assert.ok(redAt(2.2) > 180, `red centre at 2.2 s: ${redAt(2.2)}`);

      // Nothing of the pieces is left behind.
      assert.equal(await s.chunks.get('t1', render.id), null);
      const pieces = join(s.t.dir, 'objects', 'renders', 't1', render.id, 'pieces');
      assert.ok(!existsSync(pieces) || readdirSync(pieces).length === 0);
    } finally {
      await s.t.close();
    }
  });

  it('a short render is not split', async () => {
    const s = service(10);
    try {
      const { render } = await s.submit('t1', { composition });
      const log = await drain(s);
      assert.deepEqual(log.map((l) => l.job), ['render']);
      assert.equal((await s.renders.get('t1', render.id))?.status, 'succeeded');
    } finally {
      await s.t.close();
    }
  });

  it('a canceled render stops its pieces: none is rendered after the cancel, and nothing is left', async () => {
    const s = service();
    try {
      const { render } = await s.submit('t1', { composition });
      const first = await s.queue.lease({ workerId: 'A', leaseMs: 60_000 });
      await s.process(first!, new AbortController().signal);
      await s.queue.ack(first!);
      assert.equal((await s.chunks.get('t1', render.id))?.pieces.length, 4);
      await s.cancel('t1', render.id);
      const log = await drain(s);
      assert.deepEqual(log.map((l) => l.job).sort(), ['piece:0', 'piece:1', 'piece:2', 'piece:audio']);
      assert.equal((await s.renders.get('t1', render.id))?.status, 'canceled');
      assert.equal(await s.chunks.get('t1', render.id), null);
    } finally {
      await s.t.close();
    }
  });

  it('a join whose worker died while uploading (the render left finalizing) is done by the next lease', async () => {
    const s = service();
    try {
      const { render } = await s.submit('t1', { composition });
      for (;;) {
        const job = await s.queue.lease({ workerId: 'A', leaseMs: 60_000 });
        assert.ok(job, 'the join comes before the queue runs dry');
        if (job.message.kind === 'join-render') {
          // The join's worker moved the render to finalizing, began the upload, and was killed.
          assert.ok(await s.renders.transition('t1', render.id, { from: ['rendering'], to: 'finalizing' }));
          await s.queue.release(job);
          break;
        }
        const outcome = await s.process(job, new AbortController().signal);
        assert.equal(outcome.kind, 'ack');
        await s.queue.ack(job);
      }
      const again = await s.queue.lease({ workerId: 'B', leaseMs: 60_000 });
      assert.equal(again?.message.kind, 'join-render');
      assert.deepEqual(await s.process(again!, new AbortController().signal), { kind: 'ack' });
      const done = await s.renders.get('t1', render.id);
      assert.equal(done?.status, 'succeeded', JSON.stringify(done?.error));
      assert.ok(done!.outputs.video!.bytes > 0);
    } finally {
      await s.t.close();
    }
  });

  it('with the piece cache, a render that differs in one clip reuses the other pieces and decodes to the frames of a cold render', async () => {
    // 6 s at 25 fps cut on the piece grid (2 s, one keyframe interval): pieces 0–2, 2–4, 4–6.
    const template = (name: string) => ({
      output: { format: 'mp4', width: 320, height: 180, fps: 25, quality: 'draft' },
      background: '#203040',
      tracks: [{ clips: [
        { asset: { type: 'color', color: '#ff0000' }, start: 0, length: 6, scale: 0.4, keyframes: { x: [{ time: 0, value: -0.3 }, { time: 6, value: 0.3 }] } },
        { asset: { type: 'text', text: 'hello' }, start: 0.5, length: 1 },
        { asset: { type: 'text', text: name }, start: 4.2, length: 1.5 },
      ] }],
    });
    const s = service(2, { pieceCache: true });
    const cold = service(2);
    const framemd5 = (root: string, key: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', join(root, 'objects', key), '-map', '0:v', '-f', 'framemd5', '-'])
      .toString().split('\n').filter((l) => l && !l.startsWith('#'));
    try {
      const a = (await s.submit('t1', { composition: template('Ada') })).render;
      await drain(s);
      const doneA = await s.renders.get('t1', a.id);
      assert.equal(doneA?.status, 'succeeded', JSON.stringify(doneA?.error));
      assert.deepEqual(doneA?.pieces, { total: 3, reused: 0 }, 'a first render renders every piece and stores it');
      const storedA = s.piecesDone.filter((p) => p.renderId === a.id);
      assert.deepEqual(storedA.map((p) => [p.piece, p.reused]).sort(), [['0', false], ['1', false], ['2', false]]);

      const b = (await s.submit('t1', { composition: template('Grace'), webhook: { url: 'https://hooks.example.com/montage' } })).render;
      await drain(s);
      const doneB = await s.renders.get('t1', b.id);
      assert.equal(doneB?.status, 'succeeded', JSON.stringify(doneB?.error));
      assert.deepEqual(doneB?.pieces, { total: 3, reused: 2 }, 'only the piece that shows the name is rendered again');
      const byPiece = new Map(s.piecesDone.filter((p) => p.renderId === b.id).map((p) => [p.piece, p]));
      assert.equal(byPiece.get('2')?.reused, false);
      for (const piece of ['0', '1']) {
        assert.equal(byPiece.get(piece)?.reused, true, `piece ${piece} reused`);
        assert.equal(byPiece.get(piece)?.key, storedA.find((p) => p.piece === piece)?.key, `piece ${piece}: the key the first render stored`);
      }
      assert.deepEqual(toRenderView(doneB!, 'https://api.example.com').pieces, { total: 3, reused: 2 });
      const [hook] = await s.outbox.listForRender('t1', b.id);
      assert.deepEqual((JSON.parse(hook!.payload) as { data: { pieces: unknown } }).data.pieces, { total: 3, reused: 2 }, 'the webhook carries it');

      // Another tenant reuses nothing.
      const other = (await s.submit('t2', { composition: template('Grace') })).render;
      await drain(s);
      assert.deepEqual((await s.renders.get('t2', other.id))?.pieces, { total: 3, reused: 0 });

      // The same composition on a service without the cache: no piece count, and the same frames.
      const c = (await cold.submit('t1', { composition: template('Grace') })).render;
      await drain(cold);
      const doneC = await cold.renders.get('t1', c.id);
      assert.equal(doneC?.status, 'succeeded', JSON.stringify(doneC?.error));
      assert.equal(doneC?.pieces, null);
      const [fb, fc] = [framemd5(s.t.dir, doneB!.outputs.video!.key), framemd5(cold.t.dir, doneC!.outputs.video!.key)];
      assert.equal(fb.length, 150, 'frame count');
      assert.deepEqual(fb, fc, 'the decoded frames of the render with reused pieces are those of a cold render');
    } finally {
      await s.t.close();
      await cold.t.close();
    }
  });
});
