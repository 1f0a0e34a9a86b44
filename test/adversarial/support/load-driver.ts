/**
 * Test support: load on a Montage API with autocannon, on loopback, bounded in time or count.
 *
 * - `steadyLoad`: every connection loops submit (POST /v1/renders) → status of the render it just
 *   submitted (GET /v1/renders/{id}) → list (GET /v1/renders?limit=20), so a third of the requests
 *   are each kind, at `rate` requests a second overall for `seconds`.
 * - `burst`: `count` submissions, one per connection, all opened at once.
 *
 * Both return autocannon's figures (latencies in ms, corrected for coordinated omission at a fixed
 * rate) and the ids of every render the API accepted (202).
 */
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';

export interface HttpTarget {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly key: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Requests by HTTP status, e.g. `{ 200: 1200, 202: 600 }`. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Connection errors and timeouts (no HTTP status at all). */
  readonly errors: number;
  readonly timeouts: number;
  /** Ids of the renders answered 202, in order of the answers. */
  readonly accepted: readonly string[];
  /** What the submissions answered other than 202 (status and the start of the body), at most 20. */
  readonly refusals: readonly string[];
  readonly seconds: number;
}

const summarize = (r: AutocannonResult, accepted: string[], refusals: string[]): LoadResult => ({
  requests: r.requests.total,
  p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max,
  byStatus: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, Number(v.count)])),
  errors: r.errors, timeouts: r.timeouts, accepted, refusals, seconds: r.duration,
});

const submitRequest = (
  body: (n: number) => Record<string, unknown>, counter: { n: number }, accepted: string[], refusals: string[],
): AutocannonRequest => ({
  method: 'POST', path: '/v1/renders',
  setupRequest(req) {
    return { ...req, body: JSON.stringify(body(counter.n++)) };
  },
  onResponse(status, text, context) {
    if (status === 202) {
      const id = (JSON.parse(text) as { id: string }).id;
      accepted.push(id);
      context.id = id;
    } else {
      context.id = undefined;
      if (refusals.length < 20) refusals.push(`${status} ${text.slice(0, 200)}`);
    }
  },
});

export interface SteadyLoadOptions {
  /** Requests a second, all connections together. */
  readonly rate: number;
  readonly seconds: number;
  /** Concurrent connections (default 16). */
  readonly connections?: number;
  /** The body of the n-th submission (from 0). */
  readonly body: (n: number) => Record<string, unknown>;
}

export async function steadyLoad(t: HttpTarget, o: SteadyLoadOptions): Promise<LoadResult> {
  const accepted: string[] = [];
  const refusals: string[] = [];
  const counter = { n: 0 };
  const result = await autocannon({
    url: t.url, connections: o.connections ?? 16, duration: o.seconds, overallRate: o.rate, timeout: 20,
    headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
    requests: [
      submitRequest(o.body, counter, accepted, refusals),
      {
        method: 'GET',
        // The render this connection just submitted; the first one accepted if that submission was refused.
        setupRequest: (req, context) => ({ ...req, path: `/v1/renders/${String(context.id ?? accepted[0] ?? 'rnd_none')}`, body: undefined }),
      },
      { method: 'GET', path: '/v1/renders?limit=20', setupRequest: (req) => ({ ...req, body: undefined }) },
    ],
  });
  return summarize(result, accepted, refusals);
}

/** `count` submissions at once (one connection each), each with `body(n)`. */
export async function burst(t: HttpTarget, count: number, body: (n: number) => Record<string, unknown>): Promise<LoadResult> {
  const accepted: string[] = [];
  const refusals: string[] = [];
  const counter = { n: 0 };
  const result = await autocannon({
    url: t.url, connections: count, amount: count, timeout: 60,
    headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
    requests: [submitRequest(body, counter, accepted, refusals)],
  });
  return summarize(result, accepted, refusals);
}

/** One line for a test's output: `1800 requests, p50 3 ms, p99 41 ms, max 90 ms; 200×1200 202×600`. */
export const describeLoad = (r: LoadResult): string =>
  `${r.requests} requests in ${r.seconds.toFixed(1)} s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; ` +
  `${Object.entries(r.byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}; errors ${r.errors}, timeouts ${r.timeouts}`;
