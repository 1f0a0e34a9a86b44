/**
 * Golden plans of the clip look: one composition using every look field with transitions,
 * keyframes, rotation and opacity, planned whole and as chunks. Pure: probes and rasters are data.
 * Accept a reviewed change with `UPDATE_GOLDEN=1 node --import tsx --test src/render/look/plan-look.golden.test.ts`.
 */
import { test } from 'node:test';
import type { MediaInfo } from '../../assets/media-info.ts';
import { validateComposition } from '../../composition/validate-composition.ts';
import { buildTimeline, type Timeline } from '../timeline.ts';
import { planRender } from '../plan-render.ts';
import { planChunked } from '../chunk-plan.ts';
import { clipBox } from './clip-box.ts';
import { describePlan, expectGoldenPlan } from '../../../test/support/golden-plans.ts';

const MEDIA = new Map<string, MediaInfo>([
  ['slide.jpg', { path: '/media/slide.jpg', container: 'image2', video: { codec: 'mjpeg', width: 1600, height: 900, still: true, hasAlpha: false } }],
  ['presenter.mp4', { path: '/media/presenter.mp4', container: 'mov,mp4,m4a,3gp,3g2,mj2', duration: 8, video: { codec: 'h264', width: 1280, height: 720, fps: 30, still: false, hasAlpha: false } }],
  ['matte.mp4', { path: '/media/matte.mp4', container: 'mov,mp4,m4a,3gp,3g2,mj2', duration: 3, video: { codec: 'h264', width: 640, height: 360, fps: 30, still: false, hasAlpha: false } }],
  ['texture.png', { path: '/media/texture.png', container: 'png_pipe', video: { codec: 'png', width: 512, height: 512, still: true, hasAlpha: true } }],
]);

const COMPOSITION = {
  output: { width: 640, height: 360, fps: 25, quality: 'draft' },
  tracks: [
    { clips: [{ asset: { type: 'image', src: 'slide.jpg' }, start: 0, length: 6, effect: 'zoomIn', crop: { top: 0.1, bottom: 0.1 }, flip: 'horizontal' }] },
    { clips: [{
      asset: { type: 'video', src: 'presenter.mp4', trim: 1 }, start: 0.5, length: 5, scale: 0.4, position: 'bottomRight', offset: { x: -0.03, y: -0.04 },
      chromaKey: { color: '#00b140', similarity: 0.35 }, radius: 24, border: { color: '#ffffff', width: 4 },
      shadow: { color: '#00000099', blur: 12, x: 6, y: 8 }, transition: { in: 'wipeRight', out: 'fade', duration: 0.6 },
      keyframes: { rotate: [{ time: 0, value: -4 }, { time: 5, value: 4 }] },
    }] },
    { clips: [
      { asset: { type: 'color', color: '#ff6600' }, start: 1, length: 3, scale: 0.5, mask: { src: 'matte.mp4', mode: 'luma', invert: true }, blend: 'screen', opacity: 0.8 },
      { asset: { type: 'image', src: 'texture.png' }, start: 0, length: 6, fit: 'cover', blend: 'multiply', mask: { src: 'texture.png', mode: 'alpha' } },
    ] },
  ],
};

/** The timeline with its look rasters named as look-rasters.ts names them, without writing them. */
const timeline = (): Timeline => {
  const { composition } = validateComposition(COMPOSITION);
  const tl = buildTimeline(composition, { media: MEDIA, rasters: new Map(), cues: new Map() });
  return {
    ...tl,
    clips: tl.clips.map((c) => {
      if (!c.look || (!c.look.radius && !c.look.border)) return c;
      const { B } = clipBox(c, tl.frame);
      const at = (kind: string) => ({ path: `/work/look-${c.id}-${kind}.png`, width: B.w, height: B.h });
      return { ...c, look: { ...c.look, frame: { ...(c.look.radius ? { mask: at('corners') } : {}), ...(c.look.border ? { border: at('border') } : {}) } } };
    }),
  };
};


const opts = { outputPath: '/out/out.mp4', workDir: '/work' };

test('golden plan: every look field, with a wipe, a fade, keyframed rotation, opacity and Ken Burns', () => {
  expectGoldenPlan('look-mp4', describePlan(planRender(timeline(), opts)));
});

test('golden plan: the same, chunked in two (the video mask and key pick up at the seam)', () => {
  const c = planChunked(timeline(), { ...opts, parts: 2, threads: 1 });
  expectGoldenPlan('look-chunked-mp4', c.parts.map((p) => describePlan(p)).join('\n'));
});
