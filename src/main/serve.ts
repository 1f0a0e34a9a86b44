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
import { createOutputLinkSigner } from '../shotstack/signed-output-links.ts';
import { embeddedUrlSecret } from './url-secret.ts';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/load-config.ts';
import { buildApp } from '../http/build-app.ts';
import type { HttpDeps } from '../http/http-deps.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { createMetrics } from '../telemetry/metrics.ts';
import { meteredNotify, meteredOutbox } from '../telemetry/metered-ports.ts';
import { startTracing } from '../telemetry/tracing.ts';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { buildHttpDeps } from './build-http-deps.ts';
import { startIdempotencyPurge } from './idempotency-purge.ts';
import { listenUrlOf } from './listen-url.ts';
import { openEmbeddedBackends } from './open-backends.ts';
import { startRenderSide, type RenderSide } from './start-render-side.ts';

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


export async function startServe(config: Config, opts: ServeOptions = {}): Promise<RunningServe> {
  const tracing = startTracing({ serviceName: 'montage-serve', endpoint: config.otlpEndpoint ?? undefined, exporter: opts.traceExporter });
  const b = openEmbeddedBackends(config);
  let side: RenderSide | null = null;
  let draining = false;
  const metrics = createMetrics({
    queueDepth: () => b.queue.depth(), queueOldestWaitingSeconds: () => b.queue.oldestWaitingAgeSeconds(), activeRenders: () => side?.running() ?? 0,
  });
  const outbox = meteredOutbox(b.outbox, metrics);
  const engine = opts.engine ?? (await import('../render/engine.ts')).createRenderEngine({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });

  let listenUrl = `http://localhost:${config.port}`;
  const signer = createOutputLinkSigner(embeddedUrlSecret(config));
  const notify = meteredNotify({ outbox, events: b.events, publicUrl: () => config.publicUrl ?? listenUrl, signer }, metrics);
  const deps = buildHttpDeps({ config, backends: b, engine, metrics, notify, signer, draining: () => draining, tracing, logger: opts.logger });

  let app: FastifyInstance;
  try {
    app = await buildApp(deps);
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await b.close();
    throw e;
  }
  listenUrl = listenUrlOf(app);

  const workerLog = app.log.child({ component: 'worker' });
  side = await startRenderSide({
    config, backends: b, engine, metrics, outbox, notify, webhookPollMs: opts.webhookPollMs,
    concurrency: config.workerConcurrency,
    // Splitting pays only when pieces run side by side: one render slot would render them in turn.
    distribute: config.workerConcurrency > 1,
    onError: (err, renderId) => workerLog.error({ err, renderId }, 'worker error'),
    onWebhookFailure: (f) => workerLog.warn(f, f.nextAttemptAt ? 'webhook delivery failed; will retry' : 'webhook delivery failed; given up'),
    onPieces: (renderId, pieces) => workerLog.info({ renderId, pieces: { total: pieces.total, reused: pieces.reused, bytesReused: pieces.bytesReused } }, 'render pieces'),
    onPiece: (p) => workerLog.info({ renderId: p.renderId, piece: p.piece, pieceKey: p.key, reused: p.reused, bytesReused: p.bytesReused }, 'render piece'),
  });
  const stopPurge = startIdempotencyPurge(b.idempotency, app.log);
  app.log.info({ url: listenUrl, dataDir: config.dataDir, concurrency: config.workerConcurrency }, 'montage serve is ready');

  let stopping: Promise<void> | null = null;
  return {
    app, url: listenUrl,
    stop() {
      stopping ??= (async () => {
        draining = true;
        app.log.info({ graceMs: config.shutdownGraceMs, running: side?.running() ?? 0 }, 'draining: no new renders; waiting for running ones');
        stopPurge();
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
