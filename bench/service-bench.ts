/**
 * The service benchmark of issue 3: autocannon on loopback against one `bin/montage serve`
 * process (a child, logging as in production, to a file), measured from this process.
 *
 *  - GET /v1/renders/{id} and POST /v1/validate: as many requests as `connections` keep in
 *    flight for `seconds`, after a one-second warm-up: requests a second, p50 and p99 latency.
 *  - POST /v1/renders at 200 requests a second against a serve whose worker is off
 *    (MONTAGE_WORKER_CONCURRENCY=0), so each answer writes a render row and queues its job, twice:
 *    with autocannon's overallRate, which lets each of its connections send its share of a second
 *    back to back when the second starts (so 200 requests arrive as a burst, `connections` at a
 *    time, every second; its coordinated-omission correction assumes a 1 ms interval at any rate,
 *    so it is turned off), and open-loop from this process, one request every 5 ms on as many
 *    connections as needed, each latency counted from when the request was due to be sent.
 *  - From the 202 to the worker starting the render: a second serve with one render slot gets
 *    `renders` tiny renders one after another (each once the previous is final, so the worker
 *    is idle and waiting); per render, `startedAt − createdAt` (both stamped by the service: the
 *    row is written just before the 202) and `startedAt −` the moment this process read the 202.
 *
 * `npm run bench -- service` runs only this (`node --import tsx bench/service-bench.ts` prints
 * it without writing bench/results.json). Loopback on a shared 2-core machine: autocannon and
 * the service share the cores, so the figures are a floor for this hardware, not a capacity plan.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { pct, round2 as round, throughput, TINY, TITLE_CARD, type Throughput } from './bench-requests.ts';

export type { Throughput };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'montage');

export interface ServiceBenchOptions {
  /** Seconds of each autocannon scenario (default 5). */
  readonly seconds?: number;
  /** Connections for the throughput scenarios (default 10). */
  readonly connections?: number;
  /** Renders of the 202-to-start scenario (default 30). */
  readonly renders?: number;
}


export interface ServiceBenchResult {
  readonly measuredAt: string;
  /** The machine's 1-minute load average before and after: the cores are shared, and it shows. */
  readonly loadAverage: readonly [number, number];
  readonly seconds: number;
  readonly connections: number;
  readonly getRender: Throughput;
  readonly validate: Throughput;
  /** autocannon overallRate 200: bursts at the start of each second, `connections` wide. */
  readonly submitAt200PerSecond: Throughput & { readonly targetRate: number };
  /** Evenly spaced, open loop: latency from each request's due time. */
  readonly submitAt200PerSecondEven: { readonly requests: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly non202: number };
  readonly acceptedToStarted: {
    readonly renders: number;
    /** startedAt − createdAt, both from the render record. */
    readonly recordMs: { readonly p50: number; readonly p99: number; readonly max: number };
    /** startedAt − the time the client read the 202 (negative: the worker started first). */
    readonly after202Ms: { readonly p50: number; readonly p99: number; readonly max: number };
  };
}

interface Serve {
  readonly url: string;
  readonly key: string;
  stop(): Promise<void>;
}

