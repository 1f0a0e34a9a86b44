/**
 * The scale-out benchmark of issue 4, on the cluster harness of the tests
 * (test/cluster/support/start-cluster.ts: real `montage api` and `montage worker` processes behind
 * nginx, on a PostgreSQL database, Redis prefix and s3rver bucket of the run's own):
 *
 *  - ref-b (60 s, 1080p) through the cluster with 1 worker and with 2, everything else equal:
 *    MONTAGE_CHUNK_SECONDS (default 10, so the render is split into 6 parts and the audio), each
 *    worker's ffmpeg on one thread (MONTAGE_FFMPEG_THREADS=1) and each worker pinned to a core of
 *    its own with `taskset -c` (its ffmpeg children inherit it), so the two cores stand for two
 *    machines. Wall time from POST /v1/renders to the render read as succeeded (assets uploaded
 *    before), the speed-up, which worker rendered which piece, and the outputs checked (frames,
 *    duration, SSIM of the 2-worker output against the 1-worker one).
 *  - Dispatch latency, 202 → a worker starting the render: `renders` tiny renders one after the
 *    other through the balancer to 2 idle workers; per render startedAt − createdAt (both stamped
 *    by the service) and startedAt − the moment this process read the 202.
 *  - Requests per second through nginx with 2 api instances and with 1 (no worker): autocannon on
 *    GET /v1/renders/{id} (a PostgreSQL read) and POST /v1/validate (CPU in the api).
 *
 * On a shared 2-core machine the figures are what this hardware gives, not a capacity plan:
 * autocannon, nginx, PostgreSQL and the apis share the same two cores. The load average before and
 * after each part is recorded with it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { pct, throughput, TINY, TITLE_CARD, type Throughput } from './bench-requests.ts';
import { startCluster, type Cluster } from '../test/cluster/support/start-cluster.ts';
import { waitForRender } from '../test/cluster/support/wait-for-render.ts';

export interface ClusterBenchOptions {
  /** ref-b.json, with its `assets/` folder beside it (bench/.work). */
  readonly refB: string;
  /** Rounds of the 1-worker / 2-worker and 1-api / 2-api comparisons (default 1; the order alternates). */
  readonly runs?: number;
  /** MONTAGE_CHUNK_SECONDS for the ref-b renders (default 10). */
  readonly chunkSeconds?: number;
  /** Renders of the dispatch-latency scenario (default 30). */
  readonly dispatchRenders?: number;
  /** Seconds of each autocannon scenario (default 5). */
  readonly seconds?: number;
  /** autocannon connections (default 20). */
  readonly connections?: number;
  readonly ffmpeg?: string;
  readonly ffprobe?: string;
}

export interface RefBThroughCluster {
  readonly workers: number;
  readonly wallSeconds: readonly number[];
  readonly medianSeconds: number;
  readonly realTimeFactor: number;
  /**
   * Per worker, the jobs its log says it finished in the last run, with their seconds
   * (`render 2.1 s`: planning; `piece N 6.0 s`; `join-render 1.9 s`).
   */
  readonly jobsByWorker: Readonly<Record<string, readonly string[]>>;
  /**
   * Per run, the CPU seconds each worker process and its ffmpeg children used during the render
   * (/proc): against the wall time, the share of its core a worker actually got.
   */
  readonly cpuSecondsByWorker: readonly Readonly<Record<string, number>>[];
  readonly frames: number;
  readonly durationSeconds: number;
}


export interface RequestsScenario {
  readonly oneApi: Throughput;
  readonly twoApis: Throughput;
  /** Requests per second, 2 apis ÷ 1. */
  readonly ratio: number;
  readonly eachRound: { readonly oneApi: readonly number[]; readonly twoApis: readonly number[] };
}

export interface ClusterBenchResult {
  readonly measuredAt: string;
  readonly cpus: number;
  readonly loadAverage: { readonly refB: readonly [number, number]; readonly dispatch: readonly [number, number]; readonly requests: readonly [number, number] };
  readonly refB: {
    readonly chunkSeconds: number;
    readonly ffmpegThreads: 1;
    readonly pinned: boolean;
    readonly oneWorker: RefBThroughCluster;
    readonly twoWorkers: RefBThroughCluster;
    /** Median wall, 1 worker ÷ 2 workers. */
    readonly speedup: number;
    /** Median of each round's ratio (the two runs of a round saw about the same load). */
    readonly pairedSpeedup: number;
    /**
     * The speed-up had each worker had its core to itself: per round, the 1-worker run's CPU
     * seconds over those of the busier worker of the 2-worker run (median of the rounds). Wall time
     * falls short of it by the share of its core each worker lost to the machine's other work.
     */
    readonly cpuBoundSpeedup: number;
    readonly goal: 1.7;
    readonly ssimTwoVsOne: number;
  };
  readonly dispatch: {
    readonly renders: number;
    readonly recordMs: { readonly p50: number; readonly p99: number; readonly max: number };
    readonly after202Ms: { readonly p50: number; readonly p99: number; readonly max: number };
  };
  readonly requests: {
    readonly seconds: number;
    readonly connections: number;
    readonly rounds: number;
    /** The median round of each; `eachRound` lists every round's requests per second. */
    readonly getRender: RequestsScenario;
    readonly validate: RequestsScenario;
  };
}

