/**
 * The JobQueue on Redis through BullMQ, for the scale-out roles (`montage api` enqueues, any number
 * of `montage worker`s lease). See src/ports/job-queue.ts for the protocol it implements.
 *
 * The mapping onto BullMQ's manual-fetching API (a Worker without a processor):
 * - lease     = `worker.getNextJob(token)` with a fresh token per lease, then `extendLock` to the
 *               lease's own length (BullMQ locks for `lockDuration` at first); a lease waiting for
 *               work polls, and is woken at once by a message that an enqueue or hand-back in any
 *               process publishes on `<prefix>:<queue>:wake`;
 * - heartbeat = `job.extendLock(token, leaseMs)`; false once the lock is gone or someone else's;
 * - ack       = `moveToCompleted` (the job is added with removeOnComplete, so it is gone and the
 *               same id can be queued again);
 * - nack      = `moveToDelayed` (a later retry) or, after the last attempt, `moveToFailed`: dead;
 * - release   = `moveToWait`, and the try is given back by counting releases in the job hash.
 * A worker that died (kill -9) stops renewing its lock; BullMQ's stalled-job checker, which every
 * instance runs, moves the job back to wait, and the next lease counts one more attempt.
 *
 * `oldestWaitingAgeSeconds` reads BullMQ's keys directly (bullmq-oldest-waiting.ts), helped by two
 * fields of ours in the job hash: when a lease ends (written on lease and heartbeat) and when a
 * handed-back job became leasable again.
 *
 * `attempts` is BullMQ's attemptsStarted minus the releases. Priorities high/normal/low are BullMQ
 * priorities 1/2/3 (lower is sooner; FIFO within one). The job id defaults to the render id and
 * deduplicates: adding an id that is waiting, delayed or active is a no-op, a dead one is revived.
 * Messages are the port's small versioned `{kind, v, …}` objects, stored as the job's data.
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { EnqueueOptions, JobMessage, JobQueue, JobState, LeasedJob, LeaseOptions, QueueDepth } from '../ports/job-queue.ts';
import type { Priority } from '../ports/render-store.ts';
import { withTimeout } from './with-timeout.ts';

export { withTimeout };
import { LEASE_UNTIL, READY_AT, oldestWaitingSince } from './bullmq-oldest-waiting.ts';

const BULL_PRIORITY: Readonly<Record<Priority, number>> = { high: 1, normal: 2, low: 3 };

/** Our field in BullMQ's job hash: leases handed back by `release`, which are not tries. */
const RELEASES = 'montage:releases';
const LAST_ERROR = 'montage:lastError';

// Our fields are written only into a job BullMQ holds (its hash has `data`), and a lease's only
// while the caller holds the lock. A plain HSET issued just before Redis went away waits in the
// client's offline queue and lands after it is back: into an emptied Redis it would leave a hash
// of one field under the job's id, and BullMQ takes any hash there for the job, so the id could
// never be queued again (a render stuck in `queued` for good).
const IS_JOB = (key: string) => `(redis.call('HEXISTS', ${key}, 'data') == 1)`;
/** The lock KEYS[1] is the caller's token ARGV[1], and KEYS[2] is a job's hash. */
const HOLDS = `redis.call('GET', KEYS[1]) == ARGV[1] and ${IS_JOB('KEYS[2]')}`;
// Counts a release only while the caller still holds the lock (atomically), so a stale call
// cannot give a try back to somebody else's lease.
const COUNT_RELEASE = `if ${HOLDS} then return redis.call('HINCRBY', KEYS[2], ARGV[2], 1) end return -1`;
// Before a holder hands its job back: leasable again from ARGV[2] (ms), and no lease of it runs.
// Lock-checked like COUNT_RELEASE, so a stale call cannot touch another lease's fields.
const MARK_HANDED_BACK = `if ${HOLDS} then
  redis.call('HSET', KEYS[2], '${READY_AT}', ARGV[2]) redis.call('HDEL', KEYS[2], '${LEASE_UNTIL}') return 1 end return 0`;
const SET_LEASE_UNTIL = `if ${HOLDS} then return redis.call('HSET', KEYS[2], '${LEASE_UNTIL}', ARGV[2]) end return -1`;
const SET_IF_JOB = `if ${IS_JOB('KEYS[1]')} then return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end return -1`;
// A hash under a job's id without BullMQ's `data` is no job, only such a stray: removed before the
// id is queued again. Atomic, so a job another process adds meanwhile is never touched.
const DROP_STRAY = `if redis.call('EXISTS', KEYS[1]) == 1 and not ${IS_JOB('KEYS[1]')} then return redis.call('DEL', KEYS[1]) end return 0`;

