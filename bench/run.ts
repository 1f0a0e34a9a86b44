/**
 * `npm run bench [-- --runs N] [--a-chunks N] [--runs-b N] [--runs-c N] [--only a|b|c|service|cluster|startup] [--chunks N] [--service-seconds N] [--service-renders N]
 *   [--cluster-runs N] [--cluster-chunk-seconds S] [--startup-runs N] [--startup-baseline DIR] [--from dist|checkout]`
 * Renders run the compiled dist/ (built first), as an installed montage does; `--from checkout`
 * runs the TypeScript through tsx instead.
 * `npm run bench -- service` (the same as `--only service`), `npm run bench -- cluster`
 *
 * The reference benchmarks of ../shared/bench, measured on this machine and written to
 * bench/results.json (and printed as a table):
 *  - ref-a: `bin/montage render ref-a.json` against the hand-written baseline-ref-a.sh at the same
 *    encoder settings (medium = x264 veryfast, CRF 23), run alternately N times (default 3, the
 *    order flipped every round so neither always runs on a warm cache); medians, the ratio
 *    ours ÷ baseline, and the SSIM of our output against the baseline's. Montage runs with the
 *    CLI's own choice of parts (auto-chunks.ts) unless `--a-chunks N` gives `--chunks N`.
 *  - ref-b: wall time, real-time factor (duration ÷ wall) and peak memory of the Node process and
 *    of the ffmpeg children, unchunked and with `--chunks N` (default 2), and the SSIM of the
 *    chunked output against the unchunked one.
 *  - ref-c: `bin/montage render ref-c.json` (720×1280, 15 s, the 1.1 fields) against its encode-only
 *    floor (the same encoder settings on a still frame of the same size, rate and length), alternately
 *    N times (default 2); what this build cannot render yet is removed first and listed (ref-c-bench.ts).
 *  - service: the HTTP service under autocannon on loopback (bench/service-bench.ts): throughput
 *    and latency of GET /v1/renders/{id} and POST /v1/validate, POST /v1/renders at 200/s, and the
 *    time from the 202 to the worker starting the render. Needs no shared/bench.
 *  - cluster: the scale-out roles behind nginx (bench/cluster-bench.ts): ref-b with 1 worker
 *    against 2 (ffmpeg on one thread, each worker pinned to its own core), 202 → worker started,
 *    and requests per second through nginx with 1 api against 2.
 *  - pieces: the piece cache (issue 17) on ref-b, `montage render` as for ref-a, alternately N times
 *    (`--runs-pieces`, default 1): a plain render against a cold one with `--cache` and an empty
 *    cache; then ref-b with its last clip's filter changed, re-rendered over that cache, against the
 *    cold one; then the template batch of
 *    bench/piece-cache-bench.ts (`--template-renders`, `--template-seconds`, `--template-size`).
 *  - template: the template batch alone (bench/piece-cache-bench.ts): 20 renders of a 60 s
 *    1080p composition whose title changes in seconds 2–8, cache off against on, each output's SSIM
 *    against its cold twin and the cache-off render, frame counts. `--template-renders N` (and
 *    `--template-seconds`, `--template-size`) for a quicker, smaller batch.
 *  - startup: the compiled CLI's start-up (bench/startup-bench.ts): `--version`, `validate` and
 *    `render` up to ffmpeg's start, as ratios to `node -e 0`. Needs no shared/bench.
 * Wall times on a shared 2-core machine are noisy: the figures are ratios and medians, never a
 * pass/fail test. Peak memory is VmHWM from /proc, polled every 50 ms for the whole process tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runServiceBench } from './service-bench.ts';
import { runClusterBench } from './cluster-bench.ts';
import { boundArgs, floorArgs, prepareRefC, rawFramesArgs } from './ref-c-bench.ts';
import { runStartupBench } from './startup-bench.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED_BENCH = resolve(process.env.MONTAGE_SHARED_BENCH ?? join(ROOT, '..', 'shared', 'bench'));
const WORK = join(ROOT, 'bench', '.work');
const ASSETS = join(WORK, 'assets');
const ASSET_FILES = ['img1.jpg', 'img2.jpg', 'img3.jpg', 'bg.wav', 'bg.mp3', 'clip1.mp4', 'voice.wav'];
const FFMPEG = process.env.MONTAGE_FFMPEG ?? 'ffmpeg';
const FFPROBE = process.env.MONTAGE_FFPROBE ?? 'ffprobe';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    'runs-c': { type: 'string', default: '2' },
    'runs-b': { type: 'string', default: '1' },
    only: { type: 'string' },
    chunks: { type: 'string', default: '2' },
    'a-chunks': { type: 'string' },
    'service-seconds': { type: 'string', default: '5' },
    'service-renders': { type: 'string', default: '30' },
    'cluster-runs': { type: 'string', default: '1' },
    'cluster-chunk-seconds': { type: 'string', default: '10' },
    'startup-runs': { type: 'string', default: '7' },
    'startup-baseline': { type: 'string' },
    'runs-pieces': { type: 'string', default: '1' },
    'template-renders': { type: 'string' },
    'template-seconds': { type: 'string' },
    'template-size': { type: 'string' },
    from: { type: 'string', default: 'dist' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log('Usage: npm run bench [-- --runs N (ref-a rounds, default 3)] [--a-chunks N (ref-a\'s --chunks; default: the CLI\'s choice)] [--runs-b N (default 1)] [--only a|b|service] [--chunks N (default 2)]'
    + ' [--service-seconds N (each autocannon scenario, default 5)] [--service-renders N (default 30)]'
    + ' [--cluster-runs N (1- vs 2-worker and 1- vs 2-api rounds, default 1)] [--cluster-chunk-seconds S (default 10)]');
  console.log('       npm run bench -- service   (only the HTTP service benchmark)');
  console.log('       npm run bench -- template [--template-renders N (default 20)] [--template-seconds S (60)] [--template-size WxH (1920x1080)]   (the piece cache\'s template batch)');
  console.log('       npm run bench -- cluster   (only the scale-out benchmark: api and worker processes behind nginx)');
  console.log('       npm run bench -- startup [--startup-runs N] [--startup-baseline DIR]   (only the CLI\'s start-up, as a ratio to node -e 0;'
    + ' DIR: another checkout, e.g. an older commit, measured in the same rounds)');
  process.exit(0);
}
const ONLY = flags.only ?? positionals[0];
if (ONLY !== undefined && !['a', 'b', 'c', 'service', 'cluster', 'startup', 'pieces', 'template'].includes(ONLY)) { console.error(`Unknown benchmark "${ONLY}": a, b, c, service, cluster, startup, pieces or template`); process.exit(2); }
if (positionals.length > 1 || (positionals.length === 1 && flags.only !== undefined)) { console.error('Give one benchmark, as --only NAME or NAME'); process.exit(2); }
const RUNS = positiveInt(flags.runs, '--runs');
const RUNS_B = positiveInt(flags['runs-b'], '--runs-b');
const RUNS_C = positiveInt(flags['runs-c'], '--runs-c');
const CHUNKS = positiveInt(flags.chunks, '--chunks');
/** ref-a's `--chunks` (default: none, the CLI's own choice; `--a-chunks 1` is one process, as before auto-chunks). */
const A_CHUNKS = flags['a-chunks'] === undefined ? undefined : positiveInt(flags['a-chunks'], '--a-chunks');
const SERVICE_SECONDS = positiveInt(flags['service-seconds'], '--service-seconds');
const SERVICE_RENDERS = positiveInt(flags['service-renders'], '--service-renders');
const CLUSTER_RUNS = positiveInt(flags['cluster-runs'], '--cluster-runs');
const CLUSTER_CHUNK_SECONDS = positiveInt(flags['cluster-chunk-seconds'], '--cluster-chunk-seconds');
const STARTUP_RUNS = positiveInt(flags['startup-runs'], '--startup-runs');
const RUNS_PIECES = positiveInt(flags['runs-pieces'], '--runs-pieces');

