/**
 * `montage serve`: the embedded composition root. One process runs the HTTP API, a render worker
 * and the webhook dispatcher over SQLite and files in MONTAGE_DATA_DIR (migrated at start unless
 * MONTAGE_AUTO_MIGRATE=false), with no other server to install.
 *
 * Shutdown (SIGTERM/SIGINT, or `stop()`): /readyz turns 503 at once; the worker takes no new job
 * and lets the running renders finish within MONTAGE_SHUTDOWN_GRACE, then hands the rest back to
 * the durable queue; the dispatcher finishes its pass; the HTTP server closes; exit 0. A process
 * killed outright loses nothing either: its job lease runs out and the next start renders it.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/load-config.ts';
import { parseAllowList, EMPTY_ALLOW_LIST } from '../assets/allow-list.ts';
import { FetchCache } from '../assets/fetch-cache.ts';
import { SafeFetcher } from '../assets/safe-fetcher.ts';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createGuardedWebhookPoster } from '../adapters/guarded-webhook-poster.ts';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { createSqliteChunkStore } from '../adapters/sqlite-chunk-store.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { openConfiguredSqlite } from '../cli/keys-command.ts';
import { buildApp } from '../http/build-app.ts';
import type { HttpDeps } from '../http/http-deps.ts';
import { createCancelRender } from '../jobs/cancel-render.ts';
import { createGetRender, createListRenders } from '../jobs/get-render.ts';
import { createAssetUseCases } from '../jobs/manage-assets.ts';
import { createKeyUseCases } from '../jobs/manage-keys.ts';
import { createTemplateUseCases } from '../jobs/manage-templates.ts';
import { createProcessJob } from '../jobs/process-job.ts';
import { startRenderWorker, type RenderWorker } from '../jobs/render-worker.ts';
import { createCheckRenderRequest, createSubmitRender } from '../jobs/submit-render.ts';
import { createWebhookDispatcher } from '../jobs/webhook-dispatcher.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { createMetrics } from '../telemetry/metrics.ts';
import { meteredNotify, meteredOutbox } from '../telemetry/metered-ports.ts';
import { startTracing } from '../telemetry/tracing.ts';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface ServeOptions {
  /** The render engine (the real one by default; loaded lazily so `serve` imports it only when used). */
  readonly engine?: RenderEngine;
  /** Fastify/pino logger options, or false. Default: JSON lines on stdout at info. */
  readonly logger?: HttpDeps['logger'];
  /** Webhook dispatcher poll interval in ms (default 1000). */
  readonly webhookPollMs?: number;
  /** Export spans here instead of OTLP (tests); tracing is otherwise on only with OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly traceExporter?: SpanExporter;
}

export interface RunningServe {
  readonly app: FastifyInstance;
  /** `http://host:port` the server listens on. */
  readonly url: string;
  /** Graceful shutdown as described above; idempotent. */
  stop(): Promise<void>;
}

const HOUR = 3600_000;

