/**
 * `montage api`: a stateless HTTP API instance of the scale-out mode. Any number run behind a load
 * balancer on the same PostgreSQL (records, idempotency), Redis (BullMQ queue, SSE events through
 * pub/sub, shared rate-limit counters) and storage (S3, or one shared volume). It validates,
 * records and queues; `montage worker` renders.
 *
 * Start-up: each store must answer, or the process refuses to start naming the one that does not.
 * Redis down later: /readyz turns 503; a submission still commits its render row and answers 202,
 * and the workers' reconciler queues it once Redis is back (the enqueue is bounded, never hangs).
 * SIGTERM: /readyz 503 at once, requests in flight finish, the server closes, exit 0.
 */
import { createOutputLinkSigner } from '../shotstack/signed-output-links.ts';
import type { FastifyInstance } from 'fastify';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config/load-config.ts';
import { buildApp } from '../http/build-app.ts';
import type { HttpDeps } from '../http/http-deps.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { createMetrics } from '../telemetry/metrics.ts';
import { meteredNotify, meteredOutbox } from '../telemetry/metered-ports.ts';
import { startTracing } from '../telemetry/tracing.ts';
import { buildHttpDeps } from './build-http-deps.ts';
import { createDependencyErrorLog, type WarnLogger } from './dependency-error-log.ts';
import { startIdempotencyPurge } from './idempotency-purge.ts';
import { listenUrlOf } from './listen-url.ts';
import { withTimeout } from '../adapters/with-timeout.ts';
import { openScaleOutBackends } from './open-backends.ts';
import type { RunningServe } from './serve.ts';

export interface ApiOptions {
  readonly engine?: Pick<RenderEngine, 'validate'>;
  readonly logger?: HttpDeps['logger'];
  readonly traceExporter?: SpanExporter;
}

/** Ms a submission waits for Redis to take its job before leaving it to the reconciler. */
const ENQUEUE_TIMEOUT_MS = 2_000;

export async function startApi(config: Config, opts: ApiOptions = {}): Promise<RunningServe> {
  let log: WarnLogger | null = null;
  const depError = createDependencyErrorLog(() => log);
  const b = await openScaleOutBackends(config, { onError: depError });
  const tracing = startTracing({ serviceName: 'montage-api', endpoint: config.otlpEndpoint ?? undefined, exporter: opts.traceExporter });
  let draining = false;
  const metrics = createMetrics({ queueDepth: () => withTimeout(b.queue.depth(), 1_000, 'the queue depth'), queueOldestWaitingSeconds: () => withTimeout(b.queue.oldestWaitingAgeSeconds(), 1_000, 'the queue age') });
  const outbox = meteredOutbox(b.outbox, metrics);
  const engine = opts.engine ?? (await import('../render/engine.ts')).createRenderEngine({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
  let listenUrl = `http://localhost:${config.port}`;
  const signer = config.urlSecret ? createOutputLinkSigner(config.urlSecret) : null;
  const notify = meteredNotify({ outbox, events: b.events, publicUrl: () => config.publicUrl ?? listenUrl, signer, onPublishError: (e) => depError(e, 'Redis (REDIS_URL, render events)') }, metrics);
  const queue: JobQueue = { ...b.queue, enqueue: (m, o) => withTimeout(b.queue.enqueue(m, o), ENQUEUE_TIMEOUT_MS, 'Redis (the job queue)') };

  let app: FastifyInstance;
  try {
    app = await buildApp(buildHttpDeps({
      config, backends: b, engine, metrics, notify, signer, draining: () => draining, tracing, logger: opts.logger,
      queue, deferEnqueueFailures: true,
      onDeferredEnqueue: (renderId, err) => app.log.warn({ renderId, err }, 'render recorded but not queued (Redis away): the reconciler will queue it'),
    }));
    log = app.log;
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await b.close();
    await tracing?.shutdown();
    throw e;
  }
  listenUrl = listenUrlOf(app);
  const stopPurge = startIdempotencyPurge(b.idempotency, app.log);
  app.log.info({ url: listenUrl, role: 'api', dependencies: b.dependencies.map((d) => d.name) }, 'montage api is ready');

  let stopping: Promise<void> | null = null;
  return {
    app, url: listenUrl,
    stop() {
      stopping ??= (async () => {
        draining = true;
        stopPurge();
        app.log.info('draining: /readyz is 503; finishing requests in flight');
        await app.close();
        await b.close();
        await tracing?.shutdown();
        app.log.info('stopped');
      })();
      return stopping;
    },
  };
}
