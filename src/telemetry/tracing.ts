/**
 * OpenTelemetry tracing: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test hands in an
 * exporter). One trace runs from the HTTP request (@fastify/otel) through the queue (the W3C
 * trace context travels in the job message, see trace-context.ts) to the worker's stages:
 * fetch, probe, render, upload, webhook. Without a registered provider every span is a no-op.
 */
import type { FastifyPluginCallback } from 'fastify';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  /** Register first on the Fastify app, so every route runs inside its request span. */
  readonly fastifyPlugin: FastifyPluginCallback;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `montage-api`, `montage-worker`, `montage-serve`. */
  readonly serviceName: string;
  /** OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); the SDK appends /v1/traces. */
  readonly endpoint?: string;
  /** A ready exporter instead of OTLP (tests use an in-memory one); spans are exported at once. */
  readonly exporter?: SpanExporter;
}

/** Starts tracing for this process, or returns undefined when it is not configured. */
export function startTracing(opts: TracingOptions): Tracing | undefined {
  if (!opts.exporter && !opts.endpoint) return undefined;
  const processor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${opts.endpoint!.replace(/\/$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName, [ATTR_SERVICE_VERSION]: '0.1.0' }),
    spanProcessors: [processor],
  });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator globally.
  provider.register();
  const fastify = new FastifyOtelInstrumentation({
    // One span per request, named like `POST /v1/renders`; no span per hook or per handler.
    instrumentHooks: false,
    instrumentHandler: false,
    ignorePaths: (o: { url: string }) => /^\/(healthz|readyz|metrics)\b/.test(o.url),
    requestHook: (span, req) => span.updateName(`${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`),
  });
  fastify.setTracerProvider(provider);
  return {
    fastifyPlugin: fastify.plugin() as unknown as FastifyPluginCallback,
    async shutdown() {
      await provider.shutdown();
    },
  };
}
