/**
 * A still's zoom drawn by ratio (src/render/zoom-ratio.ts) against the sub-pixel map
 * (src/render/subpixel-transform.ts, zoomFilters): CPU of the filter graph alone, and how steady the
 * frames are (docs/benchmarks.md, "A zoom by a chosen ratio").
 *
 *   node --import tsx bench/zoom-ratio-bench.ts [--rounds 3] [--photo PATH]
 *
 * Each case is the still scaled to the box, looped and zoomed, nothing else. CPU: `-f null` under
 * /usr/bin/time, the two routes alternating within a round (medians). Steadiness, from the frames
 * decoded to 8-bit luma:
 *  - sharpness jump: per frame, the mean luma gradient of the middle quarter of the frame, and its
 *    largest distance from the mean of its two neighbours, relative (a zoom changes it slowly; a
 *    frame softer or sharper than the next shows as shimmer);
 *  - line steps (the lines still): the centroid of a 12 px line near the right edge and of one 56 px
 *    right of the centre, frame to frame, as test/render/smooth-motion.test.ts tracks them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilterGraph } from '../src/render/filter-graph.ts';
import { zoomAt } from '../src/render/ken-burns.ts';
import { zoomFilters } from '../src/render/subpixel-transform.ts';
import { zoomRatio } from '../src/render/zoom-ratio.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(arg('--rounds') ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'zoom-ratio-bench-'));
const ff = (...a: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...a]);
const texture = join(dir, 'texture.png');
ff('-f', 'lavfi', '-i', 'color=c=gray:s=1920x1080:d=1', '-vf', 'noise=alls=80:allf=u,boxblur=1:1', '-frames:v', '1', texture);
const lines = join(dir, 'lines.png');
ff('-f', 'lavfi', '-i', 'color=c=black:s=1920x1080:d=1', '-vf',
  'drawbox=x=1770:y=0:w=12:h=1080:c=white:t=fill,drawbox=x=1010:y=0:w=12:h=1080:c=white:t=fill', '-frames:v', '1', lines);
const photo = arg('--photo') ?? (existsSync('bench/.work/assets/img3.jpg') ? 'bench/.work/assets/img3.jpg' : (() => {
  const p = join(dir, 'photo.png');
  ff('-f', 'lavfi', '-i', 'testsrc2=s=1920x1080', '-frames:v', '1', p);
  return p;
})());

interface Case { readonly name: string; readonly still: string; readonly w: number; readonly h: number; readonly len: number; readonly effect: 'zoomIn' | 'zoomOut'; readonly skip: number; readonly N: number }
const F = 30;
const cases: Case[] = [
  { name: 'noise texture, 640×360, 2 s zoomIn', still: texture, w: 640, h: 360, len: 2, effect: 'zoomIn', skip: 0, N: 60 },
  { name: 'photo, 1280×720, 4.5 s zoomIn (ref-a)', still: photo, w: 1280, h: 720, len: 4.5, effect: 'zoomIn', skip: 0, N: 135 },
  { name: 'photo, 1920×1080, 18 s zoomOut (ref-b), 6–10 s', still: photo, w: 1920, h: 1080, len: 18, effect: 'zoomOut', skip: 6, N: 120 },
  { name: 'lines, 1920×1080, 18 s zoomOut (ref-b), 6–10 s', still: lines, w: 1920, h: 1080, len: 18, effect: 'zoomOut', skip: 6, N: 120 },
];

/** The case's graph by one route (undefined where the ratio route refuses it), and its side files. */
const graphOf = (c: Case, route: 'map' | 'ratio') => {
  const B = { w: c.w, h: c.h };
  const head = `[0:v]scale=${c.w}:${c.h}:flags=lanczos,setsar=1,format=yuv420p`;
  const repeat = `loop=loop=${c.N - 1}:size=1:start=0,settb=1/${F * 1000},setpts=N*1000`;
  if (route === 'map') {
    const z = (T: string) => (c.effect === 'zoomIn' ? `(1+0.15*clip(${T}/${c.len},0,1))` : `(1.15-0.15*clip(${T}/${c.len},0,1))`);
    return { text: `${head},${repeat},${zoomFilters(B, B, z, c.skip, F).join(',')}[vout]`, files: [] };
  }
  const zr = zoomRatio({ B, zoomAt: zoomAt(c.effect, c.len), centre: { x: c.w / 2, y: c.h / 2 }, skip: c.skip, N: c.N, F, pix: 'yuv420p', uid: 'b' });
  if (!zr) return undefined;
  const graph = new FilterGraph(dir);
  const per = zr.perFrame(graph);
  return { text: `${head},${zr.once('b').join(',')},${repeat},${per.join(',')}[vout]`, files: graph.sideFiles };
};

