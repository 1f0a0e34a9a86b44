/**
 * The worker's pipeline for one leased job: claim the render (queued → preparing, a compare-and-set
 * so two workers never both run it), let the engine fetch and render while the row follows the
 * engine's stages and (throttled) progress, store the outputs, move to the final status, and queue
 * the webhook. Returns what the worker should tell the queue; never throws for a render's own
 * failure (that is recorded on the render).
 */
import { GIF_PLAYS_ONCE_METADATA_KEY } from '../shotstack/shotstack-views.ts';
import type { EvictBounds, PieceCache } from '../ports/piece-cache.ts';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MontageError, isMontageError } from '../errors/registry.ts';
import type { LeasedJob } from '../ports/job-queue.ts';
import type { RenderEvents } from '../ports/render-events.ts';
import type { RenderEngine, RenderOutputs, RenderProgress, RenderTimeLimit } from '../ports/render-engine.ts';
import { isFinalStatus, type RenderRecord, type RenderStatus, type RenderStore } from '../ports/render-store.ts';
import type { NotifyFinalStatus } from './notify-final-status.ts';
import { createServiceSrcResolver, type ResolveDeps } from './resolve-service-src.ts';
import { watchCancel } from './watch-cancel.ts';
import { inSpan } from '../telemetry/trace-context.ts';
import { shouldDistribute, startDistributedRender, type DistributeDeps } from './distributed-render.ts';
import { OUTPUT_EXT, removeRenderOutputs, storeRenderOutputs } from './store-render-outputs.ts';
import { pauseFor, pausingUploads, type FaultPauseOptions } from './fault-pause.ts';

export type JobOutcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack'; readonly delayMs: number; readonly error: string }
  | { readonly kind: 'release' };

export interface ProcessRenderDeps extends ResolveDeps {
  readonly renders: RenderStore;
  readonly engine: RenderEngine;
  readonly events: RenderEvents;
  readonly notify: NotifyFinalStatus;
  /** Scratch root; each job gets `<workRoot>/<renderId>`, removed afterwards. */
  readonly workRoot: string;
  /** Leases after which a render that keeps killing its worker is failed (default 3). */
  readonly maxAttempts?: number;
  /** Least ms between two progress writes (default 500). */
  readonly progressIntervalMs?: number;
  /** How often a running render polls for cancellation (default 500 ms). */
  readonly cancelPollMs?: number;
  /** Passed through to the engine. */
  readonly threads?: number;
  /** Renders this worker runs at once (its concurrency), passed to the engine (RenderJob.rendersAtOnce). */
  readonly rendersAtOnce?: number;
  /** When set, long mp4/webm renders are split into pieces that any workers render (distributed-render.ts). */
  readonly distribute?: DistributeDeps;
  /** config.limits.maxDurationSeconds, enforced again once "auto" lengths are known (RenderJob). */
  readonly maxDurationSeconds?: number;
  /** config.renderTimeLimit: how long one render, or one piece of a distributed render, may run (RenderJob). */
  readonly renderTimeLimit?: RenderTimeLimit;
  /** Fault injection for the chaos tests (MONTAGE_FAULT_PAUSE); none by default. */
  readonly faultPauses?: FaultPauseOptions;
  /** Reuse identical pieces across this tenant's renders (issue 17), with its bounds. */
  readonly pieceCache?: {
    readonly cache: PieceCache;
    readonly bounds: EvictBounds;
    readonly pieceSeconds?: number;
    /** Once a render that used the cache succeeded (a whole render, or the join of a distributed one): its pieces. */
    readonly onPieces?: (p: NonNullable<RenderOutputs['pieces']>, renderId: string) => void;
    /** Once a piece of a distributed render is done: its key and whether it was reused. */
    readonly onPiece?: (p: PieceDone) => void;
  };
}

/** One video piece of a distributed render, through the piece cache. */
export interface PieceDone {
  readonly renderId: string;
  readonly piece: string;
  /** The piece's cache key. */
  readonly key: string | null;
  readonly reused: boolean;
  readonly bytesReused: number;
}

const RUNNING: readonly RenderStatus[] = ['preparing', 'rendering', 'finalizing'];

