/**
 * The HTTP layer's dependencies (src/http/http-deps.ts) built from a process's stores, shared by
 * `montage serve` and `montage api`, so both answer every route the same way.
 */
import type { OutputLinkSigner } from '../shotstack/signed-output-links.ts';
import { createOAuthVerifier } from '../auth/oauth-verifier.ts';
import { readTlsOptions } from './tls-options.ts';
import type { Config } from '../config/load-config.ts';
import type { HttpDeps } from '../http/http-deps.ts';
import { createCancelRender } from '../jobs/cancel-render.ts';
import { createGetRender, createListRenders } from '../jobs/get-render.ts';
import { createAssetUseCases } from '../jobs/manage-assets.ts';
import { createKeyUseCases } from '../jobs/manage-keys.ts';
import { createTemplateUseCases } from '../jobs/manage-templates.ts';
import { createListWebhookDeliveries } from '../jobs/list-webhook-deliveries.ts';
import { createProbeRequestSources, createProbeUrl } from '../jobs/probe-request-sources.ts';
import { createInspectStoredUpload } from '../jobs/inspect-stored-upload.ts';
import { SafeFetcher } from '../assets/safe-fetcher.ts';
import type { NotifyFinalStatus } from '../jobs/notify-final-status.ts';
import { createCheckRenderRequest, createSubmitRender } from '../jobs/submit-render.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { Tracing } from '../telemetry/tracing.ts';
import { checkDependencies, type Backends } from './open-backends.ts';
import { createDestinationCheck } from '../assets/check-destination.ts';
import { configuredAllowList } from './configured-allow-list.ts';

export interface HttpDepsOptions {
  readonly config: Config;
  readonly backends: Backends;
  readonly engine: Pick<RenderEngine, 'validate'>;
  readonly metrics: Metrics;
  readonly notify: NotifyFinalStatus;
  /** Signs the Shotstack API's output links; null = none signed (api without MONTAGE_URL_SECRET). */
  readonly signer: OutputLinkSigner | null;
  readonly draining: () => boolean;
  readonly tracing?: Tracing;
  readonly logger?: HttpDeps['logger'];
  /** The queue submissions go to (a bounded one in `api`: see api.ts). Default: the backends' own. */
  readonly queue?: JobQueue;
  /** Submissions whose enqueue fails stay queued for the reconciler instead of failing (scale-out). */
  readonly deferEnqueueFailures?: boolean;
  readonly onDeferredEnqueue?: (renderId: string, error: unknown) => void;
}

export function buildHttpDeps(o: HttpDepsOptions): HttpDeps {
  const { config, backends: b } = o;
  const limits = config.limits;
  const queue = o.queue ?? b.queue;
  // The same rules as the worker's fetcher and the webhook poster, so submit refuses what they would.
  const checkDestination = createDestinationCheck({ allowList: configuredAllowList(config) });
  const oauth = config.oauthIssuers.length === 0 ? undefined : createOAuthVerifier({
    issuers: config.oauthIssuers, allowHosts: config.allowHosts, cooldownMs: config.oauthJwksCooldownMs,
  });
  return {
    oauth,
    ...readTlsOptions(config.tls),
    keys: createKeyUseCases({ keys: b.keys }),
    submitRender: createSubmitRender({
      engine: o.engine, renders: b.renders, queue, idempotency: b.idempotency, templates: b.templates, assets: b.assets, limits, checkDestination,
      deferEnqueueFailures: o.deferEnqueueFailures, onDeferredEnqueue: o.onDeferredEnqueue,
    }),
    checkRenderRequest: createCheckRenderRequest({ engine: o.engine, templates: b.templates, assets: b.assets, limits, checkDestination }),
    checkDestination,
    getRender: createGetRender({ renders: b.renders }),
    listRenders: createListRenders({ renders: b.renders }),
    cancelRender: createCancelRender({ renders: b.renders, notify: o.notify }),
    listWebhookDeliveries: createListWebhookDeliveries({ renders: b.renders, outbox: b.outbox }),
    ...probes({
      assets: b.assets, objects: b.objects, ffprobePath: config.ffprobePath, workRoot: config.paths.work,
      fetcher: new SafeFetcher({
        allowList: configuredAllowList(config),
        limits: { maxBytes: limits.maxAssetBytes, startTimeoutMs: limits.downloadStartTimeoutMs, stallTimeoutMs: limits.downloadStallTimeoutMs },
        onBytes: (n) => o.metrics.bytesFetched.inc(n),
      }),
    }),
    templates: createTemplateUseCases({ templates: b.templates }),
    assets: createAssetUseCases({
      assets: b.assets, objects: b.objects, maxAssetBytes: limits.maxAssetBytes,
      inspect: createInspectStoredUpload({ objects: b.objects, ffprobePath: config.ffprobePath, workRoot: config.paths.work }),
    }),
    objects: b.objects, events: b.events, metrics: o.metrics, limits, publicUrl: config.publicUrl, outputLinks: o.signer, tracing: o.tracing,
    readiness: {
      draining: o.draining, check: () => checkDependencies(b.dependencies, 1_000),
      ...(oauth ? { warnings: () => oauth.unreachable(1_000) } : {}),
    },
    logger: o.logger,
    ...(b.rateLimitRedis ? { rateLimit: { redis: b.rateLimitRedis, nameSpace: `${config.redisPrefix}:rate-limit:` } } : {}),
  };
}

/** POST /v1/validate?probe=true and the Shotstack probe route: one fetcher and scratch area, two shapes. */
const probes = (deps: Parameters<typeof createProbeRequestSources>[0]) => ({
  probeRequestSources: createProbeRequestSources(deps),
  probeUrl: createProbeUrl(deps),
});
