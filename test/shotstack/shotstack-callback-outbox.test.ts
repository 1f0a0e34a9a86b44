// A Shotstack Edit's callback is written in the render's final move's own transaction, as the
// native webhook is (docs/reliability.md, "Final status and webhook in one transaction"): a worker
// commits `succeeded`, then every write after it fails (the database went away: outbox and events
// down) and the queue loses the job, so nothing replays the notification. The callback must still
// be pending in the outbox, with Shotstack's body and a signed link to the video.
// Real engine, real ffmpeg, real PostgreSQL and real SQLite.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createEmbeddedJobQueue } from '../../src/adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../../src/adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../../src/adapters/in-process-render-events.ts';
import { openTempPostgres } from '../../src/adapters/postgres-test-db.ts';
import { createSqliteAssetStore } from '../../src/adapters/sqlite-asset-store.ts';
import { createSqliteIdempotencyStore } from '../../src/adapters/sqlite-idempotency-store.ts';
import { createSqliteRenderStore } from '../../src/adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../../src/adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../../src/adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../../src/adapters/sqlite-test-db.ts';
import { EMPTY_ALLOW_LIST } from '../../src/assets/allow-list.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { loadRealEngine } from '../../src/jobs/load-real-engine.ts';
import { createNotifyFinalStatus } from '../../src/jobs/notify-final-status.ts';
import { createProcessRenderJob } from '../../src/jobs/process-render-job.ts';
import { createSubmitRender } from '../../src/jobs/submit-render.ts';
import { createPostgresStores } from '../../src/main/postgres-stores.ts';
import type { RenderEngine } from '../../src/ports/render-engine.ts';
import type { RenderEvents } from '../../src/ports/render-events.ts';
import type { WebhookOutbox } from '../../src/ports/webhook-outbox.ts';
import { importShotstackEdit } from '../../src/shotstack/edit-to-composition.ts';
import { CALLBACK_METADATA_KEY } from '../../src/shotstack/shotstack-views.ts';
import { createOutputLinkSigner } from '../../src/shotstack/signed-output-links.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

const gone = () => Promise.reject(new Error('the database went away'));
const signer = createOutputLinkSigner('callback-test-secret-0123456789abcdef');
const edit = {
  timeline: { background: '#0000ff', tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', rectangle: { width: 40, height: 20 }, fill: { color: '#ffffff' } }, start: 0, length: 0.6 }] }] },
  output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 5 },
  callback: 'https://hooks.example.com/shotstack',
};

for (const db of ['postgres', 'sqlite'] as const) {
  describe(`a Shotstack render's callback survives a crash after its final move (${db})`, () => {
    it('is pending in the outbox when every write after the final commit fails and the job is lost', async (t) => {
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
        const brokenOutbox: WebhookOutbox = { ...stores.outbox, enqueue: gone };
        const brokenEvents: RenderEvents = { ...events, publish: gone };
        const notify = createNotifyFinalStatus({ outbox: brokenOutbox, events: brokenEvents, publicUrl: 'https://api.example.com', signer });
        const submit = createSubmitRender({
          engine: engine!, renders: stores.renders, queue, idempotency: stores.idempotency, templates: stores.templates, assets: stores.assets, limits: loadConfig({}).limits,
        });
        const process = createProcessRenderJob({
          renders: stores.renders, engine: engine!, events, notify, objects: createFileObjectStore(join(lite.dir, 'objects')), assets: stores.assets,
          workRoot: join(lite.dir, 'work'), fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), cancelPollMs: 200,
        });
        // What POST /edit/v1/render does with an Edit that has a callback.
        const imported = importShotstackEdit(edit);
        assert.deepEqual(imported.problems, []);
        const { render } = await submit('t1', { composition: imported.composition, metadata: { [CALLBACK_METADATA_KEY]: imported.callback } });
        const job = await queue.lease({ workerId: 'w', leaseMs: 60_000 });
        const outcome = await process(job!, new AbortController().signal).then(() => 'notified', () => 'the notification failed');
        assert.equal(outcome, 'the notification failed', 'every write after the final move failed');
        // The job is lost here: never acked, never replayed.
        const done = await stores.renders.get('t1', render.id);
        assert.equal(done?.status, 'succeeded');
        const queued = await stores.outbox.listForRender('t1', render.id);
        assert.deepEqual(queued.map((h) => [h.eventType, h.url, h.status]), [['shotstack.render', 'https://hooks.example.com/shotstack', 'pending']]);
        const body = JSON.parse(queued[0]!.payload) as { type: string; action: string; id: string; status: string; url: string; error: null; completed: string };
        assert.deepEqual([body.type, body.action, body.id, body.status, body.error], ['edit', 'render', render.id, 'done', null]);
        assert.equal(body.completed, done!.finishedAt);
        // The link is the signed output route: it verifies for this tenant and render, a week long.
        const u = new URL(body.url);
        assert.equal(`${u.origin}${u.pathname}`, `https://api.example.com/edit/v1/render/${render.id}/output`);
        assert.deepEqual(signer.verify(render.id, Object.fromEntries(u.searchParams)), { tenant: 't1', kind: 'video' });
        assert.equal(Number(u.searchParams.get('expires')), Math.floor(Date.parse(done!.finishedAt!) / 1000 + 7 * 24 * 3600));
        // The dispatcher's next pass picks it up.
        assert.deepEqual((await stores.outbox.claimDue(Date.now() + 1_000, 10, 60_000)).map((d) => d.id), [queued[0]!.id]);
      } finally {
        await pg?.close();
        await lite.close();
      }
    });
  });
}
