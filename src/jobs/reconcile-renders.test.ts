// The reconciler on the real scale-out stores: PostgreSQL for renders (and the webhook outbox),
// BullMQ on Redis for jobs. Losing the queue is simulated the way it happens: the queue's keys vanish.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createBullmqJobQueue } from '../adapters/bullmq-job-queue.ts';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { createPostgresChunkStore } from '../adapters/postgres-chunk-store.ts';
import { createPostgresRenderStore } from '../adapters/postgres-render-store.ts';
import { openTempPostgres } from '../adapters/postgres-test-db.ts';
import { createPostgresWebhookOutbox } from '../adapters/postgres-webhook-outbox.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '../adapters/redis-test-keys.ts';
import { createNotifyFinalStatus } from './notify-final-status.ts';
import { pieceJobId } from './distributed-render.ts';
import { createReconcileRenders, startReconcileLoop, type ReconcileDeps } from './reconcile-renders.ts';

const W = { workerId: 'w', leaseMs: 10_000 };
const MIN = 60_000;

async function setup() {
  const db = await openTempPostgres();
  const prefix = uniqueTestPrefix();
  const queue = createBullmqJobQueue({ url: TEST_REDIS_URL, prefix, queueName: 'jobs', maxAttempts: 1, pollMs: 50 });
  const renders = createPostgresRenderStore(db.pool);
  const outbox = createPostgresWebhookOutbox(db.pool);
  const notify = createNotifyFinalStatus({ outbox, events: createInProcessRenderEvents(), publicUrl: 'http://montage.test' });
  const create = async (tenant = 't1') => renders.create({
    id: `rnd_${randomUUID()}`, tenant, priority: 'high', composition: {}, duration: 4, format: 'mp4',
    webhookUrl: 'https://example.com/hook', metadata: null,
  });
  /** A reconciler whose clock runs `aheadMs` in the future, so rows look that old. */
  const chunks = createPostgresChunkStore(db.pool);
  const reconciler = (aheadMs: number, more: Partial<ReconcileDeps> = {}) =>
    createReconcileRenders({ renders, queue, notify, chunks, clock: () => Date.now() + aheadMs, ...more });
  return {
    renders, queue, outbox, chunks, create, reconciler,
    /** What a Redis restart without persistence does to the queue. */
    loseQueue: () => deleteKeysWithPrefix(prefix),
    async close() {
      await queue.close();
      await deleteKeysWithPrefix(prefix);
      await db.close();
    },
  };
}