/**
 * `stopSignal` aborts when the worker is shutting down and its grace period ran out: the render is
 * then handed back (`release`) rather than failed.
 */
export function createProcessRenderJob(deps: ProcessRenderDeps) {
  const maxAttempts = deps.maxAttempts ?? 3;
  const interval = deps.progressIntervalMs ?? 500;

  return async (job: LeasedJob, stopSignal: AbortSignal): Promise<JobOutcome> => {
    const m = job.message;
    if (m.kind !== 'render' || m.v !== 1) return { kind: 'ack' }; // a message shape this version does not know
    const { tenant, renderId } = m;
    let render = await deps.renders.get(tenant, renderId);
    if (!render) return { kind: 'ack' };
    if (render.status === 'succeeded' || render.status === 'failed' || render.status === 'canceled') {
      // The job outlived the render's final move: its worker died between that move and the ack,
      // perhaps before the webhook was queued. Queuing it again is a no-op when it was (the
      // delivery id derives from the render and its status), and the only way it ever goes out
      // when it was not.
      await deps.notify(render, { replay: true });
      return { kind: 'ack' };
    }

    if (RUNNING.includes(render.status)) {
      // A previous worker died mid-render (its lease ran out): take over from the start.
      if (job.attempts > maxAttempts) {
        await fail(render, new MontageError('MONTAGE_E_RENDER_FAILED', `The render stopped its worker ${job.attempts - 1} times; giving up.`), RUNNING);
        return { kind: 'ack' };
      }
      render = await deps.renders.transition(tenant, renderId, { from: RUNNING, to: 'queued' }) ?? render;
    }
    const claimed = await deps.renders.transition(tenant, renderId, { from: 'queued', to: 'preparing' });
    if (!claimed) return { kind: 'ack' }; // canceled meanwhile, or another worker holds it
    await deps.events.publish({ type: 'status', tenant, renderId, status: 'preparing' });

    const workDir = join(deps.workRoot, renderId);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const cancel = await watchCancel(deps, tenant, renderId, deps.cancelPollMs);
    const signal = AbortSignal.any([cancel.signal, stopSignal]);
    const rowUpdates = createRowUpdater(deps, claimed, interval);
    try {
      // Filled at submission: a merge value that reads like {{NAME}} is text now, not a placeholder.
      const { composition } = deps.engine.validate(claimed.composition, undefined, { filled: true });
      if (shouldDistribute(claimed, deps.distribute) &&
        await startDistributedRender({ ...deps, distribute: deps.distribute }, claimed, composition, workDir, signal)) {
        return { kind: 'ack' };
      }
      const outputs = await deps.engine.render({
        composition,
        resolveSrc: createServiceSrcResolver(deps, tenant, workDir),
        workDir,
        outputPath: join(workDir, `output.${OUTPUT_EXT[claimed.format] ?? 'bin'}`),
        signal,
        onProgress: rowUpdates.onProgress,
        threads: deps.threads,
        rendersAtOnce: deps.rendersAtOnce,
        maxDurationSeconds: deps.maxDurationSeconds,
        timeLimit: deps.renderTimeLimit,
        // Shotstack's output.repeat: false, kept on the metadata by the /edit routes.
        ...(claimed.metadata?.[GIF_PLAYS_ONCE_METADATA_KEY] === true ? { gifPlaysOnce: true } : {}),
        ...(deps.pieceCache ? { pieceCache: { cache: deps.pieceCache.cache, tenant, pieceSeconds: deps.pieceCache.pieceSeconds } } : {}),
      });
      if (outputs.pieces && deps.pieceCache) {
        deps.pieceCache.onPieces?.(outputs.pieces, renderId);
        await deps.pieceCache.cache.evict(deps.pieceCache.bounds).catch(() => 0); // a full cache never fails a render
      }
      await rowUpdates.flush();
      if (signal.aborted) throw signal.reason;
      await rowUpdates.moveTo('finalizing');
      const pauses = deps.faultPauses ?? {};
      const objects = pauses.upload ? pausingUploads(deps.objects, pauses.upload) : deps.objects;
      const stored = await inSpan('upload', () => storeRenderOutputs(objects, claimed, outputs));
      await pauseFor(pauses.afterUpload);
      const pieces = outputs.pieces ? { total: outputs.pieces.total, reused: outputs.pieces.reused } : undefined;
      const done = await deps.renders.transition(tenant, renderId, { from: 'finalizing', to: 'succeeded', outputs: stored, duration: outputs.summary.duration, pieces, webhook: deps.notify.webhookFor });
      await pauseFor(pauses.beforeNotify);
      if (done) await inSpan('webhook', () => deps.notify(done));
      else await removeRenderOutputs(deps.objects, stored); // canceled at the last moment: nobody will fetch these
      return { kind: 'ack' };
    } catch (e) {
      await rowUpdates.flush().catch(() => {});
      if (cancel.signal.aborted) return { kind: 'ack' }; // the cancel already wrote the final status
      if (stopSignal.aborted) {
        await deps.renders.transition(tenant, renderId, { from: RUNNING, to: 'queued' });
        return { kind: 'release' };
      }
      const err = isMontageError(e) ? e : new MontageError('MONTAGE_E_RENDER_FAILED', 'The render failed unexpectedly.', { cause: e });
      if (err.retryable && job.attempts < maxAttempts) {
        const back = await deps.renders.transition(tenant, renderId, { from: RUNNING, to: 'queued' });
        if (back) return { kind: 'nack', delayMs: 5_000 * 2 ** (job.attempts - 1), error: `${err.code}: ${err.message}` };
        await notifyIfFinal(tenant, renderId);
        return { kind: 'ack' };
      }
      await fail(claimed, err, RUNNING);
      return { kind: 'ack' };
    } finally {
      await cancel.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  };

  async function fail(render: RenderRecord, err: MontageError, from: readonly RenderStatus[]): Promise<void> {
    const failed = await deps.renders.transition(render.tenant, render.id, { from, to: 'failed', error: { code: err.code, message: err.message }, webhook: deps.notify.webhookFor });
    if (failed) await deps.notify(failed);
    else await notifyIfFinal(render.tenant, render.id);
  }

  /**
   * The error came after the render had become final: its final move committed but the answer was
   * lost (the database went away), or queuing its webhook failed. Acking the job must not drop the
   * webhook: queue it (again; a no-op when it was queued).
   */
  async function notifyIfFinal(tenant: string, renderId: string): Promise<void> {
    const now = await deps.renders.get(tenant, renderId);
    if (now && isFinalStatus(now.status)) await deps.notify(now, { replay: true });
  }
}

/**
 * Follows the engine's progress on the row: a stage change moves the status (in order, one write
 * at a time), and progress is written at most every `intervalMs`, so a 60 fps progress stream
 * costs a handful of writes a second at most.
 */
function createRowUpdater(deps: Pick<ProcessRenderDeps, 'renders' | 'events'>, render: RenderRecord, intervalMs: number) {
  let status: RenderStatus = 'preparing';
  let chain: Promise<unknown> = Promise.resolve();
  let lastWrite = 0;
  let latest = 0;
  const { tenant, id } = render;
  const enqueue = (fn: () => Promise<unknown>) => { chain = chain.then(fn).catch(() => {}); return chain; };

  const moveTo = (to: 'rendering' | 'finalizing') => enqueue(async () => {
    const path: RenderStatus[] = to === 'finalizing' ? ['rendering', 'finalizing'] : ['rendering'];
    for (const next of path) {
      if (RUNNING.indexOf(status) >= RUNNING.indexOf(next)) continue;
      const moved = await deps.renders.transition(tenant, id, { from: status, to: next, progress: latest });
      if (!moved) return;
      status = next;
      await deps.events.publish({ type: 'status', tenant, renderId: id, status: next });
    }
  });

  return {
    onProgress(p: RenderProgress) {
      latest = Math.max(latest, Math.min(1, p.fraction));
      if (p.stage !== 'preparing' && p.stage !== status) void moveTo(p.stage);
      const now = Date.now();
      if (now - lastWrite < intervalMs) return;
      lastWrite = now;
      const fraction = latest;
      void enqueue(async () => {
        await deps.renders.setProgress(tenant, id, fraction);
        await deps.events.publish({ type: 'progress', tenant, renderId: id, progress: fraction, stage: p.stage });
      });
    },
    moveTo,
    flush: () => chain,
  };
}
