/**
 * The contract every JobQueue adapter must honour (see job-queue.ts). Uses real time with short
 * leases, so queues whose lock expiry cannot be faked (BullMQ) run it unchanged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractHarness } from './contract-harness.ts';
import type { JobQueue, RenderJobMessage } from './job-queue.ts';

export interface JobQueueHarness extends ContractHarness<JobQueue> {
  /** A second queue on the same backend, as a restarted or another process would open it. */
  reopen(): Promise<JobQueue>;
}

const msg = (renderId: string): RenderJobMessage => ({ kind: 'render', v: 1, renderId, tenant: 't1' });
const W = { workerId: 'test-worker', leaseMs: 10_000 };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function jobQueueContract(name: string, make: (opts: { maxAttempts: number }) => Promise<JobQueueHarness>): void {
  const t = (fn: (q: JobQueue, h: JobQueueHarness) => Promise<void>) => async () => {
    const h = await make({ maxAttempts: 2 });
    try { await fn(h.store, h); } finally { await h.close(); }
  };

  describe(`JobQueue contract: ${name}`, () => {
    it('leases high before normal before low, FIFO within a priority, and carries the message intact', t(async (q) => {
      await q.enqueue(msg('low1'), { priority: 'low' });
      await q.enqueue(msg('n1'), { priority: 'normal' });
      await q.enqueue(msg('h1'), { priority: 'high' });
      await q.enqueue(msg('n2'), { priority: 'normal' });
      await q.enqueue(msg('h2'), { priority: 'high' });
      const order: string[] = [];
      for (let j = await q.lease(W); j; j = await q.lease(W)) {
        order.push(j.message.renderId);
        assert.deepEqual(j.message, msg(j.message.renderId));
        assert.equal(j.attempts, 1);
        assert.equal(await q.ack(j), true);
      }
      assert.deepEqual(order, ['h1', 'h2', 'n1', 'n2', 'low1']);
      assert.deepEqual(await q.depth(), { waiting: 0, active: 0, dead: 0 });
    }));

    it('does not duplicate a job enqueued twice while waiting', t(async (q) => {
      await q.enqueue(msg('r1'), { priority: 'normal' });
      await q.enqueue(msg('r1'), { priority: 'normal' });
      assert.equal((await q.depth()).waiting, 1);
    }));

    it('gives each job to one of many concurrent consumers', t(async (q, h) => {
      for (let i = 0; i < 5; i++) await q.enqueue(msg(`r${i}`), { priority: 'normal' });
      const other = await h.reopen();
      const got = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? q : other).lease(W)));
      const ids = got.filter((j) => j !== null).map((j) => j!.message.renderId);
      assert.equal(ids.length, 5);
      assert.equal(new Set(ids).size, 5);
      assert.deepEqual(await q.depth(), { waiting: 0, active: 5, dead: 0 });
    }));

    it('a waiting lease returns as soon as a job arrives', t(async (q) => {
      const started = Date.now();
      const pending = q.lease({ ...W, waitMs: 5_000 });
      setTimeout(() => { void q.enqueue(msg('late'), { priority: 'normal' }); }, 100);
      const j = await pending;
      assert.equal(j?.message.renderId, 'late');
      assert.ok(Date.now() - started < 2_000);
      assert.equal(await q.lease({ ...W, waitMs: 50 }), null);
    }));

    it('leases a job again after its lease expired (worker killed), and ignores the dead lease', t(async (q, h) => {
      await q.enqueue(msg('r1'), { priority: 'normal' });
      const first = await q.lease({ ...W, leaseMs: 150 });
      assert.ok(first);
      assert.equal(await q.lease(W), null, 'not while the lease holds');
      await pause(400);
      const restarted = await h.reopen();
      const second = await restarted.lease(W);
      assert.equal(second?.message.renderId, 'r1');
      assert.equal(second?.attempts, 2);
      assert.equal(await q.ack(first!), false, 'the lost lease cannot ack');
      assert.equal(await q.heartbeat(first!, 10_000), false);
      assert.equal(await restarted.ack(second!), true);
    }));

    it('heartbeat keeps a lease alive past its first expiry', t(async (q) => {
      await q.enqueue(msg('r1'), { priority: 'normal' });
      const j = await q.lease({ ...W, leaseMs: 300 });
      for (let i = 0; i < 3; i++) { await pause(150); assert.equal(await q.heartbeat(j!, 300), true); }
      assert.equal(await q.lease(W), null);
    }));

    it('release hands the job back at once without counting the try', t(async (q) => {
      await q.enqueue(msg('r1'), { priority: 'normal' });
      const j = await q.lease(W);
      assert.equal(await q.release(j!), true);
      const again = await q.lease(W);
      assert.equal(again?.message.renderId, 'r1');
      assert.equal(again?.attempts, 1);
    }));

    it('tells where a job stands, and null for one it does not hold', t(async (q) => {
      assert.equal(await q.inspect('r1'), null);
      await q.enqueue(msg('r1'), { priority: 'low' });
      await q.enqueue(msg('r2'), { priority: 'normal' });
      assert.equal(await q.inspect('r1'), 'waiting');
      const j = await q.lease(W);
      assert.equal(j?.message.renderId, 'r2');
      assert.equal(await q.inspect('r2'), 'active');
      await q.nack(j!, { error: 'later', delayMs: 60_000 });
      assert.equal(await q.inspect('r2'), 'waiting', 'a delayed retry is waiting');
      const k = await q.lease(W);
      await q.ack(k!);
      assert.equal(await q.inspect('r1'), null, 'acked jobs are gone');
    }));

    it('tells how long the oldest leasable job has waited: from its enqueue, its hand-back, or the end of its retry delay', t(async (q) => {
      const age = () => q.oldestWaitingAgeSeconds();
      assert.equal(await age(), 0, 'an empty queue');
      await q.enqueue(msg('old'), { priority: 'low' });
      await pause(300);
      await q.enqueue(msg('new'), { priority: 'high' });
      const first = await age();
      assert.ok(first >= 0.25 && first < 5, `the low-priority job enqueued first sets the age: ${first}`);
      const a = await q.lease(W);
      assert.equal(a?.message.renderId, 'new');
      assert.ok(await age() >= first, 'still the old one');
      const b = await q.lease(W);
      assert.equal(b?.message.renderId, 'old');
      assert.equal(await age(), 0, 'leased jobs do not wait');

      await q.nack(b!, { error: 'later', delayMs: 60_000 });
      assert.equal(await age(), 0, 'a retry whose delay has not ended does not count');
      await q.release(a!);
      const handedBack = await age();
      assert.ok(handedBack < 0.25, `a handed-back job waits from its hand-back, not its enqueue: ${handedBack}`);
      const again = await q.lease(W);
      assert.equal(again?.message.renderId, 'new');
      assert.equal(await age(), 0);

      await q.ack(again!);
      await q.enqueue(msg('soon'), { priority: 'normal' });
      const c = await q.lease(W);
      await q.nack(c!, { error: 'shortly', delayMs: 150 });
      assert.equal(await age(), 0, 'not due yet');
      await pause(450);
      const due = await age();
      assert.ok(due >= 0.2 && due < 2, `a due retry waits from the end of its delay: ${due}`);
    }));

    it('nack retries after the delay, then the job is dead after its last attempt, and a re-enqueue revives it', t(async (q) => {
      await q.enqueue(msg('r1'), { priority: 'normal' });
      const a = await q.lease(W);
      assert.equal(await q.nack(a!, { error: 'boom', delayMs: 200 }), true);
      assert.equal(await q.lease(W), null, 'not before the delay');
      await pause(300);
      const b = await q.lease(W);
      assert.equal(b?.attempts, 2);
      await q.nack(b!, { error: 'boom again' });
      assert.equal(await q.lease(W), null);
      assert.deepEqual(await q.depth(), { waiting: 0, active: 0, dead: 1 });
      assert.equal(await q.inspect('r1'), 'dead');
      await q.enqueue(msg('r1'), { priority: 'normal' });
      assert.equal((await q.lease(W))?.attempts, 1);
    }));
  });
}
