/**
 * Distributed (chunked) rendering: the same pipeline on time ranges, spread over any workers.
 *
 * 1. The worker that claims a long mp4/webm render plans it (`engine.planChunks`: GOP-aligned
 *    ranges), records the pieces in the ChunkStore, moves the render to `rendering`, and queues one
 *    `render-piece` job per video range plus one for the whole timeline's audio.
 * 2. Any workers render the pieces (video-only ranges; the audio mixed once for the whole timeline)
 *    and store each in the ObjectStore; the render's progress is the frame-weighted aggregate.
 * 3. The worker that completes the last piece queues `join-render`, which joins the parts without
 *    re-encoding, muxes the audio, makes the poster and thumbnail, stores the outputs and ends the
 *    render.
 * Every step is idempotent (plans are kept, pieces complete once, jobs are deduplicated by id, the
 * render's status moves by compare-and-set), so at-least-once delivery and dead workers are safe.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Composition } from '../composition/schema.ts';
import { MontageError, isMontageError } from '../errors/registry.ts';
import { AUDIO_PIECE, type ChunkStore, type PieceRecord } from '../ports/chunk-store.ts';
import type { JobQueue, LeasedJob } from '../ports/job-queue.ts';
import type { RenderProgress } from '../ports/render-engine.ts';
import { isFinalStatus, type RenderRecord, type RenderStatus } from '../ports/render-store.ts';
import type { JobOutcome, ProcessRenderDeps } from './process-render-job.ts';
import { createServiceSrcResolver } from './resolve-service-src.ts';
import { removeRenderOutputs, renderPrefix, storeRenderOutputs } from './store-render-outputs.ts';
import { watchCancel } from './watch-cancel.ts';
import { pauseFor, pausingUploads } from './fault-pause.ts';
import { currentTraceCarrier, inSpan } from '../telemetry/trace-context.ts';

export interface DistributeDeps {
  readonly chunks: ChunkStore;
  readonly queue: Pick<JobQueue, 'enqueue'>;
  /** Renders longer than this many seconds are split into pieces of about this length. */
  readonly chunkSeconds: number;
}

export type DistributedDeps = ProcessRenderDeps & { readonly distribute: DistributeDeps };

const DISTRIBUTABLE: ReadonlySet<string> = new Set(['mp4', 'webm']);
const RUNNING: readonly RenderStatus[] = ['preparing', 'rendering', 'finalizing'];
/** The audio piece weighs like this share of the video frames in the aggregate progress. */
const AUDIO_WEIGHT = 0.05;

export const shouldDistribute = (render: RenderRecord, d: DistributeDeps | undefined): d is DistributeDeps =>
  !!d && d.chunkSeconds > 0 && DISTRIBUTABLE.has(render.format) && render.duration > d.chunkSeconds;

/** Queue ids of a distributed render's jobs (the reconciler asks the queue about them too). */
export const pieceJobId = (renderId: string, piece: string) => `${renderId}:piece:${piece}`;
export const joinJobId = (renderId: string) => `${renderId}:join`;
/** The file name of a piece, under `<render prefix>/pieces/` in the ObjectStore. */
export const pieceFile = (format: string, piece: string) =>
  piece === AUDIO_PIECE ? `audio.${format === 'mp4' ? 'm4a' : 'webm'}` : `part-${piece}.${format === 'mp4' ? 'mp4' : 'webm'}`;

/**
 * Step 1, run by the worker that claimed the render (status `preparing`). Returns false when the
 * render turned out too short to split (it is then rendered in one piece as usual).
 */
