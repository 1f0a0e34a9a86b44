/**
 * One distributed render on the embedded stack (SQLite stores and queue, file objects, the real
 * engine), its pieces rendered in turn by one lane, with or without the piece cache; the data dir
 * persists, so a second run reuses the first's pieces. Run under /usr/bin/time to get the CPU time
 * of one render (ffmpeg children included):
 *
 *   /usr/bin/time -f '%U %S %e %M' node --import tsx bench/distributed-piece-cache.ts DIR NAME [off]
 *
 * A 1080p30 12 s template whose name shows in seconds 10.2–11.8: six 2 s pieces, the name in the last.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { createEmbeddedJobQueue } from '../src/adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../src/adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../src/adapters/in-process-render-events.ts';
import { createSqliteAssetStore } from '../src/adapters/sqlite-asset-store.ts';
import { createSqliteChunkStore } from '../src/adapters/sqlite-chunk-store.ts';
import { openSqlite } from '../src/adapters/sqlite-database.ts';
import { createSqliteIdempotencyStore } from '../src/adapters/sqlite-idempotency-store.ts';
import { createSqlitePieceCache } from '../src/adapters/sqlite-piece-cache.ts';
import { createSqliteRenderStore } from '../src/adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../src/adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../src/adapters/sqlite-webhook-outbox.ts';
import { EMPTY_ALLOW_LIST } from '../src/assets/allow-list.ts';
import { SafeFetcher } from '../src/assets/safe-fetcher.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createNotifyFinalStatus } from '../src/jobs/notify-final-status.ts';
import { createProcessJob } from '../src/jobs/process-job.ts';
import { createSubmitRender } from '../src/jobs/submit-render.ts';
import { createRenderEngine } from '../src/render/engine.ts';

const [dir, name = 'Ada', cache = 'on'] = process.argv.slice(2);
if (!dir) throw new Error('usage: distributed-piece-cache.ts DIR NAME [off]');
mkdirSync(dir, { recursive: true });
const db = openSqlite(join(dir, 'montage.db'));
const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
const renders = createSqliteRenderStore(db);
const queue = createEmbeddedJobQueue(db);
const objects = createFileObjectStore(join(dir, 'objects'));
const assets = createSqliteAssetStore(db);
const notify = createNotifyFinalStatus({ outbox: createSqliteWebhookOutbox(db), events: createInProcessRenderEvents(), publicUrl: 'https://api.example.com' });
const submit = createSubmitRender({ engine, renders, queue, idempotency: createSqliteIdempotencyStore(db), templates: createSqliteTemplateStore(db), assets, limits: loadConfig({}).limits });
const process_ = createProcessJob({
  renders, engine, events: createInProcessRenderEvents(), notify, objects, assets, workRoot: join(dir, 'work'),
  fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), threads: 2,
  distribute: { chunks: createSqliteChunkStore(db), queue, chunkSeconds: 2 },
  ...(cache === 'on' ? { pieceCache: { cache: createSqlitePieceCache(db, objects), bounds: {} } } : {}),
});
const S = 12;
const composition = {
  output: { format: 'mp4', width: 1920, height: 1080, fps: 30, quality: 'medium' },
  tracks: [
    { clips: [{ asset: { type: 'color', color: '#1c2541' }, start: 0, length: S }] },
    { clips: [
      { asset: { type: 'shape', shape: 'circle', width: 300, height: 300, fill: '#ffcc00' }, start: 0, length: S, keyframes: { x: [{ time: 0, value: -0.35 }, { time: S, value: 0.35 }] } },
      { asset: { type: 'text', text: 'Welcome back', font: { size: 96, color: '#ffffff' } }, start: 0.5, length: 4, position: 'top', transition: { in: 'fade' } },
      { asset: { type: 'text', text: name, font: { size: 120, color: '#ffffff' } }, start: 10.2, length: 1.6, position: 'bottom' },
    ] },
  ],
};
const t0 = Date.now();
const { render } = await submit('bench', { composition });
for (;;) {
  const job = await queue.lease({ workerId: 'bench', leaseMs: 600_000 });
  if (!job) break;
  const outcome = await process_(job, new AbortController().signal);
  if (outcome.kind === 'ack') await queue.ack(job); else await queue.release(job);
}
const done = await renders.get('bench', render.id);
console.log(JSON.stringify({ status: done?.status, pieces: done?.pieces, error: done?.error, wallSeconds: (Date.now() - t0) / 1000 }));
db.close();