describe('reconcile renders (postgres + bullmq)', () => {
  it('re-queues a queued render whose job the queue lost, once, and leaves a fresh one to its submitter', async () => {
    const s = await setup();
    try {
      const r = await s.create();
      await s.queue.enqueue({ kind: 'render', v: 1, renderId: r.id, tenant: r.tenant }, { priority: 'high' });
      assert.ok(await s.loseQueue() > 0);
      assert.equal(await s.queue.inspect(r.id), null);
      assert.deepEqual(await s.reconciler(0, { queuedGraceMs: 30_000 })(), { requeued: [], retried: [], failed: [] }, 'within the grace');

      const report = await s.reconciler(MIN)();
      assert.deepEqual(report, { requeued: [r.id], retried: [], failed: [] });
      assert.deepEqual(await s.reconciler(MIN)(), { requeued: [], retried: [], failed: [] }, 'nothing twice');
      const job = await s.queue.lease(W);
      assert.deepEqual(job?.message, { kind: 'render', v: 1, renderId: r.id, tenant: 't1' });
      assert.equal(await s.queue.lease(W), null, 'one job, not two');
    } finally { await s.close(); }
  });

  it('retries a running render whose worker vanished with its job, and leaves one whose job is still held', async () => {
    const s = await setup();
    try {
      const lost = await s.create();
      const held = await s.create();
      for (const r of [lost, held]) {
        await s.queue.enqueue({ kind: 'render', v: 1, renderId: r.id, tenant: r.tenant }, { priority: 'normal' });
      }
      await s.queue.lease(W);
      await s.queue.lease(W);
      for (const r of [lost, held]) {
        await s.renders.transition('t1', r.id, { from: 'queued', to: 'preparing' });
        await s.renders.transition('t1', r.id, { from: 'preparing', to: 'rendering', progress: 0.3 });
      }
      assert.deepEqual(await s.reconciler(MIN)(), { requeued: [], retried: [], failed: [] }, 'not stale yet');
      await s.loseQueue();
      // Only `held`'s worker is still alive: it enqueued nothing, but its job is back and active.
      await s.queue.enqueue({ kind: 'render', v: 1, renderId: held.id, tenant: 't1' }, { priority: 'normal' });
      await s.queue.lease(W);

      const report = await s.reconciler(10 * MIN)();
      assert.deepEqual(report, { requeued: [], retried: [lost.id], failed: [] });
      assert.equal((await s.renders.get('t1', lost.id))?.status, 'queued');
      assert.equal((await s.renders.get('t1', held.id))?.status, 'rendering');
      assert.equal(await s.queue.inspect(lost.id), 'waiting');
      assert.equal((await s.queue.lease(W))?.message.renderId, lost.id);
    } finally { await s.close(); }
  });

  it('fails a render whose job is dead, or that ran out of time, and queues its webhook', async () => {
    const s = await setup();
    try {
      const dead = await s.create();
      await s.queue.enqueue({ kind: 'render', v: 1, renderId: dead.id, tenant: 't1' }, { priority: 'normal' });
      await s.queue.nack((await s.queue.lease(W))!, { error: 'worker crashed' });
      assert.equal(await s.queue.inspect(dead.id), 'dead');
      const old = await s.create('t2');
      await s.renders.transition('t2', old.id, { from: 'queued', to: 'preparing' });

      const report = await s.reconciler(7 * 60 * MIN)();
      assert.deepEqual([...report.failed].sort(), [dead.id, old.id].sort());
      for (const [tenant, id] of [['t1', dead.id], ['t2', old.id]] as const) {
        const r = await s.renders.get(tenant, id);
        assert.equal(r?.status, 'failed');
        assert.equal(r?.error?.code, 'MONTAGE_E_RENDER_FAILED');
        assert.deepEqual((await s.outbox.listForRender(tenant, id)).map((d) => d.eventType), ['render.failed']);
      }
    } finally { await s.close(); }
  });

  it('looks at the pieces of a distributed render before calling it abandoned', async () => {
    const s = await setup();
    try {
      const r = await s.create();
      await s.renders.transition('t1', r.id, { from: 'queued', to: 'preparing' });
      await s.renders.transition('t1', r.id, { from: 'preparing', to: 'rendering' });
      await s.chunks.createPlan('t1', r.id, [{ piece: '0', start: 0, length: 30, frames: 900 }, { piece: '1', start: 30, length: 30, frames: 900 }]);
      await s.chunks.complete('t1', r.id, '0', 'parts/0.mp4');
      // The coordinator's own job was acked after planning; only piece 1's job is left.
      await s.queue.enqueue({ kind: 'render-piece', v: 1, renderId: r.id, tenant: 't1', piece: '1' }, { priority: 'normal', jobId: pieceJobId(r.id, '1') });
      assert.deepEqual(await s.reconciler(10 * MIN)(), { requeued: [], retried: [], failed: [] });
      await s.loseQueue();
      assert.deepEqual(await s.reconciler(10 * MIN)(), { requeued: [], retried: [r.id], failed: [] });
      assert.equal((await s.queue.lease(W))?.message.kind, 'render', 'the coordinator runs again and re-plans what is left');
    } finally { await s.close(); }
  });

  it('runs passes on an interval until stopped', async () => {
    let passes = 0;
    const loop = startReconcileLoop(async () => { passes++; }, { intervalMs: 20 });
    await new Promise((r) => setTimeout(r, 120));
    await loop.stop();
    const seen = passes;
    assert.ok(seen >= 2, `ran ${seen} passes`);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(passes, seen);
  });

  it('stops without waiting for ever on a pass stuck on a store that went away', async () => {
    let started = false;
    const loop = startReconcileLoop(() => { started = true; return new Promise(() => {}); }, { intervalMs: 10, stopWaitMs: 100 });
    while (!started) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    await loop.stop();
    const took = Date.now() - t0;
    assert.ok(took >= 90 && took < 1_000, `stop took ${took} ms`);
  });
});
