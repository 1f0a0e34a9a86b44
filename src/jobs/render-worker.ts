/**
 * The render worker loop: `concurrency` slots, each leasing a job, keeping its lease alive with
 * heartbeats, running process-render-job and telling the queue the outcome.
 *
 * Stopping (SIGTERM in the composition root calls `stop()`): no new job is taken; running renders
 * get `graceMs` to finish; after that they are aborted and their jobs handed back to the queue
 * (`release`), so another worker, or this one after a restart, renders them again. A process
 * killed outright loses nothing either: its leases simply run out.
 */
import { hostname } from 'node:os';
import type { JobQueue, LeasedJob } from '../ports/job-queue.ts';
import { isMontageError } from '../errors/registry.ts';
import type { JobOutcome } from './process-render-job.ts';
import { waitAtMost } from './wait-at-most.ts';

export interface RenderWorkerOptions {
  readonly queue: JobQueue;
  readonly process: (job: LeasedJob, stopSignal: AbortSignal) => Promise<JobOutcome>;
  readonly concurrency: number;
  /** Ms a stopping worker waits for running renders before aborting them. */
  readonly graceMs: number;
  /** Lease length in ms (default 30 s); heartbeats every third of it. */
  readonly leaseMs?: number;
  /**
   * Ms a stop waits, after the grace period, for aborted jobs to be handed back (default: the
   * lease). A queue that cannot be reached then is not waited for: those leases run out instead.
   */
  readonly handBackMs?: number;
  /** Called with errors the loop survives (queue unavailable, a job that threw). */
  readonly onError?: (error: unknown, job?: LeasedJob) => void;
  /**
   * A job that failed with MONTAGE_E_UNAVAILABLE (a store away) is handed back at once without using
   * up a try (an outage is not the render's fault), and its slot waits this many ms (default 2 s)
   * before it leases again, so another worker can take the job.
   */
  readonly unavailableBackoffMs?: number;
  /**
   * Called when a slot starts a job and when it is done with it (for a log line per job: which
   * worker rendered which render or piece, with what outcome). Must not throw.
   */
  readonly onJob?: (event: JobEvent) => void;
}

/** A job starting or ending on one slot of this worker (`workerId` is `host:pid:slot`). */
export type JobEvent =
  | { readonly phase: 'start'; readonly job: LeasedJob; readonly workerId: string }
  | {
    readonly phase: 'end'; readonly job: LeasedJob; readonly workerId: string;
    /** What the queue was told; `error` when the job function or the queue call threw (the job was nacked, or handed back if a store was away). */
    readonly outcome: JobOutcome['kind'] | 'error';
    /** Wall time of the job function, ms. */
    readonly ms: number;
  };

export interface RenderWorker {
  /** Jobs running now. */
  readonly running: number;
  /**
   * Stops taking jobs (at once, even while the queue does not answer), gives running jobs
   * `graceMs`, then aborts them and waits at most `handBackMs` for their hand-back. Idempotent.
   */
  stop(): Promise<void>;
}

