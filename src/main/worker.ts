/**
 * `montage worker`: a render worker of the scale-out mode. Any number lease jobs from the BullMQ
 * queue (renders, the pieces of a long render, their joins), render with ffmpeg in child processes
 * (so BullMQ's lock renewal never waits on the event loop), store outputs in the shared storage and
 * deliver webhooks from the PostgreSQL outbox. Each runs the reconciler too (its passes are safe to
 * overlap: a job id is queued once), and serves /healthz, /readyz and /metrics on MONTAGE_PORT.
 *
 * SIGTERM: /readyz 503, no new job; running renders get MONTAGE_SHUTDOWN_GRACE to finish, then are
 * handed back to the queue for another worker; exit 0. kill -9: BullMQ's stalled-job check frees
 * the job after its lock runs out and another worker renders it.
 */
import { createOutputLinkSigner } from '../shotstack/signed-output-links.ts';
import type { FastifyInstance } from 'fastify';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config/load-config.ts';
import { buildOpsApp } from '../http/build-ops-app.ts';
import type { HttpDeps } from '../http/http-deps.ts';
import { createReconcileRenders, startReconcileLoop } from '../jobs/reconcile-renders.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { createMetrics } from '../telemetry/metrics.ts';
import { meteredNotify, meteredOutbox } from '../telemetry/metered-ports.ts';
import { startTracing } from '../telemetry/tracing.ts';
import { createDependencyErrorLog, type WarnLogger } from './dependency-error-log.ts';
import { listenUrlOf } from './listen-url.ts';
import { withTimeout } from '../adapters/with-timeout.ts';
import { checkDependencies, openScaleOutBackends } from './open-backends.ts';
import type { RunningServe } from './serve.ts';
import { startRenderSide, type RenderSide } from './start-render-side.ts';

export interface WorkerOptions {
  readonly engine?: RenderEngine;
  readonly logger?: HttpDeps['logger'];
  readonly webhookPollMs?: number;
  readonly traceExporter?: SpanExporter;
}

export async function startWorker(config: Config, opts: WorkerOptions = {}): Promise<RunningServe> {
  let log: WarnLogger | null = null;
  const depError = createDependencyErrorLog(() => log);
  const b = await openScaleOutBackends(config, { onError: depError });
  const tracing = startTracing({ serviceName: 'montage-worker', endpoint: config.otlpEndpoint ?? undefined, exporter: opts.traceExporter });
  let side: RenderSide | null = null;
  let draining = false;
  const metrics = createMetrics({ queueDepth: () => withTimeout(b.queue.depth(), 1_000, 'the queue depth'), queueOldestWaitingSeconds: () => withTimeout(b.queue.oldestWaitingAgeSeconds(), 1_000, 'the queue age'), activeRenders: () => side?.running() ?? 0 });
  const outbox = meteredOutbox(b.outbox, metrics);
  const engine = opts.engine ?? (await import('../render/engine.ts')).createRenderEngine({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
  // Output links in webhooks point at the API, which only MONTAGE_PUBLIC_URL knows here.
  // Callback links are signed only with MONTAGE_URL_SECRET, which the api must share to check them.
  const signer = config.urlSecret ? createOutputLinkSigner(config.urlSecret) : null;
  const notify = meteredNotify({ outbox, events: b.events, publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}`, signer, onPublishError: (e) => depError(e, 'Redis (REDIS_URL, render events)') }, metrics);

  let app: FastifyInstance;
  try {
    app = await buildOpsApp({
      metrics, logger: opts.logger,
      readiness: { draining: () => draining, check: () => checkDependencies(b.dependencies, 1_000) },
    });
    log = app.log;
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await b.close();
    await tracing?.shutdown();
    throw e;
  }
  const url = listenUrlOf(app);
  const workerLog = app.log.child({ component: 'worker' });
  side = await startRenderSide({
    config, backends: b, engine, metrics, outbox, notify, webhookPollMs: opts.webhookPollMs,
    concurrency: config.workerConcurrency, distribute: true,
    onError: (err, renderId) => workerLog.error({ err, renderId }, 'worker error'),
    onWebhookFailure: (f) => workerLog.warn(f, f.nextAttemptAt ? 'webhook delivery failed; will retry' : 'webhook delivery failed; given up'),
    onPieces: (renderId, pieces) => workerLog.info({ renderId, pieces: { total: pieces.total, reused: pieces.reused, bytesReused: pieces.bytesReused } }, 'render pieces'),
    onPiece: (p) => workerLog.info({ renderId: p.renderId, piece: p.piece, pieceKey: p.key, reused: p.reused, bytesReused: p.bytesReused }, 'render piece'),
    // One line per job: which worker rendered which render, piece or join, and how it ended.
    onJob: (e) => {
      const m = e.job.message;
      const fields = { jobId: e.job.id, kind: m.kind, renderId: m.renderId, ...(m.kind === 'render-piece' ? { piece: m.piece } : {}), attempts: e.job.attempts, slot: e.workerId };
      if (e.phase === 'start') workerLog.info(fields, 'job started');
      else workerLog.info({ ...fields, outcome: e.outcome, ms: e.ms }, 'job finished');
    },
  });
  // A queued render whose job is not in the queue one interval after it was recorded lost its
  // enqueue (Redis away at submit, or restarted without persistence).
  const reconcile = createReconcileRenders({ renders: b.renders, queue: b.queue, notify, chunks: b.chunks, queuedGraceMs: config.reconcileIntervalMs });
  const reconciler = startReconcileLoop(async () => {
    const r = await reconcile();
    if (r.requeued.length + r.retried.length + r.failed.length > 0) app.log.info(r, 'reconciler repaired renders');
  }, { intervalMs: config.reconcileIntervalMs, onError: (err) => depError(err, 'reconciler') });
  if (config.publicUrl === null) {
    app.log.warn({ variable: 'MONTAGE_PUBLIC_URL' }, `MONTAGE_PUBLIC_URL is not set: the links in webhook payloads will point at http://localhost:${config.port}, this worker, not the API; set it to the URL clients reach the API at, as on the api`);
  }
  app.log.info({ url, role: 'worker', concurrency: config.workerConcurrency, dependencies: b.dependencies.map((d) => d.name) }, 'montage worker is ready');

  let stopping: Promise<void> | null = null;
  return {
    app, url,
    stop() {
      stopping ??= (async () => {
        draining = true;
        app.log.info({ graceMs: config.shutdownGraceMs, running: side?.running() ?? 0 }, 'draining: no new jobs; waiting for running renders');
        await reconciler.stop();
        await side?.stop();
        await app.close();
        await b.close();
        await tracing?.shutdown();
        app.log.info('stopped');
      })();
      return stopping;
    },
  };
}
