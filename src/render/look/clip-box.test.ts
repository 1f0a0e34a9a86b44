// A clip whose keyed scale would draw its box past MAX_SIDE keeps its shape: the box is drawn
// smaller on both sides alike and enlarged back per frame (Shotstack's zoom transition keys a
// clip from 10×). Rendered and measured: each side capped on its own made a 100 px square 80 px wide.
// So does a fixed scale whose box passes it, at its size: `scale: 30` in a 320×180 frame (a 9600 px box).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderEngine } from '../engine.ts';

test('a keyed scale past MAX_SIDE keeps the picture\'s shape', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-clip-box-'));
  try {
    const [W, H] = [1024, 576];
    const sq = join(dir, 'sq.png');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=black:s=${W}x${H},drawbox=x=462:y=238:w=100:h=100:color=red:t=fill`, '-frames:v', '1', sq]);
    const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
    const { composition } = engine.validate({
      output: { format: 'mp4', width: W, height: H, fps: 5 },
      tracks: [{ clips: [{ asset: { type: 'image', src: sq }, start: 0, length: 0.6, keyframes: { scale: [{ time: 0, value: 10 }, { time: 0.2, value: 1 }] } }] }],
    });
    const out = join(dir, 'a.mp4');
    await engine.render({ composition, workDir: dir, outputPath: out, resolveSrc: async (s) => s });
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-ss', '0.4', '-i', out, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
    const red = (x: number, y: number) => rgb[3 * (y * W + x)] > 128;
    const xs = Array.from({ length: W }, (_, x) => x).filter((x) => red(x, H / 2));
    const ys = Array.from({ length: H }, (_, y) => y).filter((y) => red(W / 2, y));
    const [w, h] = [xs.at(-1)! - xs[0] + 1, ys.at(-1)! - ys[0] + 1];
    assert.ok(Math.abs(w - 100) <= 2 && Math.abs(h - 100) <= 2, `the square is 100 × 100 at scale 1: ${w} × ${h}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fixed scale past MAX_SIDE keeps the picture\'s shape and size, and its border its width, a pan\'s content too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-clip-box-'));
  try {
    const [W, H] = [320, 180];
    const dot = join(dir, 'dot.png');
    // A 4 px red square at the centre of a white 320×180 picture: at scale 30, 120 px square.
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=white:s=${W}x${H},format=rgb24,drawbox=x=158:y=88:w=4:h=4:color=red:t=fill`, '-frames:v', '1', dot]);
    const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
    const render = async (name: string, clip: object, frame = 0) => {
      const { composition } = engine.validate({
        output: { format: 'png', width: W, height: H, frame },
        tracks: [{ clips: [{ asset: { type: 'image', src: dot }, start: 0, length: 1, scale: 30, ...clip }] }],
      });
      const out = join(dir, `${name}.png`);
      await engine.render({ composition, workDir: dir, outputPath: out, resolveSrc: async (s) => s });
      return execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
    };
    const rgb = await render('centre', {});
    const red = (x: number, y: number) => rgb[3 * (y * W + x) + 1] < 128;
    const xs = Array.from({ length: W }, (_, x) => x).filter((x) => red(x, H / 2));
    const ys = Array.from({ length: H }, (_, y) => y).filter((y) => red(W / 2, y));
    const [w, h] = [xs.at(-1)! - xs[0] + 1, ys.at(-1)! - ys[0] + 1];
    assert.ok(Math.abs(w - 120) <= 3 && Math.abs(h - 120) <= 3, `the square is 120 × 120 at scale 30: ${w} × ${h}`);
    // The box's top-left corner in view: its 6 px blue border is 6 px wide in the frame, not 6 ÷ 0.85.
    const edge = await render('corner', { position: 'topLeft', border: { color: '#0000ff', width: 6 } });
    const blue = (x: number, y: number) => edge[3 * (y * W + x) + 2] > 200 && edge[3 * (y * W + x)] < 128;
    const run = Array.from({ length: 20 }, (_, x) => x).filter((x) => blue(x, H / 2)).length;
    assert.ok(run >= 5 && run <= 7, `the border is 6 px wide: ${run}`);
    // A pan reads content 1.15× the box: at scale 25 the box (8000 px) fits, its content (9200) did
    // not, and was cut to 8192 across only: the square 102 × 114 instead of 115 × 115.
    // (Half-way through the pan the square is at the frame's centre.)
    const pan = await render('pan', { scale: 25, effect: 'panUp', length: 2 }, 1);
    const redP = (x: number, y: number) => pan[3 * (y * W + x) + 1] < 128;
    const pxs = Array.from({ length: W }, (_, x) => x).filter((x) => Array.from({ length: H }, (_, y) => y).some((y) => redP(x, y)));
    const pys = Array.from({ length: H }, (_, y) => y).filter((y) => Array.from({ length: W }, (_, x) => x).some((x) => redP(x, y)));
    const [pw, ph] = [pxs.at(-1)! - pxs[0] + 1, pys.at(-1)! - pys[0] + 1];
    assert.ok(Math.abs(pw - ph) <= 3 && Math.abs(pw - 115) <= 4, `the panned square is 115 × 115: ${pw} × ${ph}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