export async function startServe(config: Config, opts: ServeOptions = {}): Promise<RunningServe> {
  const tracing = startTracing({ serviceName: 'montage-serve', endpoint: config.otlpEndpoint ?? undefined, exporter: opts.traceExporter });
  const db = openConfiguredSqlite(config);
  const renders = createSqliteRenderStore(db);
  const keyStore = createSqliteKeyStore(db);
  const assetStore = createSqliteAssetStore(db);
  const templateStore = createSqliteTemplateStore(db);
  const idempotency = createSqliteIdempotencyStore(db);
  const queue = createEmbeddedJobQueue(db);
  const events = createInProcessRenderEvents();
  const objects = createFileObjectStore(config.paths.objects);

  let worker: RenderWorker | null = null;
  let draining = false;
  const metrics = createMetrics({ queueDepth: () => queue.depth(), activeRenders: () => worker?.running ?? 0 });
  const outbox = meteredOutbox(createSqliteWebhookOutbox(db), metrics);

  const allow = config.allowHosts.length > 0 ? parseAllowList(config.allowHosts.join(',')) : null;
  const fetcher = new SafeFetcher({
    allowList: allow?.ok ? allow.allowList : EMPTY_ALLOW_LIST,
    limits: { maxBytes: config.limits.maxAssetBytes, startTimeoutMs: config.limits.downloadStartTimeoutMs },
    onBytes: (n) => metrics.bytesFetched.inc(n), // network bytes only: cache hits never reach the fetcher
  });
  // Renders fetch through the cache (one download per URL for all of them); webhooks go straight
  // through the fetcher's guarded agents.
  const assetFetcher = config.fetchCacheBytes > 0
    ? await FetchCache.open({ dir: config.paths.fetchCache, maxBytes: config.fetchCacheBytes, fetcher }) : fetcher;
  const engine = opts.engine ?? (await import('../render/engine.ts')).createRenderEngine({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });

  let listenUrl = `http://localhost:${config.port}`;
  const notify = meteredNotify({ outbox, events, publicUrl: () => config.publicUrl ?? listenUrl }, metrics);
  const limits = config.limits;
  const deps: HttpDeps = {
    keys: createKeyUseCases({ keys: keyStore }),
    submitRender: createSubmitRender({ engine, renders, queue, idempotency, templates: templateStore, assets: assetStore, limits }),
    checkRenderRequest: createCheckRenderRequest({ engine, templates: templateStore, assets: assetStore, limits }),
    getRender: createGetRender({ renders }),
    listRenders: createListRenders({ renders }),
    cancelRender: createCancelRender({ renders, notify }),
    templates: createTemplateUseCases({ templates: templateStore, engine }),
    assets: createAssetUseCases({ assets: assetStore, objects, maxAssetBytes: limits.maxAssetBytes }),
    objects, events, metrics, limits, publicUrl: config.publicUrl, tracing,
    readiness: {
      draining: () => draining,
      async check() { db.prepare('SELECT 1').get(); },
    },
    logger: opts.logger,
  };

  let app: FastifyInstance;
  try {
    app = await buildApp(deps);
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    db.close();
    throw e;
  }
  const addr = app.server.address();
  if (addr && typeof addr === 'object') {
    listenUrl = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]');
  }

  const workerLog = app.log.child({ component: 'worker' });
  worker = startRenderWorker({
    queue, concurrency: config.workerConcurrency, graceMs: config.shutdownGraceMs, leaseMs: config.jobLeaseMs,
    process: createProcessJob({
      renders, engine, events, notify, objects, assets: assetStore, fetcher: assetFetcher, workRoot: config.paths.work,
      maxDurationSeconds: config.limits.maxDurationSeconds, // "auto" lengths are only known after probing
      // Splitting pays only when pieces run side by side: one render slot would render them in turn.
      distribute: config.workerConcurrency > 1 && config.chunkSeconds > 0
        ? { chunks: createSqliteChunkStore(db), queue, chunkSeconds: config.chunkSeconds } : undefined,
    }),
    onError: (err, job) => workerLog.error({ err, renderId: job?.message.renderId }, 'worker error'),
  });
  const dispatcher = createWebhookDispatcher({ outbox, keys: keyStore, poster: createGuardedWebhookPoster(fetcher.agents) }).start(opts.webhookPollMs);
  const purge = () => idempotency.purgeBefore(new Date(Date.now() - 24 * HOUR).toISOString()).catch((err) => app.log.warn({ err }, 'idempotency purge failed'));
  const housekeeping = setInterval(purge, HOUR);
  housekeeping.unref();
  app.log.info({ url: listenUrl, dataDir: config.dataDir, concurrency: config.workerConcurrency }, 'montage serve is ready');

  let stopping: Promise<void> | null = null;
  return {
    app, url: listenUrl,
    stop() {
      stopping ??= (async () => {
        draining = true;
        app.log.info({ graceMs: config.shutdownGraceMs, running: worker?.running ?? 0 }, 'draining: no new renders; waiting for running ones');
        clearInterval(housekeeping);
        await worker?.stop();
        await dispatcher.stop();
        await app.close();
        db.close();
        await tracing?.shutdown();
        app.log.info('stopped');
      })();
      return stopping;
    },
  };
}