function positiveInt(v: string | undefined, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) { console.error(`${name} must be a whole number ≥ 1`); process.exit(2); }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Running a command and measuring its process tree

interface Peak { name: string; hwmKiB: number }
interface Measured {
  wallSeconds: number;
  /**
   * User + system CPU seconds of the whole process tree (GNU time counts every reaped
   * descendant), or NaN without /usr/bin/time. Steadier than wall time on a busy shared machine.
   */
  cpuSeconds: number;
  /** Peak RSS of the node process (montage's CLI), MiB; 0 when there is none. */
  nodePeakMiB: number;
  /** Largest peak RSS of any single ffmpeg process in the tree, MiB. */
  ffmpegPeakMiB: number;
  /** Largest sum of the RSS of all processes of the tree at one sample, MiB. */
  treePeakMiB: number;
}

const readStatus = (pid: number): { name: string; rss: number; hwm: number } | undefined => {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
    return { name: /^Name:\s+(.*)$/m.exec(s)?.[1] ?? '?', rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return undefined;
  }
};

const childrenOf = (pid: number): number[] => {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) => {
      try {
        return readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
};

const tree = (root: number): number[] => {
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...childrenOf(p));
  }
  return out;
};

/** Runs a command to completion; throws with its stderr when it fails. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const measure = (cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<Measured> =>
  new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const timeFile = join(WORK, `time-${process.pid}.txt`);
    const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
    const child = spawn(c, a, { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
    const peaks = new Map<number, Peak>();
    let treePeak = 0;
    const sample = () => {
      if (child.pid === undefined) return;
      let sum = 0;
      for (const pid of tree(child.pid)) {
        const st = readStatus(pid);
        if (!st || st.name === 'time') continue;
        sum += st.rss;
        const prev = peaks.get(pid);
        if (!prev || st.hwm > prev.hwmKiB) peaks.set(pid, { name: st.name, hwmKiB: st.hwm });
      }
      treePeak = Math.max(treePeak, sum);
    };
    const timer = setInterval(sample, 50);
    child.on('error', (e) => { clearInterval(timer); reject(e); });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) { reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}):\n${stderr}`)); return; }
      const mib = (k: number) => Math.round((k / 1024) * 10) / 10;
      const peakOf = (name: string) => Math.max(0, ...[...peaks.values()].filter((p) => p.name === name).map((p) => p.hwmKiB));
      let cpuSeconds = Number.NaN;
      if (GNU_TIME) {
        const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        cpuSeconds = u + s;
      }
      resolvePromise({ wallSeconds, cpuSeconds, nodePeakMiB: mib(peakOf('node')), ffmpegPeakMiB: mib(peakOf('ffmpeg')), treePeakMiB: mib(treePeak) });
    });
  });

// ---------------------------------------------------------------------------------------------
// ffmpeg helpers

const run = (cmd: string, args: string[], cwd = ROOT) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
};

const probe = (file: string) => {
  const r = run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries',
    'stream=width,height,nb_read_packets:format=duration', '-of', 'json', file]);
  const j = JSON.parse(r.stdout);
  return { width: j.streams[0].width as number, height: j.streams[0].height as number, frames: Number(j.streams[0].nb_read_packets), duration: Number(j.format.duration) };
};

/** SSIM of `a` against the reference `b`, scaling `a` to `b`'s size when they differ. */
const ssim = (a: string, b: string): { all: number; y: number } => {
  const pa = probe(a);
  const pb = probe(b);
  const scale = pa.width !== pb.width || pa.height !== pb.height ? `scale=${pb.width}:${pb.height}:flags=bicubic,` : '';
  const r = run(FFMPEG, ['-hide_banner', '-nostdin', '-i', a, '-i', b, '-lavfi', `[0:v]${scale}setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim`, '-f', 'null', '-']);
  const m = /SSIM Y:([\d.]+).*All:([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`no SSIM in ffmpeg's output:\n${r.stderr.slice(-2000)}`);
  return { y: Number(m[1]), all: Number(m[2]) };
};

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// Set-up: assets and compositions in bench/.work

const setUp = () => {
  if (!existsSync(join(SHARED_BENCH, 'gen-assets.sh'))) {
    console.error(`No ${SHARED_BENCH}/gen-assets.sh: put shared/ beside the repository or set MONTAGE_SHARED_BENCH.`);
    process.exit(2);
  }
  mkdirSync(WORK, { recursive: true });
  if (!ASSET_FILES.every((f) => existsSync(join(ASSETS, f)))) {
    console.log(`Generating the reference assets into ${ASSETS} (about 20 s) …`);
    run('bash', [join(SHARED_BENCH, 'gen-assets.sh'), ASSETS]);
  }
  // ref-c's extra media (green screen, mask, svg logo, words) come from the same script.
  if (!['greenscreen.mp4', 'mask-circle.png'].every((f) => existsSync(join(ASSETS, f)))) run('bash', [join(SHARED_BENCH, 'gen-assets.sh'), ASSETS]);
  for (const f of ['ref-a.json', 'ref-b.json']) copyFileSync(join(SHARED_BENCH, f), join(WORK, f));
  // What an installed montage runs: the compiled dist/ on plain Node (`--from checkout`: the
  // TypeScript through tsx, which adds ~0.5–1 s of compiling to every render).
  if (flags.from === 'dist') {
    console.log('Building dist/ (npm run build) for the renders …');
    run('npm', ['run', '--silent', 'build']);
    process.env.MONTAGE_FROM = 'dist';
  } else {
    delete process.env.MONTAGE_FROM;
  }
};

const montage = (comp: string, out: string, extra: string[] = []) =>
  measure(process.execPath, [join(ROOT, 'bin', 'montage'), 'render', join(WORK, comp), '-o', join(WORK, out), ...extra]);

// ---------------------------------------------------------------------------------------------

const benchA = async () => {
  const ours: Measured[] = [];
  const base: Measured[] = [];
  const baseline = () => measure('bash', [join(SHARED_BENCH, 'baseline-ref-a.sh'), ASSETS, join(WORK, 'ref-a.baseline.mp4'), 'veryfast', '23']);
  const mine = () => montage('ref-a.json', 'ref-a.montage.mp4', A_CHUNKS === undefined ? [] : ['--chunks', String(A_CHUNKS)]);
  for (let i = 0; i < RUNS; i++) {
    // Flip the order each round so that neither side always follows the other.
    if (i % 2 === 0) { base.push(await baseline()); ours.push(await mine()); }
    else { ours.push(await mine()); base.push(await baseline()); }
    console.log(`ref-a round ${i + 1}/${RUNS}: baseline ${base[i].wallSeconds.toFixed(2)} s, montage ${ours[i].wallSeconds.toFixed(2)} s`);
  }
  const s = ssim(join(WORK, 'ref-a.montage.mp4'), join(WORK, 'ref-a.baseline.mp4'));
  const mb = median(base.map((m) => m.wallSeconds));
  const mo = median(ours.map((m) => m.wallSeconds));
  const cb = median(base.map((m) => m.cpuSeconds));
  const co = median(ours.map((m) => m.cpuSeconds));
  return {
    encoder: 'libx264 veryfast CRF 23 (quality medium), yuv420p, AAC 128k',
    runs: RUNS,
    baseline: {
      wallSeconds: base.map((m) => r3(m.wallSeconds)), medianSeconds: r3(mb),
      cpuSeconds: base.map((m) => r3(m.cpuSeconds)), medianCpuSeconds: r3(cb),
      peakFfmpegMiB: Math.max(...base.map((m) => m.ffmpegPeakMiB)),
    },
    montage: {
      wallSeconds: ours.map((m) => r3(m.wallSeconds)), medianSeconds: r3(mo),
      cpuSeconds: ours.map((m) => r3(m.cpuSeconds)), medianCpuSeconds: r3(co),
      peakNodeMiB: Math.max(...ours.map((m) => m.nodePeakMiB)), peakFfmpegMiB: Math.max(...ours.map((m) => m.ffmpegPeakMiB)),
      peakTreeMiB: Math.max(...ours.map((m) => m.treePeakMiB)), chunks: A_CHUNKS ?? 'auto',
    },
    ratio: r3(mo / mb),
    /** Median of the per-round ratios: each round's two runs saw about the same load. */
    pairedRatio: r3(median(ours.map((m, i) => m.wallSeconds / base[i].wallSeconds))),
    cpuRatio: r3(co / cb),
    ssimVsBaseline: { all: r3(s.all), y: r3(s.y) },
    targets: { ratioAtMost: 1.0, ssimAtLeast: 0.9 },
  };
};

const benchB = async () => {
  const variants: { label: string; chunks: number; out: string }[] = [
    { label: '1 process', chunks: 1, out: 'ref-b.single.mp4' },
    { label: `--chunks ${CHUNKS}`, chunks: CHUNKS, out: `ref-b.chunks${CHUNKS}.mp4` },
  ];
  const results: Record<string, Measured[]> = {};
  for (let i = 0; i < RUNS_B; i++) {
    for (const v of i % 2 === 0 ? variants : [...variants].reverse()) {
      // Always said: without --chunks the CLI picks the parts itself (src/render/auto-chunks.ts).
      const m = await montage('ref-b.json', v.out, ['--chunks', String(v.chunks)]);
      (results[v.label] ??= []).push(m);
      console.log(`ref-b ${v.label} run ${i + 1}/${RUNS_B}: ${m.wallSeconds.toFixed(1)} s`);
    }
  }
  const single = probe(join(WORK, variants[0].out));
  const chunked = probe(join(WORK, variants[1].out));
  const s = ssim(join(WORK, variants[1].out), join(WORK, variants[0].out));
  const summary = (label: string) => {
    const ms = results[label];
    const wall = median(ms.map((m) => m.wallSeconds));
    return {
      wallSeconds: ms.map((m) => r3(m.wallSeconds)), medianSeconds: r3(wall), realTimeFactor: r3(single.duration / wall),
      cpuSeconds: r3(median(ms.map((m) => m.cpuSeconds))),
      peakNodeMiB: Math.max(...ms.map((m) => m.nodePeakMiB)), peakFfmpegMiB: Math.max(...ms.map((m) => m.ffmpegPeakMiB)),
      peakTreeMiB: Math.max(...ms.map((m) => m.treePeakMiB)),
    };
  };
  const one = summary(variants[0].label);
  const many = summary(variants[1].label);
  return {
    duration: r3(single.duration), runs: RUNS_B, chunks: CHUNKS,
    single: one, chunked: many,
    speedup: r3(one.medianSeconds / many.medianSeconds),
    chunkedVsSingle: { ssimAll: r3(s.all), ssimY: r3(s.y), framesSingle: single.frames, framesChunked: chunked.frames, durationSingle: r3(single.duration), durationChunked: r3(chunked.duration) },
  };
};

/**
 * ref-c against its encode-only floor (bench/ref-c-bench.ts), alternating, RUNS_C rounds; and against
 * the bound no renderer can beat with these encoder settings: ref-c's own finished frames (Montage's
 * output of the first round, decoded to raw) encoded, and its source video decoded, in one ffmpeg.
 */
const benchC = async () => {
  const { removed } = prepareRefC(SHARED_BENCH, WORK);
  const ours: Measured[] = [];
  const floor: Measured[] = [];
  const bound: Measured[] = [];
  const frames = join(WORK, 'ref-c.frames.yuv');
  const audio = join(WORK, 'ref-c.frames.wav');
  const mine = async () => {
    const m = await montage('ref-c.json', 'ref-c.montage.mp4');
    if (!existsSync(frames)) run(FFMPEG, rawFramesArgs(join(WORK, 'ref-c.montage.mp4'), frames, audio));
    return m;
  };
  const still = () => measure(FFMPEG, floorArgs(ASSETS, join(WORK, 'ref-c.floor.mp4')));
  const least = () => measure(FFMPEG, boundArgs(WORK, frames, audio, join(WORK, 'ref-c.bound.mp4')));
  rmSync(frames, { force: true });
  for (let i = 0; i < RUNS_C; i++) {
    if (i % 2 === 0) { floor.push(await still()); ours.push(await mine()); bound.push(await least()); }
    else { bound.push(await least()); ours.push(await mine()); floor.push(await still()); }
    console.log(`ref-c round ${i + 1}/${RUNS_C}: floor ${floor[i].wallSeconds.toFixed(2)} s, bound ${bound[i].wallSeconds.toFixed(2)} s, montage ${ours[i].wallSeconds.toFixed(2)} s`);
  }
  rmSync(frames, { force: true });
  rmSync(audio, { force: true });
  const mf = median(floor.map((m) => m.wallSeconds));
  const mo = median(ours.map((m) => m.wallSeconds));
  const mb = median(bound.map((m) => m.wallSeconds));
  return {
    encoder: 'libx264 veryfast CRF 23, GOP 60, AAC 128k; floor = the same on a still frame, 720×1280, 30 fps, 15 s',
    runs: RUNS_C, removed,
    floor: { wallSeconds: floor.map((m) => r3(m.wallSeconds)), medianSeconds: r3(mf), medianCpuSeconds: r3(median(floor.map((m) => m.cpuSeconds))) },
    bound: {
      what: "ref-c's finished frames (raw, from the page cache) and audio encoded as above, and the source video it shows decoded, in one ffmpeg; no filter",
      wallSeconds: bound.map((m) => r3(m.wallSeconds)), medianSeconds: r3(mb), medianCpuSeconds: r3(median(bound.map((m) => m.cpuSeconds))),
    },
    montage: {
      wallSeconds: ours.map((m) => r3(m.wallSeconds)), medianSeconds: r3(mo), medianCpuSeconds: r3(median(ours.map((m) => m.cpuSeconds))),
      peakNodeMiB: Math.max(...ours.map((m) => m.nodePeakMiB)), peakFfmpegMiB: Math.max(...ours.map((m) => m.ffmpegPeakMiB)),
    },
    ratio: r3(mo / mf),
    pairedRatio: r3(median(ours.map((m, i) => m.wallSeconds / floor[i].wallSeconds))),
    boundOverFloor: r3(mb / mf),
    boundOverFloorPaired: r3(median(bound.map((m, i) => m.wallSeconds / floor[i].wallSeconds))),
    boundCpuOverFloorCpu: r3(median(bound.map((m) => m.cpuSeconds)) / median(floor.map((m) => m.cpuSeconds))),
    montageOverBound: r3(mo / mb),
    targets: { ratioAtMost: 2.0 },
  };
};

/**
 * The piece cache on ref-b, through `montage render` as a user runs it (the compiled dist/ unless
 * `--from checkout`, each render a process of its own under GNU time): plain ↔ cold with `--cache`
 * and an empty cache, alternately; then the edit (the last clip's filter changed, written to
 * ref-b-edit.json) over the last cold render's cache; then the template batch.
 */
const benchPieces = async () => {
  const edited = JSON.parse(readFileSync(join(WORK, 'ref-b.json'), 'utf8'));
  edited.tracks[0].clips.at(-1).filter = 'sepia';
  writeFileSync(join(WORK, 'ref-b-edit.json'), JSON.stringify(edited));
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const plain: Measured[] = [];
  const cold: Measured[] = [];
  const loads: string[] = [];
  let cache = '';
  for (let i = 0; i < RUNS_PIECES; i++) {
    cache = join(WORK, `piece-cache-${i}`);
    rmSync(cache, { recursive: true, force: true });
    const order = i % 2 ? ['cold', 'plain'] : ['plain', 'cold'];
    for (const which of order) {
      loads.push(load());
      if (which === 'plain') plain.push(await montage('ref-b.json', 'pieces-plain.mp4'));
      else cold.push(await montage('ref-b.json', 'pieces-cold.mp4', ['--cache', cache]));
    }
  }
  loads.push(load());
  const edit = await montage('ref-b-edit.json', 'pieces-edit.mp4', ['--cache', cache]);
  loads.push(load());
  const row = (ms: Measured[]) => ({
    wallSeconds: ms.map((m) => r3(m.wallSeconds)), medianSeconds: r3(median(ms.map((m) => m.wallSeconds))),
    medianCpuSeconds: r3(median(ms.map((m) => m.cpuSeconds))), peakFfmpegMiB: Math.max(...ms.map((m) => m.ffmpegPeakMiB)),
  });
  const frames = (f: string) => probe(f).frames;
  // A small batch beside the ref-b figures; `npm run bench -- template` runs the issue's own.
  const template = templateBatch({ renders: '4', seconds: '20', size: '1280x720' });
  return {
    plain: row(plain), cold: row(cold), edit: row([edit]),
    coldVsPlain: { wall: r3(median(cold.map((m) => m.wallSeconds)) / median(plain.map((m) => m.wallSeconds))), cpu: r3(median(cold.map((m) => m.cpuSeconds)) / median(plain.map((m) => m.cpuSeconds))) },
    editVsCold: { wall: r3(edit.wallSeconds / median(cold.map((m) => m.wallSeconds))), cpu: r3(edit.cpuSeconds / median(cold.map((m) => m.cpuSeconds))) },
    coldSsimVsPlain: ssim(join(WORK, 'pieces-cold.mp4'), join(WORK, 'pieces-plain.mp4')).all,
    frames: { plain: frames(join(WORK, 'pieces-plain.mp4')), cold: frames(join(WORK, 'pieces-cold.mp4')), edit: frames(join(WORK, 'pieces-edit.mp4')) },
    loadAverage: loads, template, targets: { coldVsPlainAtMost: 1.0, editVsColdAtMost: 0.35 },
  };
};

/**
 * The template batch (bench/piece-cache-bench.ts, in a process of its own): `--template-renders`,
 * `--template-seconds` and `--template-size` override the given defaults. Returns its summary.
 */
const templateBatch = (defaults: { renders: string; seconds: string; size: string }) => {
  const r = spawnSync('node', ['--import', 'tsx', join(ROOT, 'bench', 'piece-cache-bench.ts'), '--json',
    '--renders', flags['template-renders'] ?? defaults.renders, '--seconds', flags['template-seconds'] ?? defaults.seconds,
    '--size', flags['template-size'] ?? defaults.size], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench/piece-cache-bench.ts failed (status ${r.status})`);
  const out = r.stdout.trim();
  return JSON.parse(out.split('\n').at(-1)!) as Record<string, unknown>;
};

const table = (rows: string[][]) => {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  ')).join('\n');
};

const main = async () => {
  const refs = ONLY === undefined || ONLY === 'a' || ONLY === 'b' || ONLY === 'c' || ONLY === 'pieces';
  if (refs || ONLY === 'cluster') setUp(); // the cluster benchmark renders ref-b too
  const ffmpegVersion = run(FFMPEG, ['-hide_banner', '-version']).stdout.split('\n')[0].replace(/ Copyright.*/, '');
  const machine = {
    cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version, ffmpeg: ffmpegVersion,
  };
  console.log(`Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}, ${ffmpegVersion}`);
  const refA = ONLY === undefined || ONLY === 'a' ? await benchA() : undefined;
  const refB = ONLY === undefined || ONLY === 'b' ? await benchB() : undefined;
  const refC = ONLY === undefined || ONLY === 'c' ? await benchC() : undefined;
  const service = ONLY === undefined || ONLY === 'service'
    ? await runServiceBench({ seconds: SERVICE_SECONDS, renders: SERVICE_RENDERS }) : undefined;
  const cluster = ONLY === undefined || ONLY === 'cluster'
    ? await runClusterBench({ refB: join(WORK, 'ref-b.json'), runs: CLUSTER_RUNS, chunkSeconds: CLUSTER_CHUNK_SECONDS, ffmpeg: FFMPEG, ffprobe: FFPROBE }) : undefined;
  const startup = ONLY === undefined || ONLY === 'startup'
    ? await runStartupBench({ root: ROOT, work: WORK, runs: STARTUP_RUNS, baseline: flags['startup-baseline'] ? resolve(flags['startup-baseline']) : undefined }) : undefined;
  const pieces = ONLY === undefined || ONLY === 'pieces' ? await benchPieces() : undefined;
  const template = ONLY === 'template' ? templateBatch({ renders: '20', seconds: '60', size: '1920x1080' }) : undefined;

  console.log('');
  if (refA) {
    console.log(`ref-a (12 s, 1280×720, ${refA.encoder}), median of ${refA.runs} alternating runs`);
    console.log(table([
      ['', 'median wall', 'wall, each run', 'median CPU', 'peak node', 'peak ffmpeg', 'peak tree'],
      ['baseline-ref-a.sh', `${refA.baseline.medianSeconds.toFixed(2)} s`, refA.baseline.wallSeconds.map((x) => x.toFixed(2)).join(' '),
        `${refA.baseline.medianCpuSeconds.toFixed(2)} s`, '-', `${refA.baseline.peakFfmpegMiB} MiB`, '-'],
      [`montage render (--chunks ${refA.montage.chunks})`, `${refA.montage.medianSeconds.toFixed(2)} s`, refA.montage.wallSeconds.map((x) => x.toFixed(2)).join(' '),
        `${refA.montage.medianCpuSeconds.toFixed(2)} s`, `${refA.montage.peakNodeMiB} MiB`, `${refA.montage.peakFfmpegMiB} MiB`, `${refA.montage.peakTreeMiB} MiB`],
    ]));
    console.log(`montage ÷ baseline: wall ${refA.ratio.toFixed(3)} (medians; issue 12: ≤ 1.0), ${refA.pairedRatio.toFixed(3)} (median of per-round ratios; issue 17: ≤ 0.8), CPU ${refA.cpuRatio.toFixed(3)}`);
    console.log(`SSIM vs baseline: ${refA.ssimVsBaseline.all.toFixed(3)} all, ${refA.ssimVsBaseline.y.toFixed(3)} Y (target ≥ 0.90)\n`);
  }
  if (refB) {
    console.log(`ref-b (${refB.duration} s, 1920×1080, 30 fps), median of ${refB.runs} run(s)`);
    const row = (label: string, r: typeof refB.single) => [label, `${r.medianSeconds.toFixed(1)} s`, `${r.realTimeFactor.toFixed(2)}×`,
      `${r.cpuSeconds.toFixed(1)} s`, `${r.peakNodeMiB} MiB`, `${r.peakFfmpegMiB} MiB`, `${r.peakTreeMiB} MiB`];
    console.log(table([
      ['', 'wall', 'real-time factor', 'CPU', 'peak node', 'peak ffmpeg (one)', 'peak tree (sum)'],
      row('1 process', refB.single), row(`--chunks ${refB.chunks}`, refB.chunked),
    ]));
    const c = refB.chunkedVsSingle;
    console.log(`speed-up: ${refB.speedup.toFixed(2)}×; chunked vs single: SSIM ${c.ssimAll.toFixed(4)}, frames ${c.framesChunked}/${c.framesSingle}, duration ${c.durationChunked}/${c.durationSingle} s\n`);
  }
  if (service) {
    const ms = (x: number) => `${x} ms`;
    console.log(`service (one montage serve on loopback, autocannon, ${service.seconds} s per scenario, ${service.connections} connections; load average ${service.loadAverage.join(' → ')})`);
    const tp = (label: string, x: typeof service.getRender) => [label, `${x.requestsPerSecond}`, ms(x.p50Ms), ms(x.p99Ms), ms(x.maxMs), `${x.non2xx + x.errors}`];
    console.log(table([
      ['', 'req/s', 'p50', 'p99', 'max', 'non-2xx + errors'],
      tp('GET /v1/renders/{id}', service.getRender), tp('POST /v1/validate', service.validate),
      tp('POST /v1/renders, overallRate 200', service.submitAt200PerSecond),
      ['POST /v1/renders, 200/s evenly', '200', ms(service.submitAt200PerSecondEven.p50Ms), ms(service.submitAt200PerSecondEven.p99Ms),
        ms(service.submitAt200PerSecondEven.maxMs), `${service.submitAt200PerSecondEven.non202}`],
    ]));
    const a = service.acceptedToStarted;
    console.log(`202 → worker started (${a.renders} renders, idle worker): p50 ${a.recordMs.p50} ms, p99 ${a.recordMs.p99} ms (record timestamps); `
      + `p50 ${a.after202Ms.p50} ms, p99 ${a.after202Ms.p99} ms after the client read the 202\n`);
  }
  if (cluster) {
    const b = cluster.refB;
    console.log(`cluster: ref-b through nginx, 1 api, MONTAGE_CHUNK_SECONDS=${b.chunkSeconds}, ffmpeg on 1 thread${b.pinned ? ', each worker pinned to its own core' : ''}; load average ${cluster.loadAverage.refB.join(' → ')}`);
    const row = (label: string, r: typeof b.oneWorker) => [label, `${r.medianSeconds.toFixed(1)} s`, r.wallSeconds.map((x) => x.toFixed(1)).join(' '), `${r.realTimeFactor.toFixed(2)}×`,
      Object.entries(r.jobsByWorker).map(([w, js]) => `${w}: ${js.filter((j) => j.startsWith('piece')).length} pieces`).join(', ')];
    console.log(table([['', 'median wall', 'each run', 'real-time factor', 'pieces'], row('1 worker', b.oneWorker), row('2 workers', b.twoWorkers)]));
    console.log(`speed-up: ${b.speedup.toFixed(2)}× (medians), ${b.pairedSpeedup.toFixed(2)}× (per-round), ${b.cpuBoundSpeedup.toFixed(2)}× in CPU time (each worker on a core of its own); goal ${b.goal}×; SSIM 2 vs 1 worker ${b.ssimTwoVsOne}, frames ${b.twoWorkers.frames}/${b.oneWorker.frames}`);
    const d = cluster.dispatch;
    console.log(`202 → worker started (${d.renders} renders, 2 idle workers): p50 ${d.recordMs.p50} ms, p99 ${d.recordMs.p99} ms (record timestamps); p50 ${d.after202Ms.p50} ms, p99 ${d.after202Ms.p99} ms after the client read the 202`);
    const q = cluster.requests;
    console.log(`requests through nginx (autocannon, ${q.connections} connections, ${q.seconds} s, median of ${q.rounds} round(s); load average ${cluster.loadAverage.requests.join(' → ')})`);
    const rr = (label: string, x: typeof q.getRender) => [label, `${x.oneApi.requestsPerSecond}`, `${x.oneApi.p99Ms} ms`, `${x.twoApis.requestsPerSecond}`, `${x.twoApis.p99Ms} ms`, `${x.ratio}×`];
    console.log(table([['', '1 api req/s', 'p99', '2 apis req/s', 'p99', '2 ÷ 1'], rr('GET /v1/renders/{id}', q.getRender), rr('POST /v1/validate', q.validate)]));
    console.log('');
  }
  if (refC) {
    console.log(`ref-c (15 s, 720×1280, ${refC.encoder}), median of ${refC.runs} alternating runs`);
    if (refC.removed.length) console.log(`measured WITHOUT what this build cannot render yet: ${refC.removed.join('; ')}`);
    console.log(table([
      ['', 'median', 'runs', 'CPU (median)'],
      ['encode-only floor', `${refC.floor.medianSeconds.toFixed(2)} s`, refC.floor.wallSeconds.map((x) => x.toFixed(2)).join(' '), `${refC.floor.medianCpuSeconds.toFixed(2)} s`],
      ['bound: encode its frames, decode its video', `${refC.bound.medianSeconds.toFixed(2)} s`, refC.bound.wallSeconds.map((x) => x.toFixed(2)).join(' '), `${refC.bound.medianCpuSeconds.toFixed(2)} s`],
      ['montage render', `${refC.montage.medianSeconds.toFixed(2)} s`, refC.montage.wallSeconds.map((x) => x.toFixed(2)).join(' '), `${refC.montage.medianCpuSeconds.toFixed(2)} s`],
    ]));
    console.log(`montage ÷ floor: ${refC.ratio.toFixed(3)} (medians; target ≤ 2.0), ${refC.pairedRatio.toFixed(3)} (median of per-round ratios)`);
    console.log(`bound ÷ floor: ${refC.boundOverFloor.toFixed(3)} wall (medians), ${refC.boundOverFloorPaired.toFixed(3)} (per round), ${refC.boundCpuOverFloorCpu.toFixed(3)} CPU: no renderer reaches below the bound with these encoder settings`);
    console.log(`montage ÷ bound: ${refC.montageOverBound.toFixed(3)} (medians)\n`);
  }
  if (startup) {
    console.log(`start-up of the CLI (bin/montage; "dist" = the compiled dist/ an install runs), median of ${startup.runs} rounds; load average ${startup.loadAverage.join(' → ')}`);
    console.log(table([['', 'ran', 'median wall', '÷ node -e 0', 'beyond node', 'median CPU', '÷ node -e 0', 'beyond node', 'wall, each round'],
      ...startup.rows.map((r) => [r.label, r.measured, `${r.medianWallMs} ms`, `${r.wallRatio}×`, `${r.wallBeyondNodeMs} ms`, `${r.medianCpuMs} ms`, `${r.cpuRatio}×`, `${r.cpuBeyondNodeMs} ms`, r.wallMs.join(' ')])]));
    console.log('');
  }
  if (pieces) {
    console.log(`piece cache on ref-b (60 s, 1920×1080), median of ${RUNS_PIECES} alternating round(s); load average ${pieces.loadAverage.join(' → ')}`);
    const row = (label: string, r: typeof pieces.plain) => [label, `${r.medianSeconds.toFixed(1)} s`, r.wallSeconds.map((x) => x.toFixed(1)).join(' '), `${r.medianCpuSeconds.toFixed(1)} s`, `${r.peakFfmpegMiB} MiB`];
    console.log(table([['', 'median wall', 'each run', 'median CPU', 'peak ffmpeg (one)'],
      row('cache off', pieces.plain), row('cache on, empty (cold)', pieces.cold), row('last clip\'s filter changed, re-rendered', pieces.edit)]));
    console.log(`cold ÷ off: wall ${pieces.coldVsPlain.wall}, CPU ${pieces.coldVsPlain.cpu} (target ≤ 1.0); edit ÷ cold: wall ${pieces.editVsCold.wall}, CPU ${pieces.editVsCold.cpu} (target ≤ 0.35); `
      + `cold vs off SSIM ${pieces.coldSsimVsPlain}; frames ${pieces.frames.plain}/${pieces.frames.cold}/${pieces.frames.edit}`);
    console.log(`${JSON.stringify(pieces.template)}\n`);
  }
  if (template) {
    const t = template as { batch: string; wallSeconds: Record<string, number>; cpuSeconds: Record<string, number>; warmVsOff: Record<string, number>; lowestSsimVsTwin: number; lowestSsimVsOff: number; identicalToTwin: string; sameFrameCounts: boolean; rows: Array<Record<string, unknown>> };
    console.log(`template batch: ${t.batch}; load average ${(template.loadAverage as string[]).map((l) => l.split(' ')[0]).join(' → ')}`);
    console.log(table([['', 'cache off', 'cold twins (empty cache each)', 'cache on (one cache)'],
      ['total wall', `${t.wallSeconds.off} s`, `${t.wallSeconds.twin} s`, `${t.wallSeconds.warm} s`],
      ['total CPU', `${t.cpuSeconds.off} s`, `${t.cpuSeconds.twin} s`, `${t.cpuSeconds.warm} s`]]));
    console.log(`cache on ÷ off: wall ${t.warmVsOff.wall}, CPU ${t.warmVsOff.cpu} (target ≤ 0.30); lowest frame SSIM vs cold twin ${t.lowestSsimVsTwin} (${t.identicalToTwin} byte-identical), `
      + `vs cache off ${t.lowestSsimVsOff}; same frame counts: ${t.sameFrameCounts}`);
    for (const r of t.rows) console.log(`  ${JSON.stringify(r)}`);
    console.log('');
  }
  const out = join(ROOT, 'bench', 'results.json');
  const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const results = {
    // The date and command of the reference benchmarks; the service's figures carry their own.
    date: refs || !previous.date ? new Date().toISOString() : previous.date, command: refs || !previous.command ? command : previous.command, machine,
    refA: refA ?? previous.refA, refB: refB ?? previous.refB, refC: refC ?? previous.refC, service: service ? { ...service, command } : previous.service,
    cluster: cluster ? { ...cluster, command } : previous.cluster,
    startup: startup ? { ...startup, command } : previous.startup,
    pieces: pieces ? { ...pieces, command } : previous.pieces,
    template: template ? { ...template, command } : previous.template,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${out}`);
};

await main();
