/**
 * The embedded JobQueue: jobs are rows in the same SQLite database as the renders, so a render that
 * was accepted is never lost, and a job whose worker was killed (-9) is leased again once its
 * lease runs out, by this process after a restart or by another one. See src/ports/job-queue.ts.
 *
 * States: `waiting` (leasable from `available_at`), `active` (leased until `lease_until`), `dead`
 * (nacked after `maxAttempts`). Acked jobs are deleted. An expired `active` job is leasable like a
 * waiting one. Each lease gets a fresh token, so calls from a lease that was lost change nothing.
 */
import { randomUUID } from 'node:crypto';
import type { EnqueueOptions, JobMessage, JobQueue, JobState, LeasedJob, LeaseOptions, QueueDepth } from '../ports/job-queue.ts';
import type { Priority } from '../ports/render-store.ts';
import type { SqliteDb } from './sqlite-database.ts';

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { high: 2, normal: 1, low: 0 };

export interface EmbeddedJobQueueOptions {
  /** Leases a job may get through nack before it is dead (default 3). */
  readonly maxAttempts?: number;
  /** How often a waiting `lease` looks for work that another process added (ms, default 250). */
  readonly pollMs?: number;
  readonly clock?: () => number;
}

interface JobRow { id: string; message: string; attempts: number; lease_token: string }

export function createEmbeddedJobQueue(db: SqliteDb, opts: EmbeddedJobQueueOptions = {}): JobQueue {
  const clock = opts.clock ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? 3;
  const pollMs = opts.pollMs ?? 250;
  // Waiters in this process, woken at once by an enqueue here; other processes are seen by polling.
  const wakers = new Set<() => void>();

  const tryLease = (workerId: string, leaseMs: number): LeasedJob | null => {
    const now = clock();
    const row = db.prepare(`UPDATE jobs SET state = 'active', lease_until = ?, lease_token = ?, worker_id = ?, attempts = attempts + 1
      WHERE seq = (SELECT seq FROM jobs
                   WHERE (state = 'waiting' AND available_at <= ?) OR (state = 'active' AND lease_until <= ?)
                   ORDER BY priority DESC, seq LIMIT 1)
      RETURNING id, message, attempts, lease_token`).get(now + leaseMs, randomUUID(), workerId, now, now) as JobRow | undefined;
    if (!row) return null;
    return { id: row.id, message: JSON.parse(row.message) as JobMessage, attempts: row.attempts, token: row.lease_token };
  };

  const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
    const done = () => { clearTimeout(timer); wakers.delete(done); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    wakers.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });

  const held = (job: LeasedJob) => ({ id: job.id, token: job.token });

  return {
    async enqueue(message: JobMessage, o: EnqueueOptions) {
      const jobId = o.jobId ?? message.renderId;
      // Waiting or active: a no-op (safe re-enqueue). Dead: revived with fresh attempts.
      db.prepare(`INSERT INTO jobs (id, message, priority, state, available_at, attempts, created_at)
        VALUES (?, ?, ?, 'waiting', ?, 0, ?)
        ON CONFLICT (id) DO UPDATE SET state = 'waiting', attempts = 0, available_at = excluded.available_at,
          message = excluded.message, priority = excluded.priority, lease_until = NULL, lease_token = NULL
        WHERE jobs.state = 'dead'`).run(jobId, JSON.stringify(message), PRIORITY_RANK[o.priority], clock(), new Date(clock()).toISOString());
      for (const wake of [...wakers]) wake();
      return { jobId };
    },

    async lease(o: LeaseOptions) {
      const deadline = clock() + (o.waitMs ?? 0);
      for (;;) {
        const job = tryLease(o.workerId, o.leaseMs);
        if (job || o.signal?.aborted) return job;
        const left = deadline - clock();
        if (left <= 0) return null;
        await sleep(Math.min(left, pollMs), o.signal);
      }
    },

    async heartbeat(job, leaseMs) {
      const { id, token } = held(job);
      return db.prepare(`UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_token = ? AND state = 'active'`)
        .run(clock() + leaseMs, id, token).changes > 0;
    },

    async ack(job) {
      const { id, token } = held(job);
      return db.prepare(`DELETE FROM jobs WHERE id = ? AND lease_token = ? AND state = 'active'`).run(id, token).changes > 0;
    },

    async nack(job, o) {
      const { id, token } = held(job);
      const r = db.prepare(`UPDATE jobs SET state = CASE WHEN attempts >= ? THEN 'dead' ELSE 'waiting' END,
          available_at = ?, lease_until = NULL, lease_token = NULL, worker_id = NULL, last_error = ?
        WHERE id = ? AND lease_token = ? AND state = 'active'`).run(maxAttempts, clock() + (o.delayMs ?? 0), o.error, id, token);
      if (r.changes > 0) for (const wake of [...wakers]) wake();
      return r.changes > 0;
    },

    async release(job) {
      const { id, token } = held(job);
      // Not a try: the attempt this lease counted is given back.
      const r = db.prepare(`UPDATE jobs SET state = 'waiting', attempts = max(0, attempts - 1), available_at = ?,
          lease_until = NULL, lease_token = NULL, worker_id = NULL
        WHERE id = ? AND lease_token = ? AND state = 'active'`).run(clock(), id, token);
      if (r.changes > 0) for (const wake of [...wakers]) wake();
      return r.changes > 0;
    },

    async depth(): Promise<QueueDepth> {
      const rows = db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[];
      const n = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
      return { waiting: n('waiting'), active: n('active'), dead: n('dead') };
    },

    async oldestWaitingAgeSeconds() {
      // Leasable since `available_at` (enqueued, handed back, or retry due) or, for a lease that
      // ran out, since `lease_until`: the same rows tryLease would take.
      const now = clock();
      const row = db.prepare(`SELECT min(CASE WHEN state = 'waiting' THEN available_at ELSE lease_until END) AS since FROM jobs
        WHERE (state = 'waiting' AND available_at <= ?) OR (state = 'active' AND lease_until <= ?)`).get(now, now) as { since: number | null };
      return row.since === null ? 0 : Math.max(0, now - row.since) / 1000;
    },

    async inspect(jobId) {
      const row = db.prepare('SELECT state FROM jobs WHERE id = ?').get(jobId) as { state: JobState } | undefined;
      return row?.state ?? null;
    },
  };
}