const freePort = () => new Promise<number>((ok, fail) => {
  const s = createServer();
  s.on('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => ok(port)); });
});

async function startServe(env: Record<string, string>): Promise<Serve> {
  const dir = mkdtempSync(join(tmpdir(), 'montage-bench-'));
  const base = { ...process.env, MONTAGE_DATA_DIR: join(dir, 'data'), MONTAGE_HOST: '127.0.0.1', MONTAGE_RATE_LIMIT: '0', ...env };
  const created = JSON.parse((await promisify(execFile)(process.execPath, [BIN, 'keys', 'create', '--tenant', 'bench', '--json'], { env: base })).stdout) as { key: string };
  const port = await freePort();
  const log = openSync(join(dir, 'serve.log'), 'w');
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], { env: { ...base, MONTAGE_PORT: String(port) }, stdio: ['ignore', log, log] });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = `http://127.0.0.1:${port}`;
  for (const end = Date.now() + 30_000; ;) {
    if (child.exitCode !== null) throw new Error(`montage serve exited with ${child.exitCode}; see ${dir}/serve.log`);
    if ((await fetch(`${url}/readyz`).catch(() => null))?.status === 200) break;
    if (Date.now() > end) throw new Error('montage serve did not get ready within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, key: created.key,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const spread = (xs: number[]) => ({ p50: pct(xs, 50), p99: pct(xs, 99), max: Math.max(...xs) });

/**
 * POSTs `body` to `url` `rate` times a second for `seconds`, each at its due time whatever the
 * earlier ones are doing (open loop: a slow answer delays no later request, so it cannot hide
 * behind its own slowness), on fetch's pool, which opens connections as needed.
 */
async function evenlySpaced(url: string, headers: Record<string, string>, body: string, rate: number, seconds: number) {
  const n = rate * seconds;
  const start = performance.now() + 50;
  const latencies: number[] = [];
  let non202 = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((ok) => setTimeout(ok, wait));
    pending.push(fetch(url, { method: 'POST', headers, body }).then(async (res) => {
      await res.arrayBuffer();
      latencies.push(performance.now() - due);
      if (res.status !== 202) non202 += 1;
    }, () => { non202 += 1; }));
  }
  await Promise.all(pending);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { requests: n, p50Ms: r1(pct(latencies, 50)), p99Ms: r1(pct(latencies, 99)), maxMs: r1(Math.max(...latencies)), non202 };
}

export async function runServiceBench(o: ServiceBenchOptions = {}): Promise<ServiceBenchResult> {
  const seconds = o.seconds ?? 5;
  const connections = o.connections ?? 10;
  const renders = o.renders ?? 30;
  const say = (line: string) => console.log(`service: ${line}`);
  const loadBefore = loadavg()[0]!;

  const api = await startServe({ MONTAGE_WORKER_CONCURRENCY: '0' });
  let getRender: Throughput, validate: Throughput, submit: Throughput, even: ServiceBenchResult['submitAt200PerSecondEven'];
  try {
    const headers = { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' };
    const validBody = JSON.stringify({ composition: TITLE_CARD });
    const checked = await fetch(`${api.url}/v1/validate`, { method: 'POST', headers, body: validBody });
    if (checked.status !== 200) throw new Error(`the benchmark's composition does not validate: ${await checked.text()}`);
    const one = await fetch(`${api.url}/v1/renders`, { method: 'POST', headers, body: JSON.stringify({ composition: TINY }) });
    const { id } = await one.json() as { id: string };

    const run = async (name: string, opts: Parameters<typeof autocannon>[0]) => {
      await autocannon({ ...opts, duration: 1 }); // warm-up: JIT, connection pools, SQLite's cache
      const r = await autocannon(opts);
      const t = throughput(r);
      say(`${name}: ${t.requestsPerSecond} req/s, p50 ${t.p50Ms} ms, p99 ${t.p99Ms} ms, max ${t.maxMs} ms, ${t.requests} requests, non-2xx ${t.non2xx}, errors ${t.errors}`);
      return t;
    };
    getRender = await run(`GET /v1/renders/{id} (${connections} connections, ${seconds} s)`,
      { url: `${api.url}/v1/renders/${id}`, headers, connections, duration: seconds });
    validate = await run(`POST /v1/validate (${connections} connections, ${seconds} s)`,
      { url: `${api.url}/v1/validate`, method: 'POST', headers, body: validBody, connections, duration: seconds });
    submit = await run(`POST /v1/renders, autocannon overallRate 200 (${connections} connections, ${seconds} s, worker off)`,
      { url: `${api.url}/v1/renders`, method: 'POST', headers, body: JSON.stringify({ composition: TINY }), connections, overallRate: 200, duration: seconds, ignoreCoordinatedOmission: true });
    even = await evenlySpaced(`${api.url}/v1/renders`, headers, JSON.stringify({ composition: TINY }), 200, seconds);
    say(`POST /v1/renders, evenly spaced 200/s (${seconds} s, worker off): p50 ${even.p50Ms} ms, p99 ${even.p99Ms} ms, max ${even.maxMs} ms, ${even.requests} requests, non-202 ${even.non202}`);
  } finally {
    await api.stop();
  }

  const worker = await startServe({ MONTAGE_WORKER_CONCURRENCY: '1' });
  const record: number[] = [];
  const after202: number[] = [];
  try {
    const headers = { authorization: `Bearer ${worker.key}`, 'content-type': 'application/json' };
    for (let i = 0; i < renders + 1; i++) {
      const res = await fetch(`${worker.url}/v1/renders`, { method: 'POST', headers, body: JSON.stringify({ composition: TINY }) });
      const answeredAt = Date.now();
      if (res.status !== 202) throw new Error(`POST /v1/renders answered ${res.status}: ${await res.text()}`);
      const { id } = await res.json() as { id: string };
      let r: { status: string; createdAt: string; startedAt: string | null };
      for (;;) {
        r = await (await fetch(`${worker.url}/v1/renders/${id}`, { headers })).json() as typeof r;
        if (['succeeded', 'failed', 'canceled'].includes(r.status)) break;
        await new Promise((ok) => setTimeout(ok, 20));
      }
      if (r.status !== 'succeeded' || !r.startedAt) throw new Error(`render ${id} ended ${r.status}`);
      if (i === 0) continue; // the first render warms the engine up
      record.push(Date.parse(r.startedAt) - Date.parse(r.createdAt));
      after202.push(Date.parse(r.startedAt) - answeredAt);
    }
  } finally {
    await worker.stop();
  }
  const acceptedToStarted = { renders, recordMs: spread(record), after202Ms: spread(after202) };
  say(`202 → worker started, ${renders} renders on an idle worker: record p50 ${acceptedToStarted.recordMs.p50} ms, p99 ${acceptedToStarted.recordMs.p99} ms; `
    + `after the client read the 202: p50 ${acceptedToStarted.after202Ms.p50} ms, p99 ${acceptedToStarted.after202Ms.p99} ms`);

  return {
    measuredAt: new Date().toISOString(), loadAverage: [round(loadBefore), round(loadavg()[0]!)], seconds, connections,
    getRender: getRender!, validate: validate!, submitAt200PerSecond: { ...submit!, targetRate: 200 }, submitAt200PerSecondEven: even!, acceptedToStarted,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await runServiceBench(), null, 2));
}
