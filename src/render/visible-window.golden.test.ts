/**
 * Golden plan of the visible window (visible-window.ts): landscape sources cover-fitted into a
 * portrait frame (box 570×320 in 180×320) are cut to the window the frame shows, right after
 * sizing, and the effect runs on the window: a zoom about the box's centre (a window that keeps
 * the centre), a horizontal pan (the window plus the travel), a vertical pan (the window at the
 * middle of the overscan), a frozen video (its source cut before it is scaled, source-window.ts,
 * and cut before the freeze), and a clip with a slide that
 * keeps its whole box, and an iris whose mask is cut to the window. Accept a reviewed change with
 * `UPDATE_GOLDEN=1 node scripts/run-tests.mjs src/render/visible-window`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaInfo } from '../assets/media-info.ts';
import { validateComposition } from '../composition/validate-composition.ts';
import { buildTimeline } from './timeline.ts';
import { planRender } from './plan-render.ts';
import { describePlan, expectGoldenPlan } from '../../test/support/golden-plans.ts';

const MEDIA = new Map<string, MediaInfo>([
  ['land.jpg', { path: '/media/land.jpg', container: 'image2', video: { codec: 'mjpeg', width: 1920, height: 1080, still: true, hasAlpha: false } }],
  ['land.mp4', { path: '/media/land.mp4', container: 'mov,mp4,m4a,3gp,3g2,mj2', duration: 1, video: { codec: 'h264', width: 1920, height: 1080, fps: 30, duration: 1, still: false, hasAlpha: false } } as MediaInfo],
]);

test('golden plan: cover-fitted landscape sources cut to the visible window in a portrait frame', () => {
  const still = { type: 'image', src: 'land.jpg' };
  const { composition } = validateComposition({
    output: { width: 180, height: 320, fps: 10 },
    tracks: [
      { clips: [{ asset: still, start: 0, length: 1, fit: 'cover', effect: 'zoomIn' }, { asset: still, start: 1, length: 1, fit: 'cover', effect: 'panLeft' }] },
      { clips: [{ asset: still, start: 2, length: 1, fit: 'cover', effect: 'panUp' }, { asset: { type: 'video', src: 'land.mp4', extend: 'freeze' }, start: 3, length: 2, fit: 'cover' }] },
      { clips: [{ asset: still, start: 5, length: 1, fit: 'cover', effect: 'zoomIn', transition: { in: 'slideLeft', duration: 0.5 } }] },
      { clips: [{ asset: still, start: 6, length: 1, fit: 'cover', transition: { in: 'iris', duration: 0.5 } }] },
    ],
  });
  const tl = buildTimeline(composition, { media: MEDIA, rasters: new Map(), cues: new Map() });
  const text = describePlan(planRender(tl, { outputPath: '/out/out.mp4', workDir: '/work' }));
  // Zoom and pans at window size (the box would be 570 wide), the slide's clip on its whole box.
  assert.match(text, /crop=w=188:h=320:x=190:y=0:exact=1,loop/);
  assert.match(text, /perspective=.*x1='[^']*\+188\*/);

  assert.match(text, /format=gray,crop=w=188:h=320:x=190:y=0:exact=1,loop/);
  // The frozen video's played part: its source cut to the window's columns (source-window.ts),
  // scaled at the box's ratio (960 → 284 as 1920 → 568), then cut to the window.
  assert.match(text, /fps=10:start_time=0,crop=w=960:h=1080:x=480:y=0:exact=1,scale=284:320,setsar=1,format=yuv420p,crop=w=188:h=320:x=48:y=0:exact=1,tpad/);
  expectGoldenPlan('visible-window-mp4', text);
});
