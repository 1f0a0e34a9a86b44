/**
 * The render side of a process, shared by `montage serve` and `montage worker`: the safe fetcher
 * (with its content-addressed cache), the engine, the render worker that leases jobs and the
 * webhook dispatcher. The composition roots hand in the stores (open-backends.ts).
 */
import type { Config } from '../config/load-config.ts';
import { configuredAllowList } from './configured-allow-list.ts';
import { FetchCache } from '../assets/fetch-cache.ts';
import { SafeFetcher } from '../assets/safe-fetcher.ts';
import { createGuardedWebhookPoster } from '../adapters/guarded-webhook-poster.ts';
import { createProcessJob } from '../jobs/process-job.ts';
import type { NotifyFinalStatus } from '../jobs/notify-final-status.ts';
import { startRenderWorker, type RenderWorker, type RenderWorkerOptions } from '../jobs/render-worker.ts';
import { createWebhookDispatcher, type WebhookDispatcherOptions } from '../jobs/webhook-dispatcher.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import type { WebhookOutbox } from '../ports/webhook-outbox.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { Backends } from './open-backends.ts';

import { startReconcileLoop } from '../jobs/reconcile-renders.ts';
import type { PieceDone } from '../jobs/process-render-job.ts';
import { createSweepOrphanPieces } from '../jobs/sweep-orphan-pieces.ts';

export interface RenderSideOptions {
  readonly config: Config;
  readonly backends: Backends;
  readonly engine: RenderEngine;
  readonly metrics: Metrics;
  /** The metered outbox the dispatcher works through. */
  readonly outbox: WebhookOutbox;
  readonly notify: NotifyFinalStatus;
  /** Split long renders into pieces for any worker (serve: only with more than one render slot). */
  readonly distribute: boolean;
  /** Renders at a time; 0 runs no render worker (the dispatcher still runs). */
  readonly concurrency: number;
  readonly webhookPollMs?: number;
  readonly onError: (error: unknown, renderId?: string) => void;
  /** Each job's start and end on this process's render worker (render-worker.ts). */
  readonly onJob?: RenderWorkerOptions['onJob'];
  /** Each failed webhook try (logged at warn by the roots). */
  readonly onWebhookFailure?: WebhookDispatcherOptions['onFailedAttempt'];
  /** After each render with the piece cache: how many pieces it had and reused (for the log). */
  readonly onPieces?: (renderId: string, pieces: { readonly total: number; readonly reused: number; readonly bytesReused: number }) => void;
  /** After each piece of a distributed render with the piece cache: its key and whether it was reused (for the log). */
  readonly onPiece?: (p: PieceDone) => void;
}

export interface RenderSide {
  /** Renders running in this process now. */
  running(): number;
  /** Stops taking jobs, lets running ones finish within the grace period (or hands them back), stops the dispatcher. */
  stop(): Promise<void>;
}

export function createFetcher(config: Config, metrics: Pick<Metrics, 'bytesFetched'>): SafeFetcher {
  return new SafeFetcher({
    allowList: configuredAllowList(config),
    limits: { maxBytes: config.limits.maxAssetBytes, startTimeoutMs: config.limits.downloadStartTimeoutMs, stallTimeoutMs: config.limits.downloadStallTimeoutMs },
    onBytes: (n) => metrics.bytesFetched.inc(n), // network bytes only: cache hits never reach the fetcher
  });
}

export async function startRenderSide(o: RenderSideOptions): Promise<RenderSide> {
  const { config, backends: b } = o;
  const fetcher = createFetcher(config, o.metrics);
  // Renders fetch through the cache (one download per URL for all of them); webhooks go straight
  // through the fetcher's guarded agents.
  const assetFetcher = config.fetchCacheBytes > 0
    ? await FetchCache.open({ dir: config.paths.fetchCache, maxBytes: config.fetchCacheBytes, fetcher }) : fetcher;

  let worker: RenderWorker | null = null;
  if (o.concurrency > 0) {
    worker = startRenderWorker({
      queue: b.queue, concurrency: o.concurrency, graceMs: config.shutdownGraceMs, leaseMs: config.jobLeaseMs,
      process: createProcessJob({
        renders: b.renders, engine: o.engine, events: b.events, notify: o.notify, objects: b.objects, assets: b.assets,
        fetcher: assetFetcher, workRoot: config.paths.work, threads: config.ffmpegThreads || undefined,
        // The graphs of the renders at once share the cores (the encoders keep theirs: they key pieces).
        rendersAtOnce: o.concurrency,
        maxDurationSeconds: config.limits.maxDurationSeconds, // "auto" lengths are only known after probing
        renderTimeLimit: config.renderTimeLimit ?? undefined,
        faultPauses: config.faultPauseMs, // all 0 unless MONTAGE_FAULT_PAUSE is set (chaos tests)
        pieceCache: config.pieceCache.enabled && b.pieceCache ? {
          cache: b.pieceCache,
          pieceSeconds: config.pieceCache.pieceSeconds || undefined,
          bounds: { maxBytes: config.pieceCache.maxBytes || undefined, maxAgeSeconds: config.pieceCache.maxAgeMs ? config.pieceCache.maxAgeMs / 1000 : undefined },
          onPieces: (p, renderId) => {
            o.onPieces?.(renderId, p);
            o.metrics.piecesRendered.inc(p.total - p.reused);
            o.metrics.piecesReused.inc(p.reused);
            o.metrics.pieceBytesReused.inc(p.bytesReused);
          },
          onPiece: o.onPiece,
        } : undefined,
        distribute: o.distribute && config.chunkSeconds > 0
          ? { chunks: b.chunks, queue: b.queue, chunkSeconds: config.chunkSeconds } : undefined,
      }),
      onError: (err, job) => o.onError(err, job?.message.renderId),
      onJob: o.onJob,
    });
  }
  const dispatcher = createWebhookDispatcher({
    outbox: o.outbox, keys: b.keys, poster: createGuardedWebhookPoster(fetcher.agents), baseDelayMs: config.webhookRetryBaseMs,
    onFailedAttempt: o.onWebhookFailure,
  }).start(o.webhookPollMs);
  // Leftover pieces of ended distributed renders (kills, late piece jobs), after their retention.
  const sweep = createSweepOrphanPieces({ chunks: b.chunks, renders: b.renders, objects: b.objects, retentionMs: config.pieceRetentionMs });
  const sweeper = startReconcileLoop(sweep, { intervalMs: Math.min(config.reconcileIntervalMs, config.pieceRetentionMs || 1_000), onError: (e) => o.onError(e) });

  return {
    running: () => worker?.running ?? 0,
    async stop() {
      await sweeper.stop();
      await worker?.stop();
      await dispatcher.stop();
    },
  };
}
