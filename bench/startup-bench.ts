/**
 * `npm run bench -- startup`: how long the installed CLI takes to start (issue 15), as a ratio to
 * `node -e 0` measured in the same rounds (the 2 shared cores make absolute times swing 2× with
 * the load; the ratio and CPU time swing far less).
 *
 * It builds dist/ first (`npm run build`, what the package ships) and runs `bin/montage` with
 * MONTAGE_FROM=dist, which is what an installed `montage` runs: bin/montage picks dist/cli/main.js
 * and sets DISABLE_SYSTEM_FONTS_LOAD (without it @napi-rs/canvas scans the system's font folders,
 * about 0.2 s of CPU, when render loads it). Each row says which code it ran (`measured`). Measured,
 * each round in turn, the order rotated every round:
 *  - `node -e 0`: Node alone;
 *  - `montage --version`;
 *  - `montage validate examples/title-card.json`;
 *  - `montage render examples/title-card.json`, up to the moment its first ffmpeg/ffprobe process
 *    starts: MONTAGE_FFMPEG and MONTAGE_FFPROBE point at a shim that notes the time and the Node
 *    process's CPU time by then (its threads' /proc/PPID/task/…/schedstat, in nanoseconds; where
 *    that is missing, /proc/PPID/stat's 10 ms ticks) and exits, so the render stops there (nothing
 *    is encoded).
 *  - `montage render examples/compositing.json` (video and pictures, no text: Skia is never loaded),
 *    up to its first ffprobe;
 * And, once per round, the same `--version` and `validate` from a checkout's bin/montage (the
 * TypeScript through tsx), for comparison.
 *
 * `--startup-baseline DIR` (another checkout of Montage, e.g. `git archive` of an older commit with
 * node_modules linked): its dist/ is built too and its dist rows are measured in the same rounds,
 * interleaved with these, labelled "baseline:": a before/after on the same load.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StartupRow {
  readonly label: string;
  readonly command: string;
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
  readonly medianWallMs: number;
  readonly medianCpuMs: number;
  /** median wall ÷ median wall of `node -e 0` */
  readonly wallRatio: number;
  /** median CPU ÷ median CPU of `node -e 0` */
  readonly cpuRatio: number;
  /** median wall − median wall of `node -e 0`: what Montage adds to Node's own start */
  readonly wallBeyondNodeMs: number;
  /** median CPU − median CPU of `node -e 0` */
  readonly cpuBeyondNodeMs: number;
  /** Which code ran: `node` alone, the compiled `dist/` (as installed) or the checkout's TypeScript through tsx. */
  readonly measured: 'node' | 'dist' | 'checkout (tsx)' | 'baseline dist';
}

export interface StartupResult {
  readonly date: string;
  readonly runs: number;
  readonly loadAverage: readonly number[];
  readonly rows: readonly StartupRow[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// CPU of a whole run: bash's `time` keyword (user + system, to the millisecond; GNU time prints
// hundredths, a quarter of `node -e 0`).
const BASH = existsSync('/bin/bash') ? '/bin/bash' : undefined;
const TICK_MS = 10; // USER_HZ = 100 on Linux

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  /** Measured up to ffmpeg's start (from the shim's notes) rather than to the process's exit. */
  readonly untilFfmpeg?: boolean;
  readonly measured: StartupRow['measured'];
}

export async function runStartupBench(o: { root: string; work: string; runs: number; baseline?: string }): Promise<StartupResult> {
  for (const root of [o.root, ...(o.baseline ? [o.baseline] : [])]) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build in ${root} failed: ${build.stderr}`);
  }
  const dir = join(o.work, 'startup');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const notes = join(dir, 'ffmpeg-started.txt');
  const shim = join(dir, 'ffmpeg-shim.sh');
  writeFileSync(shim, `#!/bin/sh\n# Notes when Montage starts its first ffmpeg/ffprobe, and Node's CPU time by then; then stops the render.\n`
    + `read -r stat < /proc/$PPID/stat\nset -- \${stat#*) }\nticks=$((\${12} + \${13}))\nns=\n`
    + `for f in /proc/$PPID/task/*/schedstat; do [ -r "$f" ] || continue; read -r run rest < "$f"; ns=$((\${ns:-0} + run)); done\n`
    + `echo "$(date +%s%N) $ticks $ns" >> '${notes}'\nexit 3\n`);
  chmodSync(shim, 0o755);

