/**
 * Golden plans of the (1.1) motion planning: reveal masks (a map thresholded per frame), blur,
 * pixelate, spin, flips, pop, eased slides, Bézier and Penner keyframes, blur keyframes. As in
 * plan-render.golden.test.ts, a change shows as a diff of test/golden/plans/motion-*.txt; accept it
 * with `UPDATE_GOLDEN=1 node --import tsx --test src/render/transitions/transitions.golden.test.ts`.
 * Binary side files (reveal maps) are pinned by size and hash.
 */
import { test } from 'node:test';
import type { MediaInfo } from '../../assets/media-info.ts';
import { validateComposition } from '../../composition/validate-composition.ts';
import { buildTimeline } from '../timeline.ts';
import { planRender } from '../plan-render.ts';
import { describePlan, expectGoldenPlan } from '../../../test/support/golden-plans.ts';

const MEDIA = new Map<string, MediaInfo>([
  ['a.jpg', { path: '/media/a.jpg', container: 'image2', video: { codec: 'mjpeg', width: 1600, height: 1200, still: true, hasAlpha: false } }],
]);


const plan = (raw: unknown) => planRender(buildTimeline(validateComposition(raw).composition, { media: MEDIA, rasters: new Map(), cues: new Map() }), { outputPath: '/out/out.mp4', workDir: '/work' });

test('golden plan: every (1.1) transition kind and easing form on one timeline', () => {
  const kinds = ['wipeDownRight', 'iris', 'clock', 'barnDoorHorizontal', 'dissolve', 'blur', 'pixelate', 'spin', 'flipX', 'pop'];
  const clips = kinds.map((kind, i) => ({
    asset: { type: 'color', color: '#3366cc' }, start: i, length: 1, scale: 0.5,
    transition: { in: kind, out: kind === 'pop' ? 'flipY' : kind, duration: 0.4, ...(i % 3 === 1 ? { easing: [0.68, -0.6, 0.32, 1.6] } : {}) },
  }));
  expectGoldenPlan('motion-transitions-mp4', describePlan(plan({
    output: { width: 320, height: 180, fps: 10 },
    tracks: [
      { clips: [{ asset: { type: 'image', src: 'a.jpg' }, start: 0, length: 10, keyframes: { blur: [{ time: 0, value: 0 }, { time: 1, value: 4, easing: 'easeOutBounce' }] } }] },
      { clips },
      { clips: [{ asset: { type: 'color', color: '#ffffff' }, start: 0, length: 10, scale: 0.1,
        transition: { in: 'slideUp', easing: 'easeOutBack' },
        keyframes: { x: [{ time: 0, value: -0.3, easing: 'easeInOutElastic' }, { time: 4, value: 0.3, easing: 'hold' }, { time: 6, value: 0 }] } }] },
    ],
  })));
});

test('golden plan: volume keyframes on a clip heard from part-way (range)', () => {
  const media = new Map(MEDIA);
  media.set('voice.wav', { path: '/media/voice.wav', container: 'wav', duration: 5, audio: { codec: 'pcm_s16le', channels: 2, sampleRate: 48000 } });
  const { composition } = validateComposition({
    output: { format: 'wav', range: { start: 1, length: 3 } },
    tracks: [{ clips: [{ asset: { type: 'audio', src: 'voice.wav', volume: 0.8 }, start: 0.5, length: 'auto',
      keyframes: { volume: [{ time: 0, value: 1, easing: [0.25, 0.1, 0.25, 1] }, { time: 2, value: 0 }] } }] }],
  });
  const tl = buildTimeline(composition, { media, rasters: new Map(), cues: new Map() });
  expectGoldenPlan('motion-volume-wav', describePlan(planRender(tl, { outputPath: '/out/out.wav', workDir: '/work' })));
});