const run = (c: Case, g: NonNullable<ReturnType<typeof graphOf>>, out: string[]) => {
  for (const f of g.files) writeFileSync(f.path, f.content);
  const script = join(dir, 'graph.txt');
  writeFileSync(script, g.text);
  return spawnSync('/usr/bin/time', ['-f', '%U %S', 'ffmpeg', '-v', 'error', '-y', '-i', c.still, '-filter_complex_script', script, '-map', '[vout]', ...out], { maxBuffer: 1 << 30 });
};

const cpu = (c: Case, g: NonNullable<ReturnType<typeof graphOf>>): number => {
  const r = run(c, g, ['-f', 'null', '-']);
  const [u, s] = r.stderr.toString().trim().split('\n').at(-1)!.split(' ').map(Number);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return u + s;
};

const steadiness = (c: Case, g: NonNullable<ReturnType<typeof graphOf>>) => {
  const r = run(c, g, ['-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
  const Y = r.stdout;
  const { w, h } = c;
  const frames = Y.length / (w * h);
  const energy: number[] = [];
  for (let n = 0; n < frames; n++) {
    let e = 0;
    const o = n * w * h;
    for (let y = h / 4 + 1; y < (3 * h) / 4; y++) for (let x = w / 4 + 1; x < (3 * w) / 4; x++) {
      const v = Y[o + y * w + x];
      e += Math.abs(v - Y[o + y * w + x - 1]) + Math.abs(v - Y[o + (y - 1) * w + x]);
    }
    energy.push(e);
  }
  const jumps = energy.slice(1, -1).map((e, i) => Math.abs(e - (energy[i] + energy[i + 2]) / 2) / e);
  const centroid = (n: number, x0: number, x1: number) => {
    let s = 0;
    let wt = 0;
    for (let x = x0; x < x1; x++) {
      let l = 0;
      for (let y = 20; y < 60; y++) l += Y[n * w * h + y * w + x];
      const v = Math.max(0, l / 40 - 16);
      s += v * x;
      wt += v;
    }
    return s / wt;
  };
  const steps = (x0: number, x1: number) => {
    const p = Array.from({ length: frames }, (_, n) => centroid(n, x0, x1));
    const d = p.slice(1).map((v, i) => (v - p[i]) * (c.effect === 'zoomIn' ? 1 : -1));
    return `${Math.min(...d).toFixed(3)}…${Math.max(...d).toFixed(3)} px`;
  };
  return {
    jumpMax: `${(100 * Math.max(...jumps)).toFixed(2)} %`,
    jumpMean: `${(100 * jumps.reduce((a, b) => a + b, 0) / jumps.length).toFixed(2)} %`,
    ...(c.still === lines ? { edgeSteps: steps(Math.floor((1700 * w) / 1920), w), centreSteps: steps(Math.floor((990 * w) / 1920), Math.floor((1060 * w) / 1920)) } : {}),
  };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const c of cases) {
  const map = graphOf(c, 'map')!;
  const ratio = graphOf(c, 'ratio');
  const times: Record<string, number[]> = { map: [], ratio: [] };
  for (let i = 0; i < rounds; i++) {
    for (const route of i % 2 ? ['ratio', 'map'] : ['map', 'ratio']) {
      const g = route === 'map' ? map : ratio;
      if (g) times[route].push(cpu(c, g));
    }
  }
  console.log(`\n${c.name} (${c.N} frames)`);
  console.log(`  map:   CPU ${median(times.map).toFixed(2)} s (${times.map.map((t) => t.toFixed(2)).join(' ')})`, JSON.stringify(steadiness(c, map)));
  if (ratio) console.log(`  ratio: CPU ${median(times.ratio).toFixed(2)} s (${times.ratio.map((t) => t.toFixed(2)).join(' ')})`, JSON.stringify(steadiness(c, ratio)));
  else console.log('  ratio: refused (the map draws it)');
}
