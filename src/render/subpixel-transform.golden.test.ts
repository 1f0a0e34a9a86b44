/**
 * Golden plans of sub-pixel motion (subpixel-transform.ts): a zoom (perspective map of box-sized
 * content), a keyframed x move and a slide (two crops blended per axis, overlaid at the whole even
 * pixel), a keyframed scale that shrinks (scaled once, then mapped on a fixed canvas), and a clip
 * that rests at a fractional place between its slides (one constant blend). A change shows as a
 * diff of test/golden/plans/subpixel-*.txt; accept it with
 * `UPDATE_GOLDEN=1 node scripts/run-tests.mjs src/render/subpixel-transform`.
 */
import { test } from 'node:test';
import type { MediaInfo } from '../assets/media-info.ts';
import { validateComposition } from '../composition/validate-composition.ts';
import { buildTimeline } from './timeline.ts';
import { planRender } from './plan-render.ts';
import { describePlan, expectGoldenPlan } from '../../test/support/golden-plans.ts';

const MEDIA = new Map<string, MediaInfo>([
  ['a.jpg', { path: '/media/a.jpg', container: 'image2', video: { codec: 'mjpeg', width: 1600, height: 1200, still: true, hasAlpha: false } }],
]);

test('golden plan: zoom, keyframed x, slide, shrinking scale, fractional rest', () => {
  const still = { type: 'image', src: 'a.jpg' };
  const { composition } = validateComposition({
    output: { width: 320, height: 180, fps: 10 },
    tracks: [
      { clips: [{ asset: still, start: 0, length: 2, effect: 'zoomIn' }, { asset: still, start: 2, length: 2, effect: 'zoomOut' }] },
      { clips: [{ asset: still, start: 0, length: 2, scale: 0.3, keyframes: { x: [{ time: 0, value: -0.2 }, { time: 2, value: 0.2, easing: 'easeOut' }] } }] },
      { clips: [{ asset: still, start: 0, length: 2, scale: 0.3, keyframes: { scale: [{ time: 0, value: 0.5 }, { time: 2, value: 0.2 }] } }] },
      { clips: [{ asset: still, start: 2, length: 2, scale: 0.25, offset: { x: 0.0031, y: 0 }, transition: { in: 'slideUp', out: 'slideRight', duration: 0.5 } }] },
    ],
  });
  const tl = buildTimeline(composition, { media: MEDIA, rasters: new Map(), cues: new Map() });
  expectGoldenPlan('subpixel-motion-mp4', describePlan(planRender(tl, { outputPath: '/out/out.mp4', workDir: '/work' })));
});
