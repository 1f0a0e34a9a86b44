/**
 * Carrying a trace across the queue: the enqueuing side writes the active W3C trace context into
 * the job message (`trace`), the worker continues it. With no tracer provider registered these are
 * cheap no-ops (inject writes nothing; spans are non-recording).
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';

const tracer = () => trace.getTracer('montage');

/** The active trace context as a W3C carrier (`traceparent`, `tracestate`), or undefined if none. */
export const currentTraceCarrier = (): Record<string, string> | undefined => {
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

export { SpanKind };
