// The hole the transactional outbox closes (issue 16, part 3.1): a worker commits a render's final
// status, then the database goes away before the webhook is queued (here: every write after the
// final move fails), and the queue loses the job, so no retry ever replays the notification. The
// webhook must still be in the outbox, because it was written in the final move's own transaction.
// Real engine, real ffmpeg, real PostgreSQL (the scale-out store) and real SQLite (the embedded one).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { openTempPostgres } from '../adapters/postgres-test-db.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { EMPTY_ALLOW_LIST } from '../assets/allow-list.ts';
import { SafeFetcher } from '../assets/safe-fetcher.ts';
import { loadConfig } from '../config/load-config.ts';
import { createPostgresStores } from '../main/postgres-stores.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import type { RenderEvents } from '../ports/render-events.ts';
import type { WebhookOutbox } from '../ports/webhook-outbox.ts';
import { loadRealEngine } from './load-real-engine.ts';
import { createNotifyFinalStatus } from './notify-final-status.ts';
import { createProcessRenderJob } from './process-render-job.ts';
import { createSubmitRender } from './submit-render.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

const gone = () => Promise.reject(new Error('the database went away'));

for (const db of ['postgres', 'sqlite'] as const) {
  describe(`a final status always has its webhook (${db})`, () => {
    it('keeps the webhook when the notification after the final commit fails and the job is lost', async (t) => {
      if (skip) return t.skip(skip);
      const lite = openTempSqlite(); // the job carrier (and, for sqlite, the store)
      const pg = db === 'postgres' ? await openTempPostgres() : null;
      try {
        const stores = pg ? createPostgresStores(pg.pool) : {
          renders: createSqliteRenderStore(lite.db), outbox: createSqliteWebhookOutbox(lite.db), idempotency: createSqliteIdempotencyStore(lite.db),
          templates: createSqliteTemplateStore(lite.db), assets: createSqliteAssetStore(lite.db),
        };
        const queue = createEmbeddedJobQueue(lite.db);
        const events = createInProcessRenderEvents();
        // Everything the notification does after the move fails, as with the database gone.
        const brokenOutbox: WebhookOutbox = { ...stores.outbox, enqueue: gone };
        const brokenEvents: RenderEvents = { ...events, publish: gone };
        const notify = createNotifyFinalStatus({ outbox: brokenOutbox, events: brokenEvents, publicUrl: 'https://api.example.com' });
        const submit = createSubmitRender({
          engine: engine!, renders: stores.renders, queue, idempotency: stores.idempotency, templates: stores.templates, assets: stores.assets, limits: loadConfig({}).limits,
        });
        const process = createProcessRenderJob({
          renders: stores.renders, engine: engine!, events, notify, objects: createFileObjectStore(join(lite.dir, 'objects')), assets: stores.assets,
          workRoot: join(lite.dir, 'work'), fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), cancelPollMs: 200,
        });
        const { render } = await submit('t1', {
          composition: { output: { format: 'mp4', width: 160, height: 90, fps: 5 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#0000ff' }, start: 0, length: 0.6 }] }] },
          webhook: { url: 'https://hooks.example.com/montage' },
        });
        const job = await queue.lease({ workerId: 'w', leaseMs: 60_000 });
        await process(job!, new AbortController().signal).catch(() => 'the notification failed');
        // The job is lost here: never acked, never replayed.
        const done = await stores.renders.get('t1', render.id);
        assert.equal(done?.status, 'succeeded');
        const hooks = await stores.outbox.listForRender('t1', render.id);
        assert.deepEqual(hooks.map((h) => [h.eventType, h.status]), [['render.succeeded', 'pending']]);
        const body = JSON.parse(hooks[0]!.payload) as { type: string; data: { id: string; status: string; outputs: Record<string, { url: string }> } };
        assert.deepEqual([body.type, body.data.id, body.data.status], ['render.succeeded', render.id, 'succeeded']);
        assert.match(body.data.outputs.video!.url, /^https:\/\/api\.example\.com\/v1\/renders\/.+\/output/);
        // The dispatcher's next pass picks it up.
        assert.deepEqual((await stores.outbox.claimDue(Date.now() + 1_000, 10, 60_000)).map((d) => d.id), [hooks[0]!.id]);
      } finally {
        await pg?.close();
        await lite.close();
      }
    });
  });
}
