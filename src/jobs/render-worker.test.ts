import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import type { JobQueue, LeasedJob } from '../ports/job-queue.ts';
import { MontageError } from '../errors/registry.ts';
import { startRenderWorker, type JobEvent } from './render-worker.ts';
import type { JobOutcome } from './process-render-job.ts';
import { createBullmqJobQueue } from '../adapters/bullmq-job-queue.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '../adapters/redis-test-keys.ts';

// These tests hold the loop (leases, heartbeats, outcomes, shutdown) to its contract with a plain
// job function; the real pipeline with the real engine is tested in process-render-job.test.ts.
const msg = (renderId: string) => ({ kind: 'render' as const, v: 1 as const, renderId, tenant: 't1' });
const until = async (cond: () => boolean | Promise<boolean>, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 10)); }
};

describe('render worker loop', () => {
  it('runs up to `concurrency` jobs at once and acks them', async () => {
    const t = openTempSqlite();
    try {
      const queue = createEmbeddedJobQueue(t.db, { pollMs: 10 });
      for (let i = 0; i < 5; i++) await queue.enqueue(msg(`r${i}`), { priority: 'normal' });
      let running = 0;
      let peak = 0;
      const worker = startRenderWorker({
        queue, concurrency: 2, graceMs: 1_000, leaseMs: 2_000,
        process: async (): Promise<JobOutcome> => {
          running++; peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 50));
          running--;
          return { kind: 'ack' };
        },
      });
      await until(async () => (await queue.depth()).waiting === 0 && (await queue.depth()).active === 0);
      await worker.stop();
      assert.equal(peak, 2);
    } finally { await t.close(); }
  });

  it('on stop lets a short job finish within the grace period', async () => {
    const t = openTempSqlite();
    try {
      const queue = createEmbeddedJobQueue(t.db, { pollMs: 10 });
      await queue.enqueue(msg('r1'), { priority: 'normal' });
      let finished = false;
      const worker = startRenderWorker({
        queue, concurrency: 1, graceMs: 2_000, leaseMs: 2_000,
        process: async () => { await new Promise((r) => setTimeout(r, 200)); finished = true; return { kind: 'ack' }; },
      });
      await until(() => worker.running === 1);
      await worker.stop();
      assert.equal(finished, true);
      assert.deepEqual(await queue.depth(), { waiting: 0, active: 0, dead: 0 });
    } finally { await t.close(); }
  });

  it('after the grace period aborts the job and hands it back to the queue, not counting the try', async () => {
    const t = openTempSqlite();
    try {
      const queue = createEmbeddedJobQueue(t.db, { pollMs: 10 });
      await queue.enqueue(msg('r1'), { priority: 'normal' });
      const worker = startRenderWorker({
        queue, concurrency: 1, graceMs: 100, leaseMs: 2_000,
        process: (_job: LeasedJob, stop: AbortSignal) => new Promise<JobOutcome>((resolve) => {
          stop.addEventListener('abort', () => resolve({ kind: 'release' }), { once: true });
        }),
      });
      await until(() => worker.running === 1);
      const started = Date.now();
      await worker.stop();
      assert.ok(Date.now() - started < 1_000);
      const again = await queue.lease({ workerId: 'next', leaseMs: 1_000 });
      assert.equal(again?.message.renderId, 'r1');
      assert.equal(again?.attempts, 1);
    } finally { await t.close(); }
  });

  it('keeps a long job leased with heartbeats so no one else takes it', async () => {
    const t = openTempSqlite();
    try {
      const queue = createEmbeddedJobQueue(t.db, { pollMs: 10 });
      await queue.enqueue(msg('r1'), { priority: 'normal' });
      let release!: () => void;
      const worker = startRenderWorker({
        queue, concurrency: 1, graceMs: 1_000, leaseMs: 300,
        process: () => new Promise<JobOutcome>((r) => { release = () => r({ kind: 'ack' }); }),
      });
      await until(() => worker.running === 1);
      await new Promise((r) => setTimeout(r, 900));
      assert.equal(await queue.lease({ workerId: 'thief', leaseMs: 1_000 }), null);
      release();
      await worker.stop();
    } finally { await t.close(); }
  });

  it('reports the start and end of each job (slot, outcome, time) so a worker can log which jobs it ran', async () => {
    const t = openTempSqlite();
    try {
      const queue = createEmbeddedJobQueue(t.db, { pollMs: 10 });
      await queue.enqueue(msg('ok'), { priority: 'normal' });
      await queue.enqueue(msg('boom'), { priority: 'normal' });
      const events: JobEvent[] = [];
      const worker = startRenderWorker({
        queue, concurrency: 1, graceMs: 1_000, leaseMs: 2_000,
        process: async (job) => {
          await new Promise((r) => setTimeout(r, 30));
          if (job.message.renderId === 'boom') throw new Error('boom');
          return { kind: 'ack' };
        },
        onJob: (e) => { events.push(e); if (e.job.message.renderId === 'ok') throw new Error('a bad listener must not stop the loop'); },
      });
      await until(() => events.length === 4);
      await worker.stop();
      const seen = events.map((e) => [e.phase, e.job.message.renderId, e.phase === 'end' ? e.outcome : '-']);
      assert.deepEqual(seen, [['start', 'ok', '-'], ['end', 'ok', 'ack'], ['start', 'boom', '-'], ['end', 'boom', 'error']]);
      assert.match(events[0]!.workerId, new RegExp(`:${process.pid}:0$`));
      const end = events[1]!;
      assert.ok(end.phase === 'end' && end.ms >= 25, `took ${end.phase === 'end' ? end.ms : '?'} ms`);
    } finally { await t.close(); }
  });

  it('stops promptly while the queue does not answer (Redis away), and hands back a job leased too late', async () => {
    const t = openTempSqlite();
    try {
      const real = createEmbeddedJobQueue(t.db, { pollMs: 10 });
      await real.enqueue(msg('r1'), { priority: 'normal' });
      let answer!: () => void;
      const held = new Promise<void>((r) => { answer = r; });
      let leases = 0;
      const released: string[] = [];
      // A queue whose lease hangs until `answer()`, like BullMQ's commands while Redis is down.
      const queue: JobQueue = {
        ...real,
        lease: async (o) => { leases++; await held; return real.lease({ ...o, signal: undefined }); },
        release: async (job) => { released.push(job.id); return real.release(job); },
      };
      const worker = startRenderWorker({ queue, concurrency: 1, graceMs: 5_000, leaseMs: 2_000, process: async () => ({ kind: 'ack' }) });
      await until(() => leases === 1);
      const t0 = Date.now();
      await worker.stop();
      assert.ok(Date.now() - t0 < 500, `stop took ${Date.now() - t0} ms`);
      answer(); // the queue is back: the late lease gets its job, which goes straight back
      await until(() => released.length === 1);
      const again = await real.lease({ workerId: 'next', leaseMs: 1_000 });
      assert.equal(again?.message.renderId, 'r1', 'the job is leasable again');
    } finally { await t.close(); }
  });

  it('after the grace period waits at most handBackMs for a hand-back the queue cannot take', async () => {
    const t = openTempSqlite();
    try {
      const real = createEmbeddedJobQueue(t.db, { pollMs: 10 });
      await real.enqueue(msg('r1'), { priority: 'normal' });
      const queue: JobQueue = { ...real, release: () => new Promise((r) => setTimeout(() => r(false), 2_000)) }; // answers too late
      const worker = startRenderWorker({
        queue, concurrency: 1, graceMs: 100, leaseMs: 2_000, handBackMs: 200,
        process: (_job: LeasedJob, stop: AbortSignal) => new Promise<JobOutcome>((resolve) => {
          stop.addEventListener('abort', () => resolve({ kind: 'release' }), { once: true });
        }),
      });
      await until(() => worker.running === 1);
      const t0 = Date.now();
      await worker.stop();
      const took = Date.now() - t0;
      assert.ok(took >= 280 && took < 1_500, `stop took ${took} ms (grace 100 + hand-back 200)`);
    } finally { await t.close(); }
  });

  it('a job failing because a store is away (MONTAGE_E_UNAVAILABLE) is handed back without using up its tries', async () => {
    const t = openTempSqlite();
    try {
      const queue = createEmbeddedJobQueue(t.db, { pollMs: 10, maxAttempts: 3 });
      await queue.enqueue(msg('r1'), { priority: 'normal' });
      let calls = 0;
      const seen: number[] = [];
      const worker = startRenderWorker({
        queue, concurrency: 1, graceMs: 1_000, leaseMs: 2_000, unavailableBackoffMs: 20,
        process: async (job): Promise<JobOutcome> => {
          seen.push(job.attempts);
          // Five failures in a row: more than the three tries a nack allows.
          if (++calls <= 5) throw new MontageError('MONTAGE_E_UNAVAILABLE', 'The database cannot be reached right now; try again shortly.');
          return { kind: 'ack' };
        },
      });
      await until(async () => calls > 5 && (await queue.depth()).active === 0);
      await worker.stop();
      assert.deepEqual(await queue.depth(), { waiting: 0, active: 0, dead: 0 });
      assert.deepEqual(seen, [1, 1, 1, 1, 1, 1], 'no try used up');
    } finally { await t.close(); }
  });

  it('a worker whose store is away hands the job to a worker that can run it, not straight back to itself', async () => {
    // Two workers on one BullMQ queue (Redis), as two `montage worker` processes: A cannot reach
    // PostgreSQL (its own network, pool or DNS), B can. A used to hold the job for the pause, hand it
    // back and lease it again at once, winning the race against B's blocking wait: the render waited
    // for A's database to come back while B stood idle.
    const prefix = uniqueTestPrefix();
    const open = () => createBullmqJobQueue({ url: TEST_REDIS_URL, prefix, queueName: 'jobs', maxAttempts: 3, pollMs: 50, stalledIntervalMs: 1_000 });
    const qa = open();
    const qb = open();
    try {
      await qa.enqueue(msg('r1'), { priority: 'normal' });
      let aCalls = 0;
      const ranOnB: string[] = [];
      const a = startRenderWorker({
        queue: qa, concurrency: 1, graceMs: 1_000, leaseMs: 5_000, unavailableBackoffMs: 1_500,
        process: async (): Promise<JobOutcome> => {
          aCalls++;
          throw new MontageError('MONTAGE_E_UNAVAILABLE', 'The database cannot be reached right now; try again shortly.');
        },
      });
      await until(() => aCalls === 1);
      const b = startRenderWorker({
        queue: qb, concurrency: 1, graceMs: 1_000, leaseMs: 5_000,
        process: async (job): Promise<JobOutcome> => { ranOnB.push(job.message.renderId); return { kind: 'ack' }; },
      });
      try {
        await until(() => ranOnB.length > 0, 15_000);
      } finally { await Promise.all([a.stop(), b.stop()]); }
      assert.deepEqual(ranOnB, ['r1']);
      assert.equal(aCalls, 1, 'the worker that cannot reach its store took the job back');
      assert.deepEqual(await qa.depth(), { waiting: 0, active: 0, dead: 0 });
    } finally {
      await Promise.all([qa.close(), qb.close()]);
      await deleteKeysWithPrefix(prefix);
    }
  });
});
