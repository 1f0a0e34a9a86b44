/**
 * The service's Prometheus metrics, in a registry of their own (no module-level state: each
 * composition root makes one, tests make as many as they like). Served as text at GET /metrics.
 *
 * Units follow Prometheus conventions: durations in seconds, sizes in bytes, counters end in _total.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsSources {
  /** Jobs waiting and leased in the queue, read at scrape time. */
  readonly queueDepth?: () => Promise<{ readonly waiting: number; readonly active: number; readonly dead: number }>;
  /** Seconds the oldest leasable job has waited (JobQueue.oldestWaitingAgeSeconds), read at scrape time. */
  readonly queueOldestWaitingSeconds?: () => Promise<number>;
  /** Renders this process is running now, read at scrape time. */
  readonly activeRenders?: () => number;
}

export interface Metrics {
  readonly registry: Registry;
  /** By method, route pattern (never the raw URL: ids would explode the cardinality) and status. */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Renders that reached a final status, by that status. */
  readonly rendersFinished: Counter<'status'>;
  /** Seconds from a render's start (preparing) to its final status, by that status. */
  readonly renderDuration: Histogram<'status'>;
  /** Webhook delivery attempts by outcome: delivered, retried, failed, stopped. */
  readonly webhookDeliveries: Counter<'outcome'>;
  /** Bytes downloaded from remote asset URLs. */
  readonly bytesFetched: Counter;
  /** Video pieces of cached renders (issue 17) rendered, and reused from the piece cache. */
  readonly piecesRendered: Counter;
  readonly piecesReused: Counter;
  /** Bytes of pieces served from the piece cache instead of rendered. */
  readonly pieceBytesReused: Counter;
  /** Prometheus text exposition of every metric. */
  text(): Promise<string>;
  readonly contentType: string;
}

export function createMetrics(sources: MetricsSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'montage_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rendersFinished = new Counter({
    name: 'montage_renders_total',
    help: 'Renders that reached a final status, by status (succeeded, failed, canceled).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const renderDuration = new Histogram({
    name: 'montage_render_duration_seconds',
    help: 'Seconds from a render starting (preparing) to its final status.',
    labelNames: ['status'] as const,
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: 'montage_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, retried, failed, stopped).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const bytesFetched = new Counter({
    name: 'montage_fetched_bytes_total',
    help: 'Bytes downloaded from remote asset URLs.',
    registers: [registry],
  });
  const piecesRendered = new Counter({ name: 'montage_pieces_rendered_total', help: 'Video pieces rendered (not found in the piece cache).', registers: [registry] });
  const piecesReused = new Counter({ name: 'montage_pieces_reused_total', help: 'Video pieces reused from the piece cache.', registers: [registry] });
  const pieceBytesReused = new Counter({ name: 'montage_piece_cache_served_bytes_total', help: 'Bytes of pieces served from the piece cache.', registers: [registry] });
  const { queueDepth, queueOldestWaitingSeconds, activeRenders } = sources;
  new Gauge({
    name: 'montage_queue_depth',
    help: 'Render jobs in the queue, by state (waiting, active, dead).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (!queueDepth) return;
      const d = await queueDepth();
      this.set({ state: 'waiting' }, d.waiting);
      this.set({ state: 'active' }, d.active);
      this.set({ state: 'dead' }, d.dead);
    },
  });
  new Gauge({
    name: 'montage_queue_oldest_waiting_seconds',
    help: 'Seconds the oldest job ready to run has waited for a worker (0 when none waits).',
    registers: [registry],
    async collect() {
      if (queueOldestWaitingSeconds) this.set(await queueOldestWaitingSeconds());
    },
  });
  new Gauge({
    name: 'montage_active_renders',
    help: 'Renders running in this process now.',
    registers: [registry],
    collect() {
      if (activeRenders) this.set(activeRenders());
    },
  });

  return {
    registry, httpDuration, rendersFinished, renderDuration, webhookDeliveries, bytesFetched, piecesRendered, piecesReused, pieceBytesReused,
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
