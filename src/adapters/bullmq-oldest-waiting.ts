/**
 * `oldestWaitingAgeSeconds` for the BullMQ queue (see JobQueue in src/ports/job-queue.ts), read
 * from BullMQ's own keys without walking every waiting job, so a scrape stays a handful of Redis
 * commands however long the queue is.
 *
 * Where a leasable job can be, and which of them is the oldest there (BullMQ 6 layout):
 * - `prioritized`, a sorted set scored `priority·2³² + counter`: within one priority, jobs added or
 *   promoted from `delayed` take increasing counters (FIFO), so the first is the oldest; jobs handed
 *   back by `moveToWait` (our release and undelayed nack) are pushed to the front with counter 0,
 *   so those are all read. Our priorities are the three of BULL_PRIORITY.
 * - `delayed`, scored `due ms·2¹²`: a retry whose delay ended but that no worker has promoted yet
 *   waits since its due time, read from the score.
 * - `wait`, a list: only jobs the stalled checker put back (their worker died), since we never add
 *   unprioritized jobs; they wait since the end of the dead worker's lease.
 * Each candidate's start is, in order of preference, the end of its last lease (`LEASE_UNTIL`,
 * cleared when a holder hands the job back), the time it became leasable (`READY_AT`, written on
 * hand-back), or BullMQ's creation `timestamp`.
 */
import type { Redis } from 'ioredis';

/** Our fields in BullMQ's job hash (see bullmq-job-queue.ts). */
export const READY_AT = 'montage:readyAt';
export const LEASE_UNTIL = 'montage:leaseUntil';

const BAND = 0x100000000;
/** At most this many front-pushed or stalled jobs are read per place: there are few of either. */
const SCAN = 100;

export interface QueueKeys {
  readonly prioritized: string;
  readonly delayed: string;
  readonly wait: string;
  /** The hash key of one job, by BullMQ id. */
  job(bullId: string): string;
}

export async function oldestWaitingSince(redis: Redis, keys: QueueKeys, priorities: readonly number[], now: number): Promise<number | null> {
  const p = redis.pipeline();
  for (const prio of priorities) {
    p.zrangebyscore(keys.prioritized, prio * BAND, prio * BAND, 'LIMIT', 0, SCAN);
    p.zrangebyscore(keys.prioritized, `(${prio * BAND}`, `(${(prio + 1) * BAND}`, 'LIMIT', 0, 1);
  }
  p.lrange(keys.wait, 0, SCAN - 1);
  p.zrangebyscore(keys.delayed, '-inf', `(${(now + 1) * 0x1000}`, 'WITHSCORES', 'LIMIT', 0, 1);
  const replies = (await p.exec()) ?? [];
  const results = replies.map(([err, value]) => { if (err) throw err; return value as string[]; });
  const dueDelayed = results.pop()!;
  const ids = [...new Set(results.flat())];

  let oldest: number | null = dueDelayed.length === 2 ? Math.floor(Number(dueDelayed[1]) / 0x1000) : null;
  if (ids.length > 0) {
    const h = redis.pipeline();
    for (const id of ids) h.hmget(keys.job(id), LEASE_UNTIL, READY_AT, 'timestamp');
    for (const [err, fields] of (await h.exec()) ?? []) {
      if (err) throw err;
      const since = (fields as (string | null)[]).map((f) => (f === null ? NaN : Number(f))).find((n) => Number.isFinite(n));
      if (since !== undefined && (oldest === null || since < oldest)) oldest = since;
    }
  }
  return oldest;
}
