/**
 * What sub-pixel motion costs (docs/benchmarks.md, "Smooth Ken Burns"): CPU per frame of the
 * whole-pixel chains (zoompan; overlay at a rounded place) against the sub-pixel map
 * (src/render/subpixel-transform.ts), at 1280×720 and 720×1280, 150 frames (5 s at 30 fps) each.
 *
 *   node --import tsx bench/smooth-motion-costs.ts [--rounds 3]
 *
 * Each variant is one ffmpeg run of the filter graph alone (`-f null`, no encoding) under
 * /usr/bin/time; variants alternate within a round. Per-frame figures subtract the same graph
 * without the motion (the still decoded, scaled and looped; for layers the whole-pixel overlay).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { zoomFilters } from '../src/render/subpixel-transform.ts';
import { validateComposition } from '../src/composition/validate-composition.ts';
import { buildTimeline } from '../src/render/timeline.ts';
import { planRender } from '../src/render/plan-render.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const dir = mkdtempSync(join(tmpdir(), 'smooth-bench-'));
const N = 150;
const F = 30;
const LEN = N / F;
const still = join(dir, 'still.png');
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=1920x1080', '-frames:v', '1', '-y', still]);

const cpu = (graph: string): number => {
  if (process.env.SHOW_GRAPHS) console.log(graph);
  const file = join(dir, 'graph.txt');
  writeFileSync(file, graph);
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'ffmpeg', '-v', 'error', '-i', still, '-filter_complex_script', file,
    '-map', '[vout]', '-f', 'null', '-', ...(graph.includes('[aout]') ? ['-map', '[aout]', '-f', 'null', '-'] : [])], { encoding: 'utf8' });
  const [u, s] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  if (r.status !== 0 || Number.isNaN(u)) throw new Error(r.stderr);
  return u + s;
};

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));
const zoomGraphs = (W: number, H: number) => {
  const loop = (w: number, h: number) => `[0:v]trim=end_frame=1,scale=${w}:${h}:flags=lanczos,setsar=1,format=yuv420p,loop=loop=${N - 1}:size=1:start=0,settb=1/30000,setpts=N*1000`;
  const [EW, EH] = [even(W * 1.15), even(H * 1.15)];
  const z = (T: string) => `(1+0.15*clip(${T}/${LEN},0,1))`;
  return {
    'loop (box size)': `${loop(W, H)}[vout]`,
    'loop (1.15× overscan)': `${loop(EW, EH)}[vout]`,
    // The chain before this change (ken-burns.ts): zoompan over the 1.15× overscanned still.
    zoompan: `${loop(EW, EH)},zoompan=z='${z('(0+in/30)')}':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':d=1:s=${W}x${H}:fps=30,settb=1/30000,setpts=N*1000[vout]`,
    perspective: `${loop(W, H)},${zoomFilters({ w: W, h: H }, { w: W, h: H }, z, 0, F).join(',')}[vout]`,
  };
};

/**
 * A still at 60 % of the frame moving across by keyframed x (the whole-pixel overlay before; now
 * the blend of two crops), and growing by keyframed scale (scale with eval=frame before; now
 * the perspective map), each as the planner writes it now and as it wrote it before this change.
 */
const layerGraphs = (W: number, H: number) => {
  const media = new Map([['a.png', { path: still, container: 'image2', video: { codec: 'png', width: 1920, height: 1080, still: true, hasAlpha: false } }]]);
  const planned = (keyframes: object) => {
    const plan = planRender(buildTimeline(validateComposition({
      output: { width: W, height: H, fps: F },
      tracks: [{ clips: [{ asset: { type: 'image', src: 'a.png' }, start: 0, length: LEN, scale: 0.6, keyframes }] }],
    }).composition, { media: media as never, rasters: new Map(), cues: new Map() }), { outputPath: '/dev/null', workDir: join(dir, `${W}x${H}-${Object.keys(keyframes)[0]}`) });
    for (const f of plan.sideFiles) {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.content);
    }
    return plan.filterGraph;
  };
  // The still fitted (cover) and at 60 %, as both plans size it.
  const k = Math.max(W / 1920, H / 1080) * 0.6;
  const [bw, bh] = [even(1920 * k), even(1080 * k)];
  const base = `color=c=0x000000:s=${W}x${H}:r=30,trim=end_frame=${N},format=yuv420p,settb=1/30000,setpts=N*1000[base];\n`
    + `[0:v]trim=end_frame=1,scale=${bw}:${bh}:flags=lanczos,setsar=1,format=yuv420p,loop=loop=${N - 1}:size=1:start=0,settb=1/30000,setpts=N*1000`;
  const p = `clip(t/${LEN},0,1)`;
  const whole = (chain: string, x: string, y: string) => `${base}${chain}[c];[base][c]overlay=x='${x}':y='${y}':eof_action=pass:repeatlast=0:format=yuv420,format=yuv420p[vout]`;
  const s = `(0.6+0.2*${p})/0.6`;
  return {
    'x: overlay at whole pixels': whole('', `${W / 2}+(-0.1+0.2*${p})*${W}-${bw / 2}`, `${H / 2 - bh / 2}`),
    'x: two crops blended': planned({ x: [{ time: 0, value: -0.1 }, { time: LEN, value: 0.1 }] }),
    'scale: scale eval=frame': whole(`,scale=w='max(2,2*trunc(iw*${s}/2))':h='max(2,2*trunc(ih*${s}/2))':eval=frame`, `${W / 2}-${bw}*${s}/2`, `${H / 2}-${bh}*${s}/2`),
    'scale: perspective map': planned({ scale: [{ time: 0, value: 0.6 }, { time: LEN, value: 0.8 }] }),
  };
};

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [W, H] of [[1280, 720], [720, 1280]]) {
  for (const [what, graphs] of [['zoomIn', zoomGraphs(W, H)], ['keyframed x and scale (60 % still)', layerGraphs(W, H)]] as const) {
    const names = Object.keys(graphs) as (keyof typeof graphs)[];
    const times = new Map<string, number[]>(names.map((n) => [n as string, []]));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [...names].reverse() : names;
      for (const n of order) times.get(n as string)!.push(cpu(graphs[n] as string));
    }
    const load = execFileSync('uptime', { encoding: 'utf8' }).trim().replace(/.*load average: /, '');
    console.log(`${W}×${H} ${what} (load ${load}):`);
    for (const n of names) console.log(`  ${String(n).padEnd(28)} CPU ${median(times.get(n as string)!).toFixed(2)} s (${times.get(n as string)!.map((t) => t.toFixed(2)).join(', ')})`);
  }
}
