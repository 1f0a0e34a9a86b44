/**
 * `node --import tsx bench/look-costs.ts [--rounds N]`
 *
 * What each clip-look field (1.1) costs: the same 3 s, 640×360, 30 fps composition (a video
 * background and a picture-in-picture) rendered with one look field added at a time, all variants
 * run alternately N rounds (default 3, the order rotated every round) through `bin/montage render`
 * under /usr/bin/time; medians of the CPU time (user + sys of the CLI and its ffmpeg) and of the
 * wall time, and their ratios to the plain composition. On a shared, loaded machine wall time says
 * little (other jobs take the cores); CPU time is what the look fields add. Media are made with
 * ffmpeg's own sources in bench/.work/look.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'bench', '.work', 'look');
const FFMPEG = process.env.MONTAGE_FFMPEG ?? 'ffmpeg';
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Number(values.rounds));

mkdirSync(DIR, { recursive: true });
const ff = (...a: string[]) => execFileSync(FFMPEG, ['-v', 'error', '-y', ...a]);
ff('-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30:d=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(DIR, 'bg.mp4'));
ff('-f', 'lavfi', '-i', 'color=c=0x00b140:s=640x360:r=30:d=4,drawbox=x=200:y=60:w=240:h=300:color=0xe8b090:t=fill', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(DIR, 'green.mp4'));
ff('-f', 'lavfi', '-i', 'mandelbrot=s=1024x576', '-frames:v', '1', join(DIR, 'still.jpg'));
ff('-f', 'lavfi', '-i', 'color=c=black:s=256x144,drawbox=x=64:y=0:w=128:h=144:color=white:t=fill', '-frames:v', '1', join(DIR, 'mask.png'));
ff('-f', 'lavfi', '-i', 'color=c=white:s=128x72:r=30:d=4[w];color=c=black:s=128x72:r=30:d=4[b];[w][b]hstack,crop=w=128:h=72:x=128-128*min(1\\,t/3):y=0', '-c:v', 'libx264', '-preset', 'ultrafast', join(DIR, 'matte.mp4'));

const pip = (extra: object = {}, asset: object = { type: 'image', src: 'still.jpg' }) => ({
  output: { width: 640, height: 360, fps: 30, quality: 'medium' },
  tracks: [
    { clips: [{ asset: { type: 'video', src: 'bg.mp4', muted: true }, start: 0, length: 3 }] },
    { clips: [{ asset, start: 0, length: 3, scale: 0.45, position: 'bottomRight', offset: { x: -0.04, y: -0.05 }, ...extra }] },
  ],
});
const VARIANTS: Record<string, object> = {
  'plain picture-in-picture (image)': pip(),
  'flip + crop': pip({ flip: 'horizontal', crop: { left: 0.1, right: 0.1 } }),
  'radius 24 + border 5': pip({ radius: 24, border: { color: '#ffffff', width: 5 } }),
  'shadow blur 16 (still picture)': pip({ shadow: { color: '#000000aa', blur: 16, x: 0, y: 8 } }),
  'mask: image': pip({ mask: { src: 'mask.png' } }),
  'mask: video': pip({ mask: { src: 'matte.mp4' } }),
  'blend screen (fixed place)': pip({ blend: 'screen' }),
  'blend multiply (moving, frame-sized)': pip({ blend: 'multiply', keyframes: { x: [{ time: 0, value: 0 }, { time: 3, value: -0.3 }] } }),
  'plain picture-in-picture (video)': pip({}, { type: 'video', src: 'green.mp4' }),
  'chromaKey (video)': pip({ chromaKey: { color: '#00b140' } }, { type: 'video', src: 'green.mp4' }),
  'shadow blur 16 (video)': pip({ shadow: { color: '#000000aa', blur: 16, x: 0, y: 8 } }, { type: 'video', src: 'green.mp4' }),
  'all of them (video)': pip({ flip: 'horizontal', crop: { left: 0.1 }, chromaKey: { color: '#00b140' }, mask: { src: 'mask.png' }, radius: 24,
    border: { color: '#ffffff', width: 5 }, shadow: { color: '#000000aa', blur: 16, x: 0, y: 8 }, blend: 'screen' }, { type: 'video', src: 'green.mp4' }),
};

/** Renders with the CLI (sources resolve next to the composition file); returns [cpu s, wall s]. */
const render = (raw: object): [number, number] => {
  const workDir = mkdtempSync(join(DIR, 'work-'));
  try {
    writeFileSync(join(DIR, 'variant.json'), JSON.stringify(raw));
    const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %e', join(ROOT, 'bin', 'montage'), 'render', join(DIR, 'variant.json'), '-o', join(workDir, 'out.mp4')], { encoding: 'utf8' });
    const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`render failed: ${r.stderr}`);
    return [Number(m[1]) + Number(m[2]), Number(m[3])];
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
};

const names = Object.keys(VARIANTS);
const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
const wall = new Map<string, number[]>(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
  for (const n of order) {
    const [c, w] = render(VARIANTS[n]);
    cpu.get(n)!.push(c);
    wall.get(n)!.push(w);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseOf = (n: string) => (n.endsWith('(video)') ? 'plain picture-in-picture (video)' : names[0]);
console.log(`| variant (${rounds} rounds, medians) | CPU s | × plain | wall s | × plain |`);
console.log('|---|---:|---:|---:|---:|');
for (const n of names) {
  const [c, w] = [median(cpu.get(n)!), median(wall.get(n)!)];
  const [bc, bw] = [median(cpu.get(baseOf(n))!), median(wall.get(baseOf(n))!)];
  console.log(`| ${n} | ${c.toFixed(2)} | ${(c / bc).toFixed(2)} | ${w.toFixed(2)} | ${(w / bw).toFixed(2)} |`);
}