  const bin = join(o.root, 'bin/montage');
  const example = join(o.root, 'examples/title-card.json');
  const distCases = (root: string, prefix: string, measured: 'dist' | 'baseline dist'): Case[] => {
    const b = join(root, 'bin/montage');
    return [
      { label: `${prefix}montage --version`, args: [b, '--version'], measured },
      { label: `${prefix}montage validate title-card.json`, args: [b, 'validate', example], measured },
      { label: `${prefix}montage render title-card.json, to ffmpeg's start`, args: [b, 'render', example, '-o', join(dir, 'out.mp4')], untilFfmpeg: true, measured },
      { label: `${prefix}montage render compositing.json (no text), to ffprobe's start`, args: [b, 'render', join(o.root, 'examples/compositing.json'), '-o', join(dir, 'out.mp4')], untilFfmpeg: true, measured },
    ];
  };
  const cases: Case[] = [
    { label: 'node -e 0', args: ['-e', '0'], measured: 'node' },
    ...distCases(o.root, '', 'dist'),
    ...(o.baseline ? distCases(o.baseline, 'baseline: ', 'baseline dist') : []),
    { label: 'checkout: bin/montage --version (tsx)', args: [bin, '--version'], measured: 'checkout (tsx)' },
    { label: 'checkout: bin/montage validate title-card.json (tsx)', args: [bin, 'validate', example], measured: 'checkout (tsx)' },
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, MONTAGE_FFMPEG: shim, MONTAGE_FFPROBE: shim };
  delete env.NODE_OPTIONS;
  delete env.MONTAGE_FROM;
  delete env.DISABLE_SYSTEM_FONTS_LOAD; // bin/montage sets it, as for a user
  const envOf = (c: Case): NodeJS.ProcessEnv => (c.measured === 'dist' || c.measured === 'baseline dist' ? { ...env, MONTAGE_FROM: 'dist' } : env);
  const samples = new Map<string, { wall: number[]; cpu: number[] }>(cases.map((c) => [c.label, { wall: [], cpu: [] }]));
  const loadBefore = readLoad();

  const once = (c: Case) => {
    rmSync(notes, { force: true });
    const timeFile = join(dir, 'time.txt');
    const cmd = BASH ?? process.execPath;
    // $0 is the file for the times; the command's own stderr stays on fd 2 (through fd 3).
    const args = BASH ? ['-c', 'TIMEFORMAT="%3U %3S"; exec 3>&2; { time "$@" 2>&3; } 2>"$0"', timeFile, process.execPath, ...c.args] : [...c.args];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: dir, env: envOf(c), encoding: 'utf8' });
    const t1 = process.hrtime.bigint();
    const s = samples.get(c.label)!;
    if (c.untilFfmpeg) {
      if (!existsSync(notes)) throw new Error(`${c.label}: ffmpeg never started (exit ${r.status}): ${r.stderr}`);
      const [at, ticks, cpuNs] = readFileSync(notes, 'utf8').split('\n')[0]!.split(' ') as [string, string, string | undefined];
      // The start time in the shim is wall-clock (date +%s%N); t0 is monotonic: relate them through now.
      const startedAt = BigInt(Date.now()) * 1_000_000n - (process.hrtime.bigint() - t1) - (t1 - t0);
      s.wall.push(Number(BigInt(at) - startedAt) / 1e6);
      s.cpu.push(cpuNs ? Number(cpuNs) / 1e6 : Number(ticks) * TICK_MS);
    } else {
      if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}: ${r.stderr}`);
      s.wall.push(Number(t1 - t0) / 1e6);
      const [u, sy] = BASH ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number] : [NaN, NaN];
      s.cpu.push((u + sy) * 1000);
    }
  };

  for (const c of cases) once(c); // warm the page cache; not counted
  for (const s of samples.values()) { s.wall.length = 0; s.cpu.length = 0; }
  for (let round = 0; round < o.runs; round++) {
    const order = cases.map((_, i) => cases[(i + round) % cases.length]!);
    for (const c of order) once(c);
  }

  const base = samples.get('node -e 0')!;
  const baseWall = median(base.wall);
  const baseCpu = median(base.cpu);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const rows = cases.map((c) => {
    const s = samples.get(c.label)!;
    const w = median(s.wall);
    const cpu = median(s.cpu);
    return {
      label: c.label, measured: c.measured,
      command: [...(c.measured === 'node' || c.measured === 'checkout (tsx)' ? [] : ['MONTAGE_FROM=dist']), 'node',
        ...c.args.map((a) => a.replace(`${o.root}/`, '').replace(o.baseline ? `${o.baseline}/` : '\0', 'BASELINE/').replace(`${dir}/`, ''))].join(' '),
      wallMs: s.wall.map(r1), cpuMs: s.cpu.map(r1), medianWallMs: r1(w), medianCpuMs: r1(cpu), wallRatio: r2(w / baseWall), cpuRatio: r2(cpu / baseCpu),
      wallBeyondNodeMs: r1(w - baseWall), cpuBeyondNodeMs: r1(cpu - baseCpu),
    };
  });
  return { date: new Date().toISOString(), runs: o.runs, loadAverage: [...loadBefore, ...readLoad()], rows };
}

const readLoad = (): number[] => {
  try { return [Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])]; } catch { return []; }
};
