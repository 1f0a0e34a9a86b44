/**
 * What the HTTP layer needs, handed in by a composition root (src/main/serve.ts; later `api`).
 * Use cases come ready-made; the few ports listed are read directly only where a route streams
 * (outputs, events). Nothing here is constructed by the HTTP layer itself.
 */
import type { Tracing } from '../telemetry/tracing.ts';
import type { OAuthVerifier } from '../auth/oauth-verifier.ts';
import type { ClientCertificates, HttpsOptions } from './client-certificate.ts';
import type { FastifyServerOptions } from 'fastify';
import type { Limits } from '../config/load-config.ts';
import type { CancelRenderUseCase, GetRenderUseCase, ListRendersUseCase } from './use-case-types.ts';
import type { AssetUseCases } from '../jobs/manage-assets.ts';
import type { KeyUseCases } from '../jobs/manage-keys.ts';
import type { TemplateUseCases } from '../jobs/manage-templates.ts';
import type { CheckRenderRequest, SubmitRender } from '../jobs/submit-render.ts';
import type { CheckDestination } from '../assets/check-destination.ts';
import type { ListWebhookDeliveries } from '../jobs/list-webhook-deliveries.ts';
import type { ProbeRequestSources, ProbeUrl } from '../jobs/probe-request-sources.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { RenderEvents } from '../ports/render-events.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { OutputLinkSigner } from '../shotstack/signed-output-links.ts';

/**
 * Where per-key request counts live: absent = in this process's memory (one process); an ioredis
 * client shares them between every api instance (@fastify/rate-limit's Redis store).
 */
export interface SharedRateLimit {
  readonly redis: unknown;
  /** Key prefix of the counters, e.g. `montage:rate-limit:`. */
  readonly nameSpace: string;
}

export interface Readiness {
  /** True once shutdown began: /readyz answers 503 so load balancers stop sending traffic. */
  draining(): boolean;
  /** Resolves when every dependency answers (database, object store); rejects with the reason. */
  check(): Promise<void>;
  /**
   * Problems that leave the process ready (an OAuth issuer that does not answer: API keys still
   * work), one sentence each; /readyz lists them under `warnings`.
   */
  warnings?(): Promise<readonly string[]>;
}

export interface HttpDeps {
  readonly keys: Pick<KeyUseCases, 'authenticateKey' | 'tenantNamed'>;
  /** HTTPS server options (MONTAGE_TLS_*); absent = plain HTTP. */
  readonly https?: HttpsOptions;
  /** Client certificates authenticate callers (MONTAGE_TLS_CLIENT_CA); absent = they do not. */
  readonly clientCertificates?: ClientCertificates;
  /** Verifies OAuth 2.0 access tokens beside API keys; absent = API keys only. */
  readonly oauth?: OAuthVerifier;
  readonly submitRender: SubmitRender;
  readonly checkRenderRequest: CheckRenderRequest;
  readonly getRender: GetRenderUseCase;
  readonly listRenders: ListRendersUseCase;
  readonly cancelRender: CancelRenderUseCase;
  /** GET /v1/renders/{id}/webhooks. */
  readonly listWebhookDeliveries: ListWebhookDeliveries;
  /** POST /v1/validate?probe=true: fetch and probe the sources of a checked request. */
  readonly probeRequestSources: ProbeRequestSources;
  /** Fetches and probes one source URL (the Shotstack-compatible probe route). */
  readonly probeUrl: ProbeUrl;
  /**
   * The destination rules the webhook poster applies, for a URL checked at submit outside the
   * composition (a Shotstack Edit's `callback`). Absent: such URLs are only refused when posted to.
   */
  readonly checkDestination?: CheckDestination;
  readonly templates: TemplateUseCases;
  readonly assets: AssetUseCases;
  /** Render outputs are streamed (or redirected to) from here. */
  readonly objects: ObjectStore;
  readonly events: RenderEvents;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly limits: Pick<Limits, 'maxBodyBytes' | 'requestsPerMinute' | 'maxAssetBytes'> & Partial<Pick<Limits, 'maxAssets'>>;
  /** Base URL of output links; null = each request's own origin. */
  readonly publicUrl: string | null;
  /**
   * Signs and checks the Shotstack API's output links, which download without an API key
   * (src/shotstack/signed-output-links.ts); absent or null = no signed links.
   */
  readonly outputLinks?: OutputLinkSigner | null;
  /** Fastify logger options (pino), or false for none. Authorization is always redacted. */
  readonly logger?: Exclude<FastifyServerOptions['logger'], true> | false;
  readonly rateLimit?: SharedRateLimit;
  /** When tracing is on: registered first, so every request runs in its span (src/telemetry/tracing.ts). */
  readonly tracing?: Pick<Tracing, 'fastifyPlugin'>;
  /** Seconds between SSE keep-alive comments and store polls (default 15 and 2). */
  readonly sse?: { readonly keepAliveMs?: number; readonly pollMs?: number };
}
