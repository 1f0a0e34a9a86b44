/**
 * `node --import tsx bench/piece-cache-bench.ts [--renders N] [--seconds S] [--size WxH] [--piece-seconds P,...]`
 * (`--piece-seconds 0` = the default length for the output size, src/render/piece-grid.ts)
 *
 * The template batch of issue 17, scaled to fit a shared 2-core machine by default: N renders of an
 * S-second video (a moving background video and a `{{name}}` title shown in seconds 2–8 only), each
 * with another name, rendered through the real engine in this process (so the CLI's start-up is in
 * neither column): with the piece cache off, then with it on for each piece length. Reports total
 * wall times, the ratio cache-on ÷ cache-off, pieces reused, and for every cached output its
 * lowest frame SSIM against its cold twin and both frame counts. The first cache-on render is the
 * "cold render with the cache on and empty" figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRenderEngine } from '../src/render/engine.ts';
import { openCliPieceCache } from '../src/cli/cli-piece-cache.ts';

const FFMPEG = process.env.MONTAGE_FFMPEG ?? 'ffmpeg';
const FFPROBE = process.env.MONTAGE_FFPROBE ?? 'ffprobe';
const { values } = parseArgs({ options: { renders: { type: 'string' }, seconds: { type: 'string' }, size: { type: 'string' }, 'piece-seconds': { type: 'string' } } });
const N = Number(values.renders ?? 5);
const S = Number(values.seconds ?? 20);
const [W, H] = (values.size ?? '640x360').split('x').map(Number);
const PIECES = (values['piece-seconds'] ?? '2,4').split(',').map(Number);
const NAMES = ['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Margaret', 'Ken', 'Radia', 'Leslie', 'Hedy', 'Alan', 'Karen', 'Niklaus', 'Sophie', 'Tony', 'Lynn', 'Dennis', 'Shafi'];

const dir = mkdtempSync(join(tmpdir(), 'montage-piece-bench-'));
const ff = (...a: string[]) => execFileSync(FFMPEG, ['-hide_banner', '-v', 'error', '-y', ...a], { maxBuffer: 1 << 28 });
ff('-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=30:d=${S}`, '-f', 'lavfi', '-i', `sine=f=330:d=${S}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-c:a', 'aac', '-shortest', join(dir, 'bg.mp4'));
const composition = {
  output: { format: 'mp4', width: W, height: H, fps: 30, quality: 'medium' },
  tracks: [
    { clips: [{ asset: { type: 'video', src: 'bg.mp4' }, start: 0, length: S }] },
    { clips: [{ asset: { type: 'text', text: 'Hello {{name}}', font: { size: Math.round(H / 8), color: '#ffffff' } }, start: 2, length: 6 }] },
  ],
};
const engine = createRenderEngine({ ffmpegPath: FFMPEG, ffprobePath: FFPROBE });
const render = async (name: string, out: string, cacheDir?: string, pieceSeconds?: number) => {
  const { composition: c } = engine.validate(composition, { name });
  const workDir = mkdtempSync(join(dir, 'work-'));
  const cache = cacheDir ? openCliPieceCache(cacheDir) : undefined;
  const t0 = performance.now();
  try {
    const r = await engine.render({
      composition: c, workDir, outputPath: out, resolveSrc: async (src) => join(dir, src),
      ...(cache ? { pieceCache: { cache: cache.cache, tenant: 'bench', pieceSeconds }, chunks: process.env.BENCH_PARALLEL ? Number(process.env.BENCH_PARALLEL) : undefined } : {}),
    });
    return { seconds: (performance.now() - t0) / 1000, pieces: r.pieces };
  } finally { cache?.close(); rmSync(workDir, { recursive: true, force: true }); }
};
const frames = (f: string) => Number(execFileSync(FFPROBE, ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', f]).toString().trim());
const minSsim = (a: string, b: string) => {
  const stats = join(dir, 'ssim.txt');
  ff('-i', a, '-i', b, '-lavfi', `[0:v][1:v]ssim=stats_file=${stats}`, '-f', 'null', '-');
  return Math.min(...execFileSync('cat', [stats]).toString().trim().split('\n').map((l) => Number(/All:([\d.]+)/.exec(l)![1])));
};

mkdirSync(join(dir, 'out'));
let off = 0;
for (let i = 0; i < N; i++) off += (await render(NAMES[i % NAMES.length], join(dir, 'out', `cold-${i}.mp4`))).seconds;
console.log(`template batch: ${N} renders of ${S} s at ${W}x${H}, 30 fps, quality medium; cache off: ${off.toFixed(1)} s total`);
for (const p of PIECES) {
  const cacheDir = join(dir, `cache-${p}`);
  let on = 0;
  let first = 0;
  let reused = 0;
  let total = 0;
  let worst = 1;
  let sameFrames = true;
  for (let i = 0; i < N; i++) {
    const out = join(dir, 'out', `cached-${p}-${i}.mp4`);
    const r = await render(NAMES[i % NAMES.length], out, cacheDir, p || undefined);
    if (i === 0) first = r.seconds;
    on += r.seconds; reused += r.pieces!.reused; total += r.pieces!.total;
    const cold = join(dir, 'out', `cold-${i}.mp4`);
    worst = Math.min(worst, minSsim(cold, out));
    sameFrames &&= frames(cold) === frames(out);
  }
  console.log(`  pieces of ${p || 'default'} s: cache on ${on.toFixed(1)} s total = ${(on / off).toFixed(2)}× off; first (empty cache) ${first.toFixed(1)} s vs ${(off / N).toFixed(1)} s mean cold; ` +
    `pieces reused ${reused}/${total}; lowest frame SSIM vs cold twin ${worst.toFixed(4)}; same frame counts: ${sameFrames}`);
}
rmSync(dir, { recursive: true, force: true });
