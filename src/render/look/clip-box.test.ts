// A clip whose keyed scale would draw its box past MAX_SIDE keeps its shape: the box is drawn
// smaller on both sides alike and enlarged back per frame (Shotstack's zoom transition keys a
// clip from 10×). Rendered and measured: each side capped on its own made a 100 px square 80 px wide.
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

test('a huge fixed scale, turned, renders: its box is drawn at most MAX_SIDE a side, not enlarged whole', async () => {
  // A fixed scale past MAX_SIDE was briefly drawn smaller and enlarged back per frame, as a keyed
  // scale is: at scale 50 and 45° the enlarged box was a square of tens of thousands of pixels, and
  // ffmpeg failed with "Cannot allocate memory". The picture is squeezed on its longer side instead
  // (the limit written in clip-box.ts), and the part the frame shows is drawn.
  const dir = mkdtempSync(join(tmpdir(), 'montage-clip-box-'));
  try {
    const dot = join(dir, 'red.png');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x36', '-frames:v', '1', dot]);
    const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
    const { composition } = engine.validate({
      output: { format: 'png', width: 320, height: 180 },
      tracks: [{ clips: [{ asset: { type: 'image', src: dot }, start: 0, length: 1, scale: 50, rotate: 45 }] }],
    });
    const out = join(dir, 'huge.png');
    await engine.render({ composition, workDir: dir, outputPath: out, resolveSrc: async (s) => s });
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
    assert.ok(rgb[3 * (90 * 320 + 160)] > 200 && rgb[3 * (90 * 320 + 160) + 1] < 60, 'the frame is filled with the red picture');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
