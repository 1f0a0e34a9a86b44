// The BullMQ queue against the shared JobQueue contract (the suite the embedded queue runs), on the
// Redis of the machine, each harness with its own key prefix and queue name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { jobQueueContract } from '../ports/job-queue.contract.ts';
import { createBullmqJobQueue, withTimeout, type BullmqJobQueue } from './bullmq-job-queue.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from './redis-test-keys.ts';

// Short stalled interval: the contract's expired-lease test waits 400 ms for a 150 ms lease.
const open = (prefix: string, maxAttempts = 3) =>
  createBullmqJobQueue({ url: TEST_REDIS_URL, prefix, queueName: 'jobs', maxAttempts, pollMs: 50, stalledIntervalMs: 100 });

jobQueueContract('bullmq (redis)', async ({ maxAttempts }) => {
  const prefix = uniqueTestPrefix();
  const opened: BullmqJobQueue[] = [open(prefix, maxAttempts)];
  return {
    store: opened[0]!,
    async reopen() {
      const q = open(prefix, maxAttempts);
      opened.push(q);
      return q;
    },
    async close() {
      await Promise.all(opened.map((q) => q.close()));
      await deleteKeysWithPrefix(prefix);
    },
  };
});

describe('bullmq job queue', () => {
  it('keeps ids with colons (piece and join jobs) and deduplicates them', async () => {
    const prefix = uniqueTestPrefix();
    const q = open(prefix);
    try {
      const m = { kind: 'join-render', v: 1, renderId: 'rnd_1', tenant: 't1' } as const;
      assert.deepEqual(await q.enqueue(m, { priority: 'high', jobId: 'rnd_1:join' }), { jobId: 'rnd_1:join' });
      await q.enqueue(m, { priority: 'high', jobId: 'rnd_1:join' });
      await q.enqueue({ kind: 'render-piece', v: 1, renderId: 'rnd_1', tenant: 't1', piece: '0' }, { priority: 'normal', jobId: 'rnd_1:piece:0' });
      assert.equal((await q.depth()).waiting, 2);
      const j = await q.lease({ workerId: 'w', leaseMs: 5_000 });
      assert.equal(j?.id, 'rnd_1:join');
      assert.equal(await q.inspect('rnd_1:join'), 'active');
      assert.deepEqual(j?.message, m);
    } finally {
      await q.close();
      await deleteKeysWithPrefix(prefix);
    }
  });

  it('leases again, through stalled-job detection, a job whose worker process was killed', async () => {
    const prefix = uniqueTestPrefix();
    const q = open(prefix);
    try {
      await q.enqueue({ kind: 'render', v: 1, renderId: 'r1', tenant: 't1' }, { priority: 'normal' });
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
        const { createBullmqJobQueue } = await import(${JSON.stringify(new URL('./bullmq-job-queue.ts', import.meta.url).href)});
        const q = createBullmqJobQueue({ url: ${JSON.stringify(TEST_REDIS_URL)}, prefix: ${JSON.stringify(prefix)}, queueName: 'jobs' });
        const job = await q.lease({ workerId: 'doomed', leaseMs: 500 });
        process.stdout.write(job ? 'leased\\n' : 'none\\n');
        setInterval(() => {}, 1000);
      `], { stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
      const leaseEnd = Date.now() + 500;
      assert.equal(line, 'leased');
      child.kill('SIGKILL');
      await once(child, 'exit');
      assert.equal(await q.lease({ workerId: 'survivor', leaseMs: 1_000 }), null, 'the dead lease still holds');
      assert.equal(await q.oldestWaitingAgeSeconds(), 0, 'a held lease is not waiting');
      let age = 0;
      // The stalled checker runs on a timer (every 100 ms here), late when the whole suite loads the
      // machine: a CI run at load 24 saw nothing after 15 s; it ends as soon as the job is back.
      for (const end = Date.now() + 40_000; age === 0 && Date.now() < end;) {
        await new Promise((r) => setTimeout(r, 50));
        age = await q.oldestWaitingAgeSeconds();
      }
      // The job was enqueued before the child started (a second or more under tsx); it waits from the lease's end.
      assert.ok(age > 0 && age <= (Date.now() - leaseEnd) / 1000 + 0.25,
        `waiting once the stalled checker put it back, since the lease ended: ${age} s (job ${await q.inspect('r1')}, ${((Date.now() - leaseEnd) / 1000).toFixed(1)} s after the lease's end)`);
      const again = await q.lease({ workerId: 'survivor', leaseMs: 1_000, waitMs: 3_000 });
      assert.equal(again?.message.renderId, 'r1');
      assert.equal(again?.attempts, 2);
      assert.equal(await q.ack(again!), true);
      assert.equal(await q.inspect('r1'), null);
    } finally {
      await q.close();
      await deleteKeysWithPrefix(prefix);
    }
  });

  it('wakes a lease waiting in another queue instance (process) as soon as a job is queued, without waiting for its poll', async () => {
    const prefix = uniqueTestPrefix();
    const slowPoll = () => createBullmqJobQueue({ url: TEST_REDIS_URL, prefix, queueName: 'jobs', pollMs: 3_000 });
    const [leaser, submitter] = [slowPoll(), slowPoll()];
    try {
      assert.equal(await leaser.lease({ workerId: 'w', leaseMs: 5_000, waitMs: 300 }), null); // subscribes; nothing yet
      const waiting = leaser.lease({ workerId: 'w', leaseMs: 5_000, waitMs: 10_000 });
      await new Promise((r) => setTimeout(r, 100));
      const queuedAt = Date.now();
      await submitter.enqueue({ kind: 'render', v: 1, renderId: 'rnd_woken', tenant: 't1' }, { priority: 'normal' });
      const job = await waiting;
      const ms = Date.now() - queuedAt;
      assert.equal(job?.id, 'rnd_woken');
      assert.ok(ms < 1_000, `leased ${ms} ms after the enqueue (the poll is every 3000 ms)`);
    } finally {
      await Promise.all([leaser.close(), submitter.close()]);
      await deleteKeysWithPrefix(prefix);
    }
  });

  // Redis restarted empty while a worker's field write waited in the client's offline queue: the
  // write landed after the restart and left a one-field hash under the render's id, which BullMQ
  // took for the job; the reconciler's enqueue was a no-op ever after (CI, 2026-12-06).
  it('queues an id again over a stray hash of our fields alone, and never writes one', async () => {
    const prefix = uniqueTestPrefix();
    const q = open(prefix);
    const redis = new Redis(TEST_REDIS_URL);
    const key = (id: string) => `${prefix}:jobs:${id}`;
    try {
      await redis.hset(key('rnd_stray'), 'montage:leaseUntil', String(Date.now()));
      await q.enqueue({ kind: 'render', v: 1, renderId: 'rnd_stray', tenant: 't1' }, { priority: 'normal' });
      assert.equal(await q.inspect('rnd_stray'), 'waiting');
      const job = await q.lease({ workerId: 'w', leaseMs: 5_000 });
      assert.equal(job?.message.renderId, 'rnd_stray');

      // The job's hash goes (as a restart empties Redis) while its lock is still there: neither a
      // heartbeat nor a hand-back may bring a hash back under its id.
      await redis.del(key('rnd_stray'));
      assert.equal(await q.heartbeat(job!, 5_000), false);
      assert.equal(await q.release(job!), false);
      assert.equal(await q.nack(job!, { error: 'x' }), false);
      assert.equal(await redis.exists(key('rnd_stray')), 0, 'no hash written under the job\'s id');
    } finally {
      redis.disconnect();
      await q.close();
      await deleteKeysWithPrefix(prefix);
    }
  });

  it('answers a readiness ping', async () => {
    const prefix = uniqueTestPrefix();
    const q = open(prefix);
    try {
      await q.ping();
      await assert.rejects(withTimeout(new Promise(() => {}), 50, 'Redis (REDIS_URL)'), /Redis \(REDIS_URL\) did not answer within 50 ms/);
    } finally {
      await q.close();
      await deleteKeysWithPrefix(prefix);
    }
  });
});
