/**
 * Carrying a trace across the queue: the enqueuing side writes the active W3C trace context into
 * the job message (`trace`), the worker continues it. With no tracer provider registered these are
 * cheap no-ops (inject writes nothing; spans are non-recording).
 *
 * @opentelemetry/api (45 modules, about 40 ms of CPU to load) is loaded only once something has
 * registered OpenTelemetry globally (`startTracing` in serve, api and worker). Until then, as in
 * every CLI command, the API's own answers are known without it: no propagator, so no carrier; no
 * tracer provider, so every span is non-recording and the context stays the root one.
 */
import { createRequire } from 'node:module';
import type { Attributes, Span, SpanContext, SpanKind as ApiSpanKind } from '@opentelemetry/api';

type OtelApi = typeof import('@opentelemetry/api');
const require = createRequire(import.meta.url);
let loaded: OtelApi | undefined;
const otel = (): OtelApi => (loaded ??= require('@opentelemetry/api') as OtelApi);

/** Where @opentelemetry/api 1.x keeps what is registered (its internal/global-utils). */
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');
/** Whether anything (a tracer provider, propagator, context manager, logger) registered OpenTelemetry. */
const registered = (): boolean => loaded !== undefined || (globalThis as Record<symbol, unknown>)[GLOBAL_KEY] !== undefined;

/** SpanKind's values, as the API's enum has them (so callers need not load the API to name one). */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const satisfies Record<keyof typeof ApiSpanKind, ApiSpanKind>;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** What the API's tracer gives with no provider registered: the invalid context, recording nothing. */
const INVALID_CONTEXT: SpanContext = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 };
const nonRecordingSpan = (): Span => {
  const span: Span = {
    spanContext: () => INVALID_CONTEXT,
    setAttribute: () => span, setAttributes: () => span, addEvent: () => span, addLink: () => span, addLinks: () => span,
    setStatus: () => span, updateName: () => span, end: () => {}, isRecording: () => false, recordException: () => {},
  };
  return span;
};

const tracer = () => otel().trace.getTracer('montage');

/** The active trace context as a W3C carrier (`traceparent`, `tracestate`), or undefined if none. */
export const currentTraceCarrier = (): Record<string, string> | undefined => {
  if (!registered()) return undefined;
  const { context, propagation } = otel();
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
};

/**
 * Runs `fn` in a new span named `name`: a child of the active span, or of `parent` (a carrier
 * from a job message) when given. Errors mark the span and pass through.
 */
export async function inSpan<T>(
  name: string, fn: (span: Span) => Promise<T>,
  opts: { readonly parent?: Record<string, string>; readonly kind?: SpanKind; readonly attributes?: Attributes } = {},
): Promise<T> {
  if (!registered()) return fn(nonRecordingSpan());
  const { context, propagation, SpanStatusCode } = otel();
  const base = opts.parent ? propagation.extract(context.active(), opts.parent) : context.active();
  return tracer().startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes }, base, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error)?.message });
      throw e;
    } finally {
      span.end();
    }
  });
}