export interface BullmqJobQueueOptions {
  /** `redis://…` (REDIS_URL). */
  readonly url: string;
  /** BullMQ queue name (default `montage-jobs`); tests use one each. */
  readonly queueName?: string;
  /** Redis key prefix (default `montage`); tests use one each. */
  readonly prefix?: string;
  /** Leases a job may get through nack before it is dead (default 3). */
  readonly maxAttempts?: number;
  /**
   * How often a waiting `lease` polls for work (ms, default 200). Jobs queued or handed back by any
   * process wake it at once through pub/sub; polling catches delayed retries and lost messages.
   */
  readonly pollMs?: number;
  /**
   * How often this instance looks for jobs whose worker stopped renewing its lock (ms, default
   * 15 s). A dead worker's job is free again between one and two intervals after its lease ended.
   */
  readonly stalledIntervalMs?: number;
  /** Errors of the background connections (Redis down, reconnecting); they never throw. */
  readonly onError?: (error: unknown) => void;
}

export interface BullmqJobQueue extends JobQueue {
  /** Resolves when Redis answers within `timeoutMs` (default 1 s), rejects otherwise: for /readyz and start-up checks. */
  ping(timeoutMs?: number): Promise<void>;
  /** Closes the Redis connections. */
  close(): Promise<void>;
}

/** BullMQ forbids `:` in custom ids (it separates key parts); piece and join ids contain it. */
const toBullId = (id: string): string => id.replaceAll('%', '%25').replaceAll(':', '%3A');
const fromBullId = (id: string): string => id.replaceAll('%3A', ':').replaceAll('%25', '%');

