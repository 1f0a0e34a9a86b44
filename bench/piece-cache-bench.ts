/**
 * `node --import tsx bench/piece-cache-bench.ts [--renders N] [--seconds S] [--size WxH] [--piece-seconds P] [--json]`
 * (`npm run bench -- template [--template-renders N]`; defaults: the issue's batch, 20 × 60 s 1920×1080)
 *
 * The template batch of issue 17: N renders of an S-second 30 fps composition (a moving `testsrc2`
 * background video with a tone, a lower-third bar, and a `Hello {{name}}` title shown in seconds
 * 2–8 only), each with another name, through the real engine in this process (so Node's start-up is
 * in no column). First the batch, name by name alternately (so the machine's load falls on both alike):
 *  - off:  the piece cache off (one plain render);
 *  - warm: through the batch's one shared cache (the first of these is cold, the rest reuse).
 * Then, for each name, its cold twin: the same composition through the piece cache with an empty
 * cache of its own. Each finished row is printed as it comes (stderr with `--json`). Reports the total wall
 * and CPU (user + sys of this process and every ffmpeg child, from /proc/self/stat) of each
 * column, the ratio warm ÷ off (the issue's target: ≤ 0.30), and for every warm output its SSIM
 * against its cold twin and against the cache-off render (mean and lowest frame) and the frame
 * counts of all three. A warm output byte-identical to its twin has SSIM 1 by definition and is
 * not decoded again. `--piece-seconds 0` (the default) = the default piece for the output size.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRenderEngine } from '../src/render/engine.ts';
import { openCliPieceCache } from '../src/cli/cli-piece-cache.ts';

const FFMPEG = process.env.MONTAGE_FFMPEG ?? 'ffmpeg';
const FFPROBE = process.env.MONTAGE_FFPROBE ?? 'ffprobe';
const { values } = parseArgs({ options: {
  renders: { type: 'string' }, seconds: { type: 'string' }, size: { type: 'string' }, 'piece-seconds': { type: 'string' },
  json: { type: 'boolean' }, keep: { type: 'string' },
} });
const N = Number(values.renders ?? 20);
const S = Number(values.seconds ?? 60);
const [W, H] = (values.size ?? '1920x1080').split('x').map(Number);
const PIECE = Number(values['piece-seconds'] ?? 0) || undefined;
const NAMES = ['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Margaret', 'Ken', 'Radia', 'Leslie', 'Hedy', 'Alan', 'Karen', 'Niklaus', 'Sophie', 'Tony', 'Lynn', 'Dennis', 'Shafi'];
const nameOf = (i: number) => `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : ''}`;

const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'montage-template-batch-'));
mkdirSync(join(dir, 'out'), { recursive: true });
const ff = (...a: string[]) => execFileSync(FFMPEG, ['-hide_banner', '-v', 'error', '-y', ...a], { maxBuffer: 1 << 28 });
ff('-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=30:d=${S}`, '-f', 'lavfi', '-i', `sine=f=330:d=${S}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-c:a', 'aac', '-shortest', join(dir, 'bg.mp4'));
const composition = {
  output: { format: 'mp4', width: W, height: H, fps: 30, quality: 'medium' },
  tracks: [
    { clips: [{ asset: { type: 'video', src: 'bg.mp4' }, start: 0, length: S }] },
    { clips: [{ asset: { type: 'shape', shape: 'rectangle', width: W, height: Math.round(H / 7), fill: '#000000aa' }, start: 0, length: S, position: 'bottom' }] },
    { clips: [{ asset: { type: 'text', text: 'Hello {{name}}', font: { size: Math.round(H / 8), color: '#ffffff' } }, start: 2, length: 6 }] },
  ],
};

/** CPU seconds of this process and its waited-for children (utime stime cutime cstime). */
const cpuSeconds = () => readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').slice(11, 15).reduce((a, x) => a + Number(x), 0) / 100;
const engine = createRenderEngine({ ffmpegPath: FFMPEG, ffprobePath: FFPROBE });
const render = async (name: string, out: string, cacheDir?: string) => {
  const { composition: c } = engine.validate(composition, { name });
  const workDir = mkdtempSync(join(dir, 'work-'));
  const cache = cacheDir ? openCliPieceCache(cacheDir) : undefined;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  try {
    const r = await engine.render({
      composition: c, workDir, outputPath: out, resolveSrc: async (src) => join(dir, src),
      ...(cache ? { pieceCache: { cache: cache.cache, tenant: 'bench', pieceSeconds: PIECE } } : {}),
    });
    return { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0, pieces: r.pieces };
  } finally { cache?.close(); rmSync(workDir, { recursive: true, force: true }); }
};
const frames = (f: string) => Number(execFileSync(FFPROBE, ['-v', 'error', '-count_packets', '-select_streams', 'v', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', f]).toString().trim());
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const readSsim = (stats: string) => {
  const v = readFileSync(stats, 'utf8').trim().split('\n').map((l) => Number(/All:([\d.]+)/.exec(l)![1]));
  return { mean: v.reduce((a, b) => a + b, 0) / v.length, lowest: Math.min(...v), frames: v.length };
};
/** SSIM of `a` against each of `refs`, one decode of `a`. */
const ssims = (a: string, refs: string[]) => {
  const stats = refs.map((_, i) => join(dir, `ssim-${i}.txt`));
  const graph = `[0:v]split=${refs.length}${refs.map((_, i) => `[a${i}]`).join('')};${refs.map((_, i) => `[a${i}][${i + 1}:v]ssim=stats_file=${stats[i]}[o${i}]`).join(';')}`;
  ff('-i', a, ...refs.flatMap((r) => ['-i', r]), '-filter_complex', graph, ...refs.flatMap((_, i) => ['-map', `[o${i}]`, '-f', 'null', '-']));
  return stats.map(readSsim);
};

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loads = [load()];
const sum = { off: { wall: 0, cpu: 0 }, twin: { wall: 0, cpu: 0 }, warm: { wall: 0, cpu: 0 } };
const rows: Array<Record<string, unknown>> = [];
const shared = join(dir, 'cache-shared');
rmSync(shared, { recursive: true, force: true });
const paths = (i: number) => ({ off: join(dir, 'out', `off-${i}.mp4`), twin: join(dir, 'out', `twin-${i}.mp4`), warm: join(dir, 'out', `warm-${i}.mp4`) });
const note = (r: Record<string, unknown>) => { if (values.json) console.error(JSON.stringify(r)); else console.log(JSON.stringify(r)); };
// The batch itself: cache off and cache on alternately, name by name (the ratio).
for (let i = 0; i < N; i++) {
  const p = paths(i);
  const off = await render(nameOf(i), p.off);
  const warm = await render(nameOf(i), p.warm, shared);
  sum.off.wall += off.seconds; sum.off.cpu += off.cpu; sum.warm.wall += warm.seconds; sum.warm.cpu += warm.cpu;
  rows.push({
    name: nameOf(i), wall: { off: +off.seconds.toFixed(2), warm: +warm.seconds.toFixed(2) }, cpu: { off: +off.cpu.toFixed(2), warm: +warm.cpu.toFixed(2) },
    pieces: warm.pieces ? `${warm.pieces.reused}/${warm.pieces.total}${warm.pieces.audioReused ? ' +audio' : ''}` : null,
  });
  note({ ...rows[i], load: load() });
}
loads.push(load());
// Then each output's cold twin (the same name through an empty cache of its own) and the comparisons.
for (let i = 0; i < N; i++) {
  const p = paths(i);
  const twinCache = join(dir, `cache-twin-${i}`);
  rmSync(twinCache, { recursive: true, force: true });
  const twin = await render(nameOf(i), p.twin, twinCache);
  rmSync(twinCache, { recursive: true, force: true });
  sum.twin.wall += twin.seconds; sum.twin.cpu += twin.cpu;
  const identical = sha(p.warm) === sha(p.twin);
  const [vsTwin, vsOff] = identical ? [{ mean: 1, lowest: 1 }, ssims(p.warm, [p.off])[0]] : ssims(p.warm, [p.twin, p.off]);
  Object.assign(rows[i], {
    twin: { wall: +twin.seconds.toFixed(2), cpu: +twin.cpu.toFixed(2) },
    identicalToTwin: identical, ssimVsTwin: { mean: +vsTwin.mean.toFixed(5), lowest: +vsTwin.lowest.toFixed(5) }, ssimVsOff: { mean: +vsOff.mean.toFixed(5), lowest: +vsOff.lowest.toFixed(5) },
    frames: { off: frames(p.off), twin: frames(p.twin), warm: frames(p.warm) },
  });
  note({ ...rows[i], load: load() });
  for (const f of Object.values(p)) rmSync(f, { force: true });
}
loads.push(load());
const ratio = (a: number, b: number) => +(a / b).toFixed(3);
const summary = {
  batch: `${N} × ${S} s ${W}×${H} 30 fps, title in seconds 2–8, pieces ${PIECE ?? 'default'} s`,
  wallSeconds: { off: +sum.off.wall.toFixed(1), twin: +sum.twin.wall.toFixed(1), warm: +sum.warm.wall.toFixed(1) },
  cpuSeconds: { off: +sum.off.cpu.toFixed(1), twin: +sum.twin.cpu.toFixed(1), warm: +sum.warm.cpu.toFixed(1) },
  warmVsOff: { wall: ratio(sum.warm.wall, sum.off.wall), cpu: ratio(sum.warm.cpu, sum.off.cpu), target: 0.3 },
  coldTwinVsOff: { wall: ratio(sum.twin.wall, sum.off.wall), cpu: ratio(sum.twin.cpu, sum.off.cpu) },
  lowestSsimVsTwin: Math.min(...rows.map((r) => (r.ssimVsTwin as { lowest: number }).lowest)),
  lowestSsimVsOff: Math.min(...rows.map((r) => (r.ssimVsOff as { lowest: number }).lowest)),
  identicalToTwin: `${rows.filter((r) => r.identicalToTwin).length}/${N}`,
  sameFrameCounts: rows.every((r) => { const f = r.frames as Record<string, number>; return f.off === f.twin && f.twin === f.warm; }),
  loadAverage: loads,
  ...(values.json ? { rows } : {}),
};
console.log(JSON.stringify(summary));
if (!values.keep) rmSync(dir, { recursive: true, force: true });