const run = promisify(execFile);
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load1 = () => r2(loadavg()[0]!);
const say = (line: string) => console.log(`cluster: ${line}`);

/** Uploads every local `src` of the composition through the balancer; returns it with `asset:` sources. */
async function withUploadedAssets(c: Cluster, compositionPath: string): Promise<Record<string, unknown>> {
  const comp = JSON.parse(readFileSync(compositionPath, 'utf8')) as Record<string, unknown>;
  const base = dirname(compositionPath);
  const uploaded = new Map<string, string>();
  const walk = async (v: unknown): Promise<unknown> => {
    if (Array.isArray(v)) return Promise.all(v.map(walk));
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'src' && typeof x === 'string' && !/^[a-z]+:/.test(x)) {
        if (!uploaded.has(x)) {
          const a = await c.client.uploadAsset(readFileSync(resolve(base, x)), { filename: basename(x) });
          uploaded.set(x, a.src);
        }
        out[k] = uploaded.get(x);
      } else out[k] = await walk(x);
    }
    return out;
  };
  return await walk(comp) as Record<string, unknown>;
}

async function probe(ffprobe: string, file: string) {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets:format=duration', '-of', 'json', file]);
  const j = JSON.parse(stdout) as { streams: { nb_read_packets: string }[]; format: { duration: string } };
  return { frames: Number(j.streams[0]!.nb_read_packets), duration: Number(j.format.duration) };
}

async function ssim(ffmpeg: string, a: string, b: string): Promise<number> {
  const { stderr } = await run(ffmpeg, ['-hide_banner', '-nostdin', '-i', a, '-i', b, '-lavfi', '[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim', '-f', 'null', '-'], { maxBuffer: 1 << 26 });
  return Number(/SSIM .*All:([\d.]+)/.exec(stderr)?.[1]);
}

/**
 * CPU seconds (user + system) a process and its reaped children (its ffmpeg runs) have used, from
 * /proc/PID/stat; 0 where there is no /proc.
 */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (1-based).
    const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0);
    return ticks / CLOCK_TICKS;
  } catch { return 0; }
}
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/** One ref-b render through a fresh cluster with `workers` workers; returns its wall time and where the output went. */
async function refBOnce(o: Required<Pick<ClusterBenchOptions, 'refB' | 'chunkSeconds'>>, workers: number, pin: boolean, out: string) {
  const cpus = availableParallelism();
  const c = await startCluster({
    apis: 1, workers,
    env: { MONTAGE_FFMPEG_THREADS: '1', MONTAGE_CHUNK_SECONDS: String(o.chunkSeconds), MONTAGE_JOB_LEASE: '30s', MONTAGE_RECONCILE_INTERVAL: '30s' },
    wrapFor: (role, i) => (pin && role === 'worker' ? ['taskset', '-c', String(i % cpus)] : undefined),
  });
  try {
    const composition = await withUploadedAssets(c, o.refB);
    const cpu0 = c.workers.map((w) => cpuSeconds(w.pid));
    const t0 = performance.now();
    const r = await c.client.createRender({ composition } as never);
    const done = await waitForRender(c.client, r.id, undefined, { timeoutMs: 30 * 60_000, intervalMs: 100 });
    const wall = (performance.now() - t0) / 1000;
    await new Promise((ok) => setTimeout(ok, 500)); // the join's "job finished" line follows the final status
    const cpu = Object.fromEntries(c.workers.map((w, i) => [w.name, r2(cpuSeconds(w.pid) - cpu0[i]!)]));
    if (done.status !== 'succeeded') throw new Error(`ref-b through the cluster ended ${done.status}: ${JSON.stringify(done.error)}`);
    writeFileSync(out, await c.client.downloadOutput(r.id));
    const jobsByWorker = Object.fromEntries(c.workers.map((w) => [w.name, w.records()
      .filter((l) => l.msg === 'job finished' && l.renderId === r.id && l.outcome === 'ack')
      .map((l) => `${l.kind === 'render-piece' ? `piece ${l.piece}` : String(l.kind)} ${(Number(l.ms) / 1000).toFixed(1)} s`)]));
    return { wall, jobsByWorker, cpu };
  } finally {
    await c.stop();
  }
}