export function createBullmqJobQueue(opts: BullmqJobQueueOptions): BullmqJobQueue {
  const name = opts.queueName ?? 'montage-jobs';
  const prefix = opts.prefix ?? 'montage';
  const maxAttempts = opts.maxAttempts ?? 3;
  const pollMs = opts.pollMs ?? 200;
  const onError = opts.onError ?? (() => {});
  // maxRetriesPerRequest null: commands wait through a Redis restart instead of failing at once
  // (BullMQ requires it for workers); the offline queue is what lets them wait.
  const connection = { url: opts.url, maxRetriesPerRequest: null };
  const queue = new Queue<JobMessage>(name, { connection, prefix });
  const worker = new Worker<JobMessage>(name, null, {
    connection, prefix, autorun: false,
    lockDuration: 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 15_000,
    // Attempts are counted and limited here (nack), not by BullMQ's stalled counter, so a render
    // whose workers keep dying is failed by process-render-job with its own error.
    maxStalledCount: Number.MAX_SAFE_INTEGER,
  });
  // Our own connection for the few plain commands on BullMQ's keys (the lock, our counters).
  const redis = new Redis(opts.url, { maxRetriesPerRequest: null });
  queue.on('error', onError);
  worker.on('error', onError);
  redis.on('error', onError);
  void worker.startStalledCheckTimer().catch(onError);

  const wakers = new Set<() => void>();
  const wakeAll = () => { for (const wake of [...wakers]) wake(); };
  // Waiting leases are woken at once by a job queued or handed back in any process: a message on
  // this channel (fire and forget; polling every pollMs stays the fallback, and covers delayed
  // retries coming due). The subscriber connects on the first lease: an api only enqueues.
  const wakeChannel = `${prefix}:${name}:wake`;
  let wakeSub: Redis | null = null;
  const listenForWork = () => {
    if (wakeSub) return;
    const sub = new Redis(opts.url, { maxRetriesPerRequest: null });
    wakeSub = sub;
    sub.on('error', onError);
    sub.on('message', wakeAll);
    sub.subscribe(wakeChannel).catch(onError);
  };
  const announceWork = () => { redis.publish(wakeChannel, '1').catch(onError); };
  const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
    const done = () => { clearTimeout(timer); wakers.delete(done); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    wakers.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });

  const jobKey = (bullId: string) => queue.toKey(bullId);
  const lockKey = (bullId: string) => `${jobKey(bullId)}:lock`;
  const holds = async (job: LeasedJob): Promise<boolean> =>
    (await redis.get(lockKey(toBullId(job.id)))) === job.token;
  const bullJob = async (job: LeasedJob) => Job.fromId<JobMessage>(queue, toBullId(job.id));

  /** Runs a lock-checked BullMQ move; false when the lease was lost, the error when Redis failed. */
  const asHolder = async (job: LeasedJob, move: (j: Job<JobMessage>) => Promise<unknown>): Promise<boolean> => {
    const j = await bullJob(job);
    if (!j) return false;
    try {
      await move(j);
      return true;
    } catch (e) {
      // BullMQ refuses a move without the right lock; anything else (Redis down) is a real error.
      if (!await holds(job)) return false;
      throw e;
    }
  };

  const tryLease = async (workerId: string, leaseMs: number): Promise<LeasedJob | null> => {
    const token = `${workerId}:${randomUUID()}`;
    const j = await worker.getNextJob(token, { block: false });
    if (!j?.id) return null;
    await j.extendLock(token, leaseMs);
    await redis.eval(SET_LEASE_UNTIL, 2, lockKey(j.id), jobKey(j.id), token, Date.now() + leaseMs);
    const released = Number(await redis.hget(jobKey(j.id), RELEASES) ?? 0);
    return { id: fromBullId(j.id), message: j.data, attempts: Math.max(1, j.attemptsStarted - released), token };
  };

  return {
    async enqueue(message: JobMessage, o: EnqueueOptions) {
      const jobId = o.jobId ?? message.renderId;
      const bullId = toBullId(jobId);
      await redis.eval(DROP_STRAY, 1, jobKey(bullId));
      const existing = await Job.fromId<JobMessage>(queue, bullId);
      // A dead job is revived with fresh attempts; waiting, delayed or active ones are left alone.
      if (existing && await existing.isFailed()) await existing.remove();
      await queue.add(message.kind, message, {
        jobId: bullId, priority: BULL_PRIORITY[o.priority], attempts: 1,
        removeOnComplete: true, removeOnFail: false,
      });
      wakeAll();
      announceWork();
      return { jobId };
    },

    async lease(o: LeaseOptions) {
      listenForWork();
      const deadline = Date.now() + (o.waitMs ?? 0);
      for (;;) {
        const job = await tryLease(o.workerId, o.leaseMs);
        if (job || o.signal?.aborted) return job;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await sleep(Math.min(left, pollMs), o.signal);
      }
    },

    async heartbeat(job, leaseMs) {
      const j = await bullJob(job);
      if (!j || (await j.extendLock(job.token, leaseMs)) !== 1) return false;
      return Number(await redis.eval(SET_LEASE_UNTIL, 2, lockKey(j.id!), jobKey(j.id!), job.token, Date.now() + leaseMs)) >= 0;
    },

    ack: (job) => asHolder(job, (j) => j.moveToCompleted(null, job.token, false)),

    async nack(job, o) {
      const bullId = toBullId(job.id);
      await redis.eval(MARK_HANDED_BACK, 2, lockKey(bullId), jobKey(bullId), job.token, Date.now() + (o.delayMs ?? 0));
      const ok = await asHolder(job, async (j) => {
        if (job.attempts >= maxAttempts) await j.moveToFailed(new Error(o.error), job.token, false);
        else if ((o.delayMs ?? 0) > 0) await j.moveToDelayed(Date.now() + o.delayMs!, job.token);
        else await j.moveToWait(job.token);
      });
      if (ok) {
        await redis.eval(SET_IF_JOB, 1, jobKey(toBullId(job.id)), LAST_ERROR, o.error);
        wakeAll();
        if (!((o.delayMs ?? 0) > 0)) announceWork();
      }
      return ok;
    },

    async release(job) {
      const bullId = toBullId(job.id);
      const counted = await redis.eval(COUNT_RELEASE, 2, lockKey(bullId), jobKey(bullId), job.token, RELEASES);
      if (Number(counted) < 0) return false;
      await redis.eval(MARK_HANDED_BACK, 2, lockKey(bullId), jobKey(bullId), job.token, Date.now());
      const ok = await asHolder(job, (j) => j.moveToWait(job.token));
      if (ok) { wakeAll(); announceWork(); }
      return ok;
    },

    async depth(): Promise<QueueDepth> {
      const c = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'waiting-children', 'active', 'failed');
      return {
        waiting: (c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c['waiting-children'] ?? 0),
        active: c.active ?? 0,
        dead: c.failed ?? 0,
      };
    },

    async oldestWaitingAgeSeconds() {
      const now = Date.now();
      const since = await oldestWaitingSince(redis, {
        prioritized: queue.toKey('prioritized'), delayed: queue.toKey('delayed'), wait: queue.toKey('wait'), job: jobKey,
      }, Object.values(BULL_PRIORITY), now);
      return since === null ? 0 : Math.max(0, now - since) / 1000;
    },

    async inspect(jobId): Promise<JobState | null> {
      const j = await Job.fromId(queue, toBullId(jobId));
      if (!j) return null;
      const state = await j.getState();
      if (state === 'active') return 'active';
      if (state === 'failed') return 'dead';
      if (state === 'completed' || state === 'unknown') return null;
      return 'waiting';
    },

    ping: (timeoutMs = 1_000) => withTimeout(redis.ping(), timeoutMs, 'Redis (REDIS_URL)').then(() => {}),

    async close() {
      for (const wake of [...wakers]) wake();
      await worker.close();
      await queue.close();
      await wakeSub?.quit().catch(() => wakeSub?.disconnect());
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