export async function startDistributedRender(
  deps: DistributedDeps, render: RenderRecord, composition: Composition, workDir: string, signal: AbortSignal,
): Promise<boolean> {
  const d = deps.distribute;
  const ranges = await deps.engine.planChunks({
    composition, workDir, signal, parts: Math.ceil(render.duration / d.chunkSeconds), maxDurationSeconds: deps.maxDurationSeconds,
    resolveSrc: createServiceSrcResolver(deps, render.tenant, workDir),
    // With the piece cache, the ranges are the pieces of its fixed grid (a step of at most
    // chunkSeconds unless MONTAGE_PIECE_SECONDS says otherwise; each cut moves to the nearest
    // clip edge on a keyframe within half a step), so the pieces of any render are shared.
    ...(deps.pieceCache ? { pieceGrid: { seconds: deps.pieceCache.pieceSeconds, atMostSeconds: d.chunkSeconds } } : {}),
  });
  if (ranges.length < 2) return false;
  const frames = ranges.reduce((a, r) => a + r.frames, 0);
  const plan = await d.chunks.createPlan(render.tenant, render.id, [
    ...ranges.map((r) => ({ piece: String(r.index), start: r.start, length: r.length, frames: r.frames })),
    { piece: AUDIO_PIECE, start: 0, length: ranges.reduce((a, r) => a + r.length, 0), frames: Math.max(1, Math.round(frames * AUDIO_WEIGHT)) },
  ]);
  const moved = await deps.renders.transition(render.tenant, render.id, { from: ['preparing'], to: 'rendering', progress: 0.02 });
  if (!moved) return true; // canceled meanwhile: nothing to queue
  await deps.events.publish({ type: 'status', tenant: render.tenant, renderId: render.id, status: 'rendering' });
  for (const p of plan.pieces.filter((x) => !x.done)) {
    await d.queue.enqueue({ kind: 'render-piece', v: 1, renderId: render.id, tenant: render.tenant, piece: p.piece, trace: currentTraceCarrier() },
      { priority: render.priority, jobId: pieceJobId(render.id, p.piece) });
  }
  // A coordinator re-run after every piece had finished must still lead to the join.
  if (plan.pieces.every((x) => x.done)) await queueJoin(d, moved);
  return true;
}

const queueJoin = (d: DistributeDeps, render: RenderRecord) =>
  d.queue.enqueue({ kind: 'join-render', v: 1, renderId: render.id, tenant: render.tenant, trace: currentTraceCarrier() }, { priority: render.priority, jobId: joinJobId(render.id) });