export function startRenderWorker(opts: RenderWorkerOptions): RenderWorker {
  const leaseMs = opts.leaseMs ?? 30_000;
  const handBackMs = opts.handBackMs ?? leaseMs;
  const workerId = `${hostname()}:${process.pid}`;
  const stopTaking = new AbortController();
  const active = new Map<LeasedJob, AbortController>();
  const onError = opts.onError ?? (() => {});
  const onJob = (e: JobEvent) => { try { opts.onJob?.(e); } catch (x) { onError(x, e.job); } };
  let stopping: Promise<void> | null = null;

  const runOne = async (job: LeasedJob, slotId: string): Promise<void> => {
    const abort = new AbortController();
    active.set(job, abort);
    const started = Date.now();
    let outcomeKind: JobOutcome['kind'] | 'error' = 'error';
    let storeAway = false;
    onJob({ phase: 'start', job, workerId: slotId });
    const beat = setInterval(() => {
      opts.queue.heartbeat(job, leaseMs)
        .then((held) => { if (!held) abort.abort(new Error('lease lost')); })
        .catch((e) => onError(e, job));
    }, Math.max(50, Math.floor(leaseMs / 3)));
    try {
      const outcome = await opts.process(job, abort.signal);
      if (outcome.kind === 'ack') await opts.queue.ack(job);
      else if (outcome.kind === 'nack') await opts.queue.nack(job, { error: outcome.error, delayMs: outcome.delayMs });
      else await opts.queue.release(job);
      outcomeKind = outcome.kind;
    } catch (e) {
      onError(e, job);
      if (isMontageError(e) && e.code === 'MONTAGE_E_UNAVAILABLE') {
        // A store is away (the database cut off): a nack would count a try, and an outage longer
        // than the tries' delays failed renders that had nothing wrong. Hand the job back untouched
        // at once, so that a worker that can reach its stores takes it (the store may be away for
        // this worker only: its network, its pool), and pause before this slot leases again, or it
        // would take the job straight back, winning the race every time, and spin.
        await opts.queue.release(job).catch((x) => onError(x, job));
        storeAway = true;
      } else {
        await opts.queue.nack(job, { error: String(e), delayMs: 5_000 }).catch((x) => onError(x, job));
      }
    } finally {
      clearInterval(beat);
      active.delete(job);
      onJob({ phase: 'end', job, workerId: slotId, outcome: outcomeKind, ms: Date.now() - started });
    }
    if (storeAway) {
      await new Promise<void>((r) => {
        if (stopTaking.signal.aborted) return r();
        const timer = setTimeout(r, opts.unavailableBackoffMs ?? 2_000);
        stopTaking.signal.addEventListener('abort', () => { clearTimeout(timer); r(); }, { once: true });
      });
    }
  };

  const slot = async (n: number): Promise<void> => {
    const slotId = `${workerId}:${n}`;
    while (!stopTaking.signal.aborted) {
      let job: LeasedJob | null = null;
      try {
        job = await unlessStopped(opts.queue.lease({ workerId: slotId, leaseMs, waitMs: 1_000, signal: stopTaking.signal }));
      } catch (e) {
        onError(e);
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      if (!job) continue;
      if (stopTaking.signal.aborted) { await opts.queue.release(job).catch(onError); break; }
      await runOne(job, slotId);
    }
  };

  /**
   * The lease, or null as soon as the worker stops: a queue that cannot answer (Redis away, its
   * commands held until it is back) must not hold the shutdown. A job leased after that is handed back.
   */
  const unlessStopped = (lease: Promise<LeasedJob | null>): Promise<LeasedJob | null> => new Promise((resolve, reject) => {
    const onStop = () => resolve(null);
    stopTaking.signal.addEventListener('abort', onStop, { once: true });
    lease.then((job) => {
      stopTaking.signal.removeEventListener('abort', onStop);
      if (job && stopTaking.signal.aborted) { void opts.queue.release(job).catch(onError); resolve(null); } else resolve(job);
    }, (e: unknown) => {
      stopTaking.signal.removeEventListener('abort', onStop);
      if (stopTaking.signal.aborted) resolve(null); else reject(e);
    });
  });

  const slots = Array.from({ length: Math.max(0, opts.concurrency) }, (_, i) => slot(i));

  return {
    get running() { return active.size; },
    stop() {
      stopping ??= (async () => {
        stopTaking.abort();
        const all = Promise.all(slots);
        if (!(await waitAtMost(all, opts.graceMs))) {
          for (const a of active.values()) a.abort(new Error('worker shutting down'));
          // Aborted jobs hand themselves back; if the queue cannot take them (it is away), their
          // leases simply run out, as after a crash, rather than the shutdown waiting for it.
          await waitAtMost(all, handBackMs);
        }
      })();
      return stopping;
    },
  };
}
