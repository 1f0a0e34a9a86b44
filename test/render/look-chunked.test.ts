/**
 * Every look field at once, with transitions, keyframes, rotation, opacity and Ken Burns: the
 * render holds what each field promises, and a chunked render is the same video frame for frame
 * (a video mask and a keyed video pick up at the seam exactly where they were).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quadrantImage, segmentVideo } from '../support/media-fixtures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { createRenderHarness } from '../support/render-harness.ts';
import { createLocalSrcResolver } from '../../src/cli/local-src-resolver.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { EMPTY_ALLOW_LIST } from '../../src/assets/allow-list.ts';
import { decodeFrames, extentOf, frameAt, luma, patch } from '../support/decoded-pictures.ts';

const h = createRenderHarness('look-chunks');
after(() => h.dispose());

before(async () => {
  await quadrantImage(h.dir, 'quad.png', 640, 360);
  await segmentVideo(h.dir, 'green.mp4', { width: 320, height: 180, fps: 10, colours: ['#00ff00', '#00ff00', '#00ff00', '#00ff00'] });
  // A luma matte: white for 2 s, then black.
  await segmentVideo(h.dir, 'matte.mp4', { width: 64, height: 36, fps: 10, colours: ['#ffffff', '#ffffff', '#000000'] });
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=0x808080:s=64x64:d=1,format=rgb24', '-frames:v', '1', `${h.dir}/grey.png`);
});

const COMPOSITION = {
  output: { width: 320, height: 180, fps: 10, quality: 'high' },
  background: '#ffffff',
  tracks: [
    { clips: [{ asset: { type: 'image', src: 'quad.png' }, start: 0, length: 4, effect: 'zoomIn', flip: 'horizontal', crop: { top: 0.1 } }] },
    { clips: [{
      asset: { type: 'video', src: 'green.mp4' }, start: 0, length: 4, scale: 0.4, position: 'topLeft', offset: { x: 0.05, y: 0.05 },
      chromaKey: { color: '#00ff00' }, radius: 10, border: { color: '#ff00ff', width: 4 }, shadow: { color: '#000000', blur: 4, x: 6, y: 6 },
      transition: { in: 'wipeRight', out: 'fade', duration: 0.5 }, keyframes: { rotate: [{ time: 0, value: 0 }, { time: 4, value: 10 }] },
    }] },
    { clips: [
      { asset: { type: 'color', color: '#ff8000' }, start: 0.5, length: 3.5, scale: 0.3, position: 'bottomRight', mask: { src: 'matte.mp4' }, opacity: 0.9,
        keyframes: { x: [{ time: 0, value: 0 }, { time: 3.5, value: -0.1 }] } },
      { asset: { type: 'image', src: 'grey.png' }, start: 0, length: 4, fit: 'fill', blend: 'multiply', transition: { in: 'fade', duration: 1 } },
    ] },
  ],
};

const render = async (name: string, chunks: number) => {
  const { composition } = h.engine.validate(COMPOSITION);
  const workDir = mkdtempSync(join(h.dir, `work-${name}-`));
  const outputPath = join(h.dir, `${name}.mp4`);
  await h.engine.render({ composition, workDir, outputPath, chunks, resolveSrc: createLocalSrcResolver({ baseDir: h.dir, workDir, fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }) }) });
  return outputPath;
};

test('every look field at once renders what each promises, and chunked is the same frame for frame (SSIM ≥ 0.98)', async () => {
  const one = await render('one', 1);
  const two = await render('two', 2);
  const frames = await decodeFrames(one);
  assert.equal(frames.length, 40);
  const f = frameAt(frames, 10, 1.5);
  // The whole frame is multiplied by 50 % grey (fully in after 1 s): white background reads ~128.
  // Quadrants flipped: green top-left (under the keyed video, which is transparent but bordered).
  const g = patch(f, 60, 60);
  assert.ok(g[1] > 90 && g[0] < 40 && g[2] < 40, `keyed: the flipped quadrant (green, halved by the multiply) shows through: ${g.join(',')}`);
  // The border (magenta, halved by the multiply) rings the turning box: 4 px around a 128×72 box.
  const border = extentOf(f, (c) => c[0] > 90 && c[2] > 90 && c[1] < 40, { x: 0, y: 0, w: 160, h: 100 });
  assert.ok(border && border.count > 800 && border.width > 120 && border.height > 70, `the border: ${JSON.stringify(border)}`);
  // The masked orange box lies on top of the multiply (later in its track): full orange at 90 %.
  const orange = patch(f, 280, 150);
  assert.ok(orange[0] > 200 && orange[1] > 90 && orange[1] < 150 && orange[2] < 40, `the masked orange box shows while its matte is white: ${orange.join(',')}`);
  const late = patch(frameAt(frames, 10, 2.8), 280, 150);
  assert.ok(late[2] > 90 && late[0] < 40, `and is gone once the matte turns black (the halved blue quadrant beneath): ${late.join(',')}`);
  assert.ok(luma(patch(frameAt(frames, 10, 1.5), 160, 90)) < 160, 'the multiply darkens the middle');

  const stats = join(h.dir, 'ssim.txt');
  await ffmpeg('-i', one, '-i', two, '-lavfi', `[0:v][1:v]ssim=stats_file=${stats}`, '-f', 'null', '-');
  const ssim = readFileSync(stats, 'utf8').trim().split('\n').map((l) => Number(/All:([\d.]+)/.exec(l)![1]));
  assert.equal(ssim.length, 40);
  assert.ok(Math.min(...ssim) >= 0.98, `lowest frame SSIM ${Math.min(...ssim)} at frame ${ssim.indexOf(Math.min(...ssim))}`);
});