/** Steps 2 and 3: the handlers of `render-piece` and `join-render` jobs. */
export function createDistributedJobs(deps: DistributedDeps) {
  const maxAttempts = deps.maxAttempts ?? 3;
  const interval = deps.progressIntervalMs ?? 500;
  const d = deps.distribute;

  /** Runs `work` under the render's cancel watch in a fresh work dir, mapping failures to outcomes. */
  const guarded = async (
    job: LeasedJob, render: RenderRecord, name: string, stopSignal: AbortSignal,
    work: (workDir: string, signal: AbortSignal) => Promise<JobOutcome>,
  ): Promise<JobOutcome> => {
    const workDir = join(deps.workRoot, `${render.id}-${name}`);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const cancel = await watchCancel(deps, render.tenant, render.id, deps.cancelPollMs);
    const signal = AbortSignal.any([cancel.signal, stopSignal]);
    try {
      return await work(workDir, signal);
    } catch (e) {
      if (cancel.signal.aborted) return { kind: 'ack' }; // the render ended elsewhere (canceled, or failed by another piece)
      if (stopSignal.aborted) return { kind: 'release' };
      const err = isMontageError(e) ? e : new MontageError('MONTAGE_E_RENDER_FAILED', 'The render failed unexpectedly.', { cause: e });
      if (err.retryable && job.attempts < maxAttempts) return { kind: 'nack', delayMs: 5_000 * 2 ** (job.attempts - 1), error: `${err.code}: ${err.message}` };
      const failed = await deps.renders.transition(render.tenant, render.id, { from: RUNNING, to: 'failed', error: { code: err.code, message: err.message }, webhook: deps.notify.webhookFor });
      if (failed) {
        await deps.notify(failed);
        await cleanUp(render);
      }
      return { kind: 'ack' };
    } finally {
      await cancel.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  };

  /** The pieces' objects and the plan, once the render has ended. */
  const cleanUp = async (render: RenderRecord) => {
    const plan = await d.chunks.get(render.tenant, render.id);
    for (const p of plan?.pieces ?? []) if (p.key) await deps.objects.delete(p.key).catch(() => false);
    await d.chunks.remove(render.tenant, render.id);
  };

  /** Loads the render a piece or join job is about, or says what to do with the job instead. */
  const load = async (tenant: string, renderId: string): Promise<RenderRecord | JobOutcome> => {
    const render = await deps.renders.get(tenant, renderId);
    if (!render) return { kind: 'ack' };
    if (isFinalStatus(render.status)) {
      // As in process-render-job: a worker that died between the final move and the ack may not
      // have queued the webhook; queuing it again is a no-op otherwise.
      await deps.notify(render, { replay: true });
      await cleanUp(render);
      return { kind: 'ack' };
    }
    // The coordinator is being re-run (it died, or the reconciler re-queued it): try again shortly.
    if (render.status === 'queued' || render.status === 'preparing') return { kind: 'nack', delayMs: 2_000, error: 'the render is being planned again' };
    return render;
  };
  const isOutcome = (x: RenderRecord | JobOutcome): x is JobOutcome => 'kind' in x;

  const processPiece = async (job: LeasedJob, stopSignal: AbortSignal): Promise<JobOutcome> => {
    const m = job.message;
    if (m.kind !== 'render-piece' || m.v !== 1) return { kind: 'ack' };
    const loaded = await load(m.tenant, m.renderId);
    if (isOutcome(loaded)) return loaded;
    const render = loaded;
    const plan = await d.chunks.get(render.tenant, render.id);
    const piece = plan?.pieces.find((p) => p.piece === m.piece);
    if (!plan || !piece) return { kind: 'ack' };
    if (piece.done) return finishPiece(render, piece, piece.key!, piece.reused ?? undefined);

    return guarded(job, render, `piece-${piece.piece}`, stopSignal, async (workDir, signal) => {
      const { composition } = deps.engine.validate(render.composition, undefined, { filled: true });
      const isAudio = piece.piece === AUDIO_PIECE;
      const file = pieceFile(render.format, piece.piece);
      // A video piece goes through the piece cache: its key is looked up first, and it is
      // recorded there after rendering (render-cached-range.ts). The audio is mixed as before.
      const cache = deps.pieceCache && !isAudio ? deps.pieceCache : undefined;
      let last = 0;
      const out = await deps.engine.render({
        composition: isAudio ? composition : { ...composition, output: { ...composition.output, range: { start: piece.start, length: piece.length }, poster: undefined, thumbnail: undefined } },
        streams: isAudio ? 'audio' : 'video',
        resolveSrc: createServiceSrcResolver(deps, render.tenant, workDir),
        workDir, outputPath: join(workDir, file), signal, threads: deps.threads, rendersAtOnce: deps.rendersAtOnce, timeLimit: deps.renderTimeLimit, // per piece
        ...(cache ? { pieceCache: { cache: cache.cache, tenant: render.tenant, pieceSeconds: cache.pieceSeconds } } : {}),
        onProgress: (p: RenderProgress) => {
          const now = Date.now();
          if (now - last < interval) return;
          last = now;
          void reportProgress(render, piece.piece, p.fraction).catch(() => {});
        },
      });
      if (signal.aborted) throw signal.reason;
      const reused = cache && out.pieces ? out.pieces.reused > 0 : undefined;
      if (cache && out.pieces) {
        cache.onPiece?.({ renderId: render.id, piece: piece.piece, key: out.pieces.keys?.[0] ?? null, reused: !!reused, bytesReused: out.pieces.bytesReused });
      }
      // A reused piece is copied under the render too: the join must not depend on the cache
      // keeping it (eviction), and the render's clean-up deletes only its own objects.
      const key = `${renderPrefix(render)}/pieces/${file}`;
      await inSpan('upload', () => deps.objects.put(key, createReadStream(out.video.path)));
      return finishPiece(render, piece, key, reused);
    });
  };

  const reportProgress = async (render: RenderRecord, piece: string, fraction: number) => {
    const total = await d.chunks.setProgress(render.tenant, render.id, piece, fraction);
    if (total === null) return;
    const progress = 0.02 + 0.93 * total;
    await deps.renders.setProgress(render.tenant, render.id, progress);
    await deps.events.publish({ type: 'progress', tenant: render.tenant, renderId: render.id, progress, stage: 'rendering' });
  };

  const finishPiece = async (render: RenderRecord, piece: PieceRecord, key: string, reused: boolean | undefined): Promise<JobOutcome> => {
    const left = await d.chunks.complete(render.tenant, render.id, piece.piece, key, reused);
    await reportProgress(render, piece.piece, 1);
    if (left === 0) await queueJoin(d, render);
    return { kind: 'ack' };
  };

  const processJoin = async (job: LeasedJob, stopSignal: AbortSignal): Promise<JobOutcome> => {
    const m = job.message;
    if (m.kind !== 'join-render' || m.v !== 1) return { kind: 'ack' };
    const loaded = await load(m.tenant, m.renderId);
    if (isOutcome(loaded)) return loaded;
    const render = loaded;
    const plan = await d.chunks.get(render.tenant, render.id);
    if (!plan || plan.pieces.some((p) => !p.done)) return { kind: 'ack' }; // the last piece will queue the join again

    return guarded(job, render, 'join', stopSignal, async (workDir, signal) => {
      const local = async (p: PieceRecord) => {
        const path = join(workDir, pieceFile(render.format, p.piece));
        await pipeline((await deps.objects.get(p.key!)).body, createWriteStream(path), { signal });
        return path;
      };
      const videoPieces = plan.pieces.filter((p) => p.piece !== AUDIO_PIECE);
      const parts = await Promise.all(videoPieces.map(local));
      const audio = await local(plan.pieces.find((p) => p.piece === AUDIO_PIECE)!);
      const { composition } = deps.engine.validate(render.composition, undefined, { filled: true });
      const outputs = await deps.engine.join({ composition, parts, audio, workDir, outputPath: join(workDir, `output.${render.format}`), signal });
      if (signal.aborted) throw signal.reason;
      // Already finalizing when the join's earlier worker died while uploading: this lease finishes it.
      if (render.status !== 'finalizing') {
        const finalizing = await deps.renders.transition(render.tenant, render.id, { from: ['rendering'], to: 'finalizing', progress: 0.97 });
        if (!finalizing) return { kind: 'ack' };
        await deps.events.publish({ type: 'status', tenant: render.tenant, renderId: render.id, status: 'finalizing' });
      }
      // The same fault-injection points as a whole render's (chaos tests only; all 0 otherwise).
      const pauses = deps.faultPauses ?? {};
      const objects = pauses.upload ? pausingUploads(deps.objects, pauses.upload) : deps.objects;
      const stored = await inSpan('upload', () => storeRenderOutputs(objects, render, outputs));
      await pauseFor(pauses.afterUpload);
      const pieces = await pieceCount(videoPieces, parts);
      // The rendered length, as an unchunked render records it (the timeline's, once "auto" and
      // "end" lengths are known from the probes): the audio piece spans the whole range. The
      // record's duration until now was the estimate made at submission.
      const duration = plan.pieces.find((p) => p.piece === AUDIO_PIECE)!.length;
      const done = await deps.renders.transition(render.tenant, render.id, { from: 'finalizing', to: 'succeeded', outputs: stored, duration, pieces: pieces && { total: pieces.total, reused: pieces.reused }, webhook: deps.notify.webhookFor });
      if (done && pieces) deps.pieceCache?.onPieces?.(pieces, render.id);
      await pauseFor(pauses.beforeNotify);
      if (done) await inSpan('webhook', () => deps.notify(done));
      else await removeRenderOutputs(deps.objects, stored);
      // After the webhook is queued: a full cache never delays nor fails a render.
      if (done && pieces) await deps.pieceCache?.cache.evict(deps.pieceCache.bounds).catch(() => 0);
      await cleanUp(render);
      return { kind: 'ack' };
    });
  };

  /** The render's piece count from its pieces' records (undefined when none went through the piece cache). */
  const pieceCount = async (pieces: readonly PieceRecord[], paths: readonly string[]) => {
    if (pieces.every((p) => p.reused === null)) return undefined;
    let bytesReused = 0;
    for (const [i, p] of pieces.entries()) if (p.reused) bytesReused += (await stat(paths[i]!)).size;
    return { total: pieces.length, reused: pieces.filter((p) => p.reused).length, bytesReused };
  };

  return { processPiece, processJoin };
}
