/**
 * The reconciler: the RenderStore is the truth and the queue only carries ids, so this compares
 * the two and repairs what the queue lost (n8n's recoverFromQueue). Run periodically by the
 * scale-out roles; several instances may run it at once (every repair is an idempotent enqueue or a
 * compare-and-set).
 *
 * - A `queued` render whose job the queue no longer holds (Redis restarted without persistence,
 *   or flushed) gets its job again. It is left alone for `queuedGraceMs` first, since submit writes
 *   the row before it enqueues.
 * - A running render (`preparing`, `rendering`, `finalizing`) that nobody updated for `staleAfterMs`
 *   and for which the queue holds no job at all (the worker vanished together with the job) is
 *   retried: moved back to `queued` and queued again. While the queue still holds a job for it, the
 *   queue's own stalled-job detection brings the job back and this leaves it alone.
 * - A render whose job (or one of its pieces) is dead, having used all its attempts, is failed, as
 *   is a running one first started more than `giveUpAfterMs` ago.
 */
import type { ChunkStore } from '../ports/chunk-store.ts';
import type { JobQueue, JobState } from '../ports/job-queue.ts';
import type { RenderRecord, RenderStatus, RenderStore } from '../ports/render-store.ts';
import { joinJobId, pieceJobId } from './distributed-render.ts';
import type { NotifyFinalStatus } from './notify-final-status.ts';
import { waitAtMost } from './wait-at-most.ts';

const RUNNING: readonly RenderStatus[] = ['preparing', 'rendering', 'finalizing'];

export interface ReconcileDeps {
  readonly renders: RenderStore;
  readonly queue: Pick<JobQueue, 'enqueue' | 'inspect'>;
  /** Called with a render this fails (webhook, status event), as a worker would. */
  readonly notify: NotifyFinalStatus;
  /** When set, a distributed render's piece and join jobs count as its jobs too. */
  readonly chunks?: ChunkStore;
  /** Ms a queued render may wait for its enqueue to land before it counts as lost (default 30 s). */
  readonly queuedGraceMs?: number;
  /**
   * Ms without a progress or status write after which a running render with no job in the queue
   * counts as abandoned (default 5 min: longer than any quiet stretch of a live render, such as a
   * big download, since progress is written every half second while rendering).
   */
  readonly staleAfterMs?: number;
  /** Ms after its start beyond which an abandoned render is failed rather than retried (default 6 h). */
  readonly giveUpAfterMs?: number;
  /** Renders looked at per status group and pass (default 500). */
  readonly batch?: number;
  readonly clock?: () => number;
}

export interface ReconcileReport {
  /** Queued renders whose lost job was queued again. */
  readonly requeued: readonly string[];
  /** Abandoned running renders moved back to queued and queued again. */
  readonly retried: readonly string[];
  /** Renders failed because their job gave up, or they ran out of time. */
  readonly failed: readonly string[];
}

export function createReconcileRenders(deps: ReconcileDeps): () => Promise<ReconcileReport> {
  const clock = deps.clock ?? Date.now;
  const queuedGraceMs = deps.queuedGraceMs ?? 30_000;
  const staleAfterMs = deps.staleAfterMs ?? 5 * 60_000;
  const giveUpAfterMs = deps.giveUpAfterMs ?? 6 * 3600_000;
  const batch = deps.batch ?? 500;

  const enqueue = (r: RenderRecord) =>
    deps.queue.enqueue({ kind: 'render', v: 1, renderId: r.id, tenant: r.tenant }, { priority: r.priority });

  /** What the queue holds for this render: its own job, and a distributed render's unfinished pieces and join. */
  const jobStates = async (r: RenderRecord): Promise<(JobState | null)[]> => {
    const ids = [r.id];
    const plan = deps.chunks ? await deps.chunks.get(r.tenant, r.id) : null;
    if (plan) ids.push(...plan.pieces.filter((p) => !p.done).map((p) => pieceJobId(r.id, p.piece)), joinJobId(r.id));
    return Promise.all(ids.map((id) => deps.queue.inspect(id)));
  };

  const fail = async (r: RenderRecord, message: string): Promise<boolean> => {
    const failed = await deps.renders.transition(r.tenant, r.id, {
      from: r.status, to: 'failed', error: { code: 'MONTAGE_E_RENDER_FAILED', message }, webhook: deps.notify.webhookFor,
    });
    if (failed) await deps.notify(failed);
    return failed !== null;
  };

  return async () => {
    const now = clock();
    const requeued: string[] = [];
    const retried: string[] = [];
    const failed: string[] = [];

    const queued = await deps.renders.listStale({ statuses: ['queued'], updatedBefore: new Date(now - queuedGraceMs).toISOString(), limit: batch });
    for (const r of queued) {
      const states = await jobStates(r);
      if (states.includes('dead')) {
        if (await fail(r, 'The render was tried as often as allowed and did not finish.')) failed.push(r.id);
      } else if (!states.some((s) => s === 'waiting' || s === 'active')) {
        await enqueue(r);
        requeued.push(r.id);
      }
    }

    const running = await deps.renders.listStale({ statuses: RUNNING, updatedBefore: new Date(now - staleAfterMs).toISOString(), limit: batch });
    for (const r of running) {
      const states = await jobStates(r);
      if (states.includes('dead')) {
        if (await fail(r, 'The render was tried as often as allowed and did not finish.')) failed.push(r.id);
      } else if (states.some((s) => s === 'waiting' || s === 'active')) {
        continue; // the queue still has it: its stalled-job detection covers a dead worker
      } else if (r.startedAt && Date.parse(r.startedAt) < now - giveUpAfterMs) {
        if (await fail(r, 'The render\'s worker stopped and the render ran out of time to be retried.')) failed.push(r.id);
      } else if (await deps.renders.transition(r.tenant, r.id, { from: r.status, to: 'queued' })) {
        await enqueue(r);
        retried.push(r.id);
      }
    }
    return { requeued, retried, failed };
  };
}

export interface ReconcileLoop {
  /**
   * Stops the loop; resolves once the pass in progress, if any, has ended, or after `stopWaitMs`
   * if it has not (a pass waiting on a store that went away is abandoned: its repairs are
   * idempotent, and the next pass of any process does them).
   */
  stop(): Promise<void>;
}

/**
 * Runs `reconcile` every `intervalMs` (default 30 s); a pass still running when the next is due
 * makes that one skip. Errors (database or Redis unreachable) go to `onError`; the loop goes on.
 */
export function startReconcileLoop(reconcile: () => Promise<unknown>, opts: { readonly intervalMs?: number; readonly stopWaitMs?: number; readonly onError?: (e: unknown) => void } = {}): ReconcileLoop {
  let current: Promise<void> | null = null;
  const timer = setInterval(() => {
    current ??= reconcile().then(() => {}, (e) => opts.onError?.(e)).finally(() => { current = null; });
  }, opts.intervalMs ?? 30_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      if (!current) return;
      await waitAtMost(current, opts.stopWaitMs ?? 5_000);
    },
  };
}
