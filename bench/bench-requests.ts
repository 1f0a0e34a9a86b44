/**
 * What the HTTP benchmarks (service-bench.ts, cluster-bench.ts) send and how they summarize it:
 * the request bodies, autocannon's result as a Throughput row, and percentiles.
 */
import type { AutocannonResult } from 'autocannon';

/** The cheapest real render: 0.5 s at 64×64. */
export const TINY = { output: { format: 'mp4', width: 64, height: 64, fps: 10, quality: 'draft' }, tracks: [{ clips: [{ asset: { type: 'color', color: '#336699' }, start: 0, length: 0.5 }] }] };

/** A title card: what a template-driven client sends to validate before rendering. */
export const TITLE_CARD = {
  output: { format: 'mp4', width: 1280, height: 720, fps: 30 },
  background: '#0b132b',
  tracks: [
    { clips: [{ asset: { type: 'text', text: 'Quarterly results', font: { size: 72, weight: 700, color: '#ffffff' } }, start: 0, length: 5, transition: { in: 'fade', out: 'fade' } }] },
    { clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 1280, height: 8, fill: '#ffd166' }, start: 0, length: 5, position: 'bottom' }] },
  ],
};

export interface Throughput {
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export const throughput = (r: AutocannonResult): Throughput => ({
  requestsPerSecond: round2(r.requests.total / r.duration), requests: r.requests.total,
  p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max, non2xx: r.non2xx, errors: r.errors + r.timeouts,
});

/** The p-th percentile (nearest rank) of `xs`. */
export const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