async function throughputThrough(apis: number, seconds: number, connections: number) {
  const c = await startCluster({ apis, workers: 0 });
  try {
    const headers = { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' };
    const { id } = await c.client.createRender({ composition: TINY } as never);
    const measure = async (opts: Parameters<typeof autocannon>[0]): Promise<Throughput> => {
      await autocannon({ ...opts, duration: 1 }); // warm-up: JIT, pools, nginx's upstream connections
      return throughput(await autocannon(opts));
    };
    const getRender = await measure({ url: `${c.url}/v1/renders/${id}`, headers, connections, duration: seconds });
    const validate = await measure({ url: `${c.url}/v1/validate`, method: 'POST', headers, body: JSON.stringify({ composition: TITLE_CARD }), connections, duration: seconds });
    const served = await Promise.all(c.apis.map(async (a) => (await a.get('/metrics')).text.split('\n')
      .filter((l) => l.startsWith('montage_http_request_duration_seconds_count{') && !l.includes('route="/metrics"'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0)));
    say(`${apis} api(s): GET /v1/renders/{id} ${getRender.requestsPerSecond} req/s (p99 ${getRender.p99Ms} ms), POST /v1/validate ${validate.requestsPerSecond} req/s (p99 ${validate.p99Ms} ms); requests per api ${served.join(' / ')}`);
    return { getRender, validate };
  } finally {
    await c.stop();
  }
}

type RefBResult = ClusterBenchResult['refB'];
type DispatchResult = ClusterBenchResult['dispatch'];
type RequestsResult = ClusterBenchResult['requests'];

/** ref-b through a fresh cluster, 1 worker against 2, `runs` alternating rounds. */
export async function benchRefBScaleOut(o: ClusterBenchOptions, tmp: string): Promise<RefBResult> {
  const runs = o.runs ?? 1;
  const chunkSeconds = o.chunkSeconds ?? 10;
  const pin = (await run('taskset', ['-c', '0', 'true']).then(() => true, () => false)) && availableParallelism() >= 2;
  if (!pin) say('taskset is missing or there is one core: workers are not pinned');
  const walls: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const jobs: Record<1 | 2, Record<string, readonly string[]>> = { 1: {}, 2: {} };
  const cpu: Record<1 | 2, Record<string, number>[]> = { 1: [], 2: [] };
  for (let i = 0; i < runs; i++) {
    for (const w of (i % 2 === 0 ? [1, 2] : [2, 1]) as (1 | 2)[]) {
      const r = await refBOnce({ refB: o.refB, chunkSeconds }, w, pin, join(tmp, `ref-b.${w}.mp4`));
      walls[w].push(r3(r.wall));
      jobs[w] = r.jobsByWorker;
      cpu[w].push(r.cpu);
      say(`ref-b, ${w} worker(s), run ${i + 1}/${runs}: ${r.wall.toFixed(1)} s (load ${load1()}); CPU ${Object.entries(r.cpu).map(([k, v]) => `${k} ${v} s (${Math.round((100 * v) / r.wall)} % of its core)`).join(', ')}; ${Object.entries(r.jobsByWorker).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}`);
    }
  }
  const [p1, p2] = await Promise.all([probe(o.ffprobe ?? 'ffprobe', join(tmp, 'ref-b.1.mp4')), probe(o.ffprobe ?? 'ffprobe', join(tmp, 'ref-b.2.mp4'))]);
  const summary = (w: 1 | 2, p: { frames: number; duration: number }): RefBThroughCluster => ({
    workers: w, wallSeconds: walls[w], medianSeconds: r3(median(walls[w])), realTimeFactor: r3(p.duration / median(walls[w])),
    jobsByWorker: jobs[w], cpuSecondsByWorker: cpu[w], frames: p.frames, durationSeconds: r3(p.duration),
  });
  const oneWorker = summary(1, p1);
  const twoWorkers = summary(2, p2);
  const ssimTwoVsOne = r3(await ssim(o.ffmpeg ?? 'ffmpeg', join(tmp, 'ref-b.2.mp4'), join(tmp, 'ref-b.1.mp4')));
  const speedup = r3(oneWorker.medianSeconds / twoWorkers.medianSeconds);
  const pairedSpeedup = r3(median(walls[1].map((x, i) => x / walls[2][i]!)));
  // Had each worker its core to itself: the 1-worker run's CPU over the busier worker's CPU in the 2-worker run.
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const cpuBoundSpeedup = r3(median(cpu[1].map((one, i) => sum(one) / Math.max(...Object.values(cpu[2][i]!)))));
  say(`ref-b speed-up, 2 workers over 1: ${speedup}× (medians; ${pairedSpeedup}× median of per-round ratios; goal 1.7×; ${cpuBoundSpeedup}× in CPU time); SSIM 2 vs 1 worker ${ssimTwoVsOne}, frames ${p2.frames}/${p1.frames}`);
  return { chunkSeconds, ffmpegThreads: 1, pinned: pin, oneWorker, twoWorkers, speedup, pairedSpeedup, cpuBoundSpeedup, goal: 1.7, ssimTwoVsOne };
}

/** 202 → a worker starts the render, on 2 idle workers behind the balancer. */
export async function benchDispatch(o: ClusterBenchOptions): Promise<DispatchResult> {
  const renders = o.dispatchRenders ?? 30;
  const record: number[] = [];
  const after202: number[] = [];
  const c = await startCluster({ apis: 1, workers: 2 });
  try {
    for (let i = 0; i < renders + 1; i++) {
      const res = await c.client.request('POST', '/v1/renders', { body: { composition: TINY } });
      const answeredAt = Date.now();
      if (res.status !== 202) throw new Error(`POST /v1/renders answered ${res.status}: ${await res.text()}`);
      const { id } = await res.json() as { id: string };
      const r = await waitForRender(c.client, id, undefined, { intervalMs: 20, timeoutMs: 60_000 });
      if (r.status !== 'succeeded' || !r.startedAt) throw new Error(`render ${id} ended ${r.status}`);
      if (i === 0) continue; // warms the engine up
      record.push(Date.parse(r.startedAt) - Date.parse(r.createdAt));
      after202.push(Date.parse(r.startedAt) - answeredAt);
    }
  } finally {
    await c.stop();
  }
  const spread = (xs: number[]) => ({ p50: pct(xs, 50), p99: pct(xs, 99), max: Math.max(...xs) });
  const dispatch = { renders, recordMs: spread(record), after202Ms: spread(after202) };
  say(`202 → worker started (${renders} renders, 2 idle workers): record p50 ${dispatch.recordMs.p50} ms, p99 ${dispatch.recordMs.p99} ms; after the 202 p50 ${dispatch.after202Ms.p50} ms, p99 ${dispatch.after202Ms.p99} ms`);
  return dispatch;
}

/** Requests per second through nginx, 1 api against 2, `runs` alternating rounds (medians). */
export async function benchRequests(o: ClusterBenchOptions): Promise<RequestsResult> {
  const seconds = o.seconds ?? 5;
  const connections = o.connections ?? 20;
  const rounds = o.runs ?? 1;
  const got: Record<1 | 2, Awaited<ReturnType<typeof throughputThrough>>[]> = { 1: [], 2: [] };
  for (let i = 0; i < rounds; i++) {
    for (const apis of (i % 2 === 0 ? [1, 2] : [2, 1]) as (1 | 2)[]) got[apis].push(await throughputThrough(apis, seconds, connections));
  }
  const pick = (apis: 1 | 2, k: 'getRender' | 'validate'): Throughput => {
    const xs = got[apis].map((g) => g[k]).sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    return xs[Math.floor((xs.length - 1) / 2)]!; // the median round
  };
  const scenario = (k: 'getRender' | 'validate') => {
    const oneApi = pick(1, k);
    const twoApis = pick(2, k);
    return { oneApi, twoApis, ratio: r2(twoApis.requestsPerSecond / oneApi.requestsPerSecond), eachRound: { oneApi: got[1].map((g) => g[k].requestsPerSecond), twoApis: got[2].map((g) => g[k].requestsPerSecond) } };
  };
  return { seconds, connections, rounds, getRender: scenario('getRender'), validate: scenario('validate') };
}

export async function runClusterBench(o: ClusterBenchOptions): Promise<ClusterBenchResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'montage-cluster-bench-'));
  try {
    const l0 = load1();
    const refB = await benchRefBScaleOut(o, tmp);
    const l1 = load1();
    const dispatch = await benchDispatch(o);
    const l2 = load1();
    const requests = await benchRequests(o);
    return {
      measuredAt: new Date().toISOString(), cpus: availableParallelism(),
      loadAverage: { refB: [l0, l1], dispatch: [l1, l2], requests: [l2, load1()] },
      refB, dispatch, requests,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
