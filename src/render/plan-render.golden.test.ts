/**
 * Golden tests of the pure core: composition → timeline → render plan → ffmpeg arguments, with no
 * I/O (probes and rasters are given as data). A change to a plan shows as a diff of a readable
 * file in test/golden/plans; after checking it renders right, accept it with
 * `UPDATE_GOLDEN=1 node --import tsx --test src/render/plan-render.golden.test.ts`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaInfo } from '../assets/media-info.ts';
import { validateComposition } from '../composition/validate-composition.ts';
import { buildTimeline, type CueRaster, type RasterRef } from './timeline.ts';
import { planRender } from './plan-render.ts';
import { planChunked, splitRange } from './chunk-plan.ts';
import { describePlan, expectGoldenPlan } from '../../test/support/golden-plans.ts';

const image = (path: string, width = 1600, height = 1200): MediaInfo => ({ path, container: 'image2', video: { codec: 'mjpeg', width, height, still: true, hasAlpha: false } });
const video = (path: string, duration = 10): MediaInfo => ({
  path, container: 'mov,mp4,m4a,3gp,3g2,mj2', duration,
  video: { codec: 'h264', width: 1920, height: 1080, fps: 30, still: false, hasAlpha: false },
  audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
});
const audio = (path: string, duration = 5): MediaInfo => ({ path, container: 'wav', duration, audio: { codec: 'pcm_s16le', channels: 2, sampleRate: 48000 } });

const MEDIA = new Map<string, MediaInfo>([
  ['a.jpg', image('/media/a.jpg')], ['b.jpg', image('/media/b.jpg', 1200, 1600)],
  ['clip.mp4', video('/media/clip.mp4')], ['voice.wav', audio('/media/voice.wav')], ['music.mp3', audio('/media/music.mp3', 7)],
]);

const plan = (raw: unknown, rasters: Record<string, RasterRef> = {}, cues: Record<string, CueRaster[]> = {}) => {
  const { composition } = validateComposition(raw);
  return buildTimeline(composition, { media: MEDIA, rasters: new Map(Object.entries(rasters)), cues: new Map(Object.entries(cues)) });
};


const opts = { outputPath: '/out/out.mp4', workDir: '/work' };

describe('golden render plans', () => {
  test('slideshow: Ken Burns stills, a crossfade, a title, soundtrack ducked under a voice-over', () => {
    const tl = plan({
      output: { width: 1280, height: 720, fps: 30 },
      background: '#101018',
      soundtrack: { src: 'music.mp3', fadeIn: 0.5, fadeOut: 1, duck: 0.3 },
      tracks: [
        { clips: [
          { asset: { type: 'image', src: 'a.jpg' }, start: 0, length: 4.5, effect: 'zoomIn' },
          { asset: { type: 'image', src: 'b.jpg' }, start: 3.75, length: 4.5, effect: 'panRight', fit: 'contain', transition: { in: 'fade', duration: 0.75 } },
        ] },
        { clips: [{ asset: { type: 'text', text: 'Hello' }, start: 0.5, length: 3, transition: { in: 'fade', out: 'fade' } }] },
        { clips: [{ asset: { type: 'audio', src: 'voice.wav', volume: 1.5, fadeIn: 0.2 }, start: 2, length: 'auto' }] },
      ],
    }, { '/tracks/1/clips/0': { path: '/work/text-0.png', width: 300, height: 80 } });
    expectGoldenPlan('slideshow-mp4', describePlan(planRender(tl, opts)));
  });

  test('video clip: trim, speed, volume, grayscale, wipe in, slide out, keyframed rotation and position', () => {
    const tl = plan({
      output: { format: 'webm', width: 640, height: 360, fps: 25, quality: 'high' },
      tracks: [{ clips: [
        { asset: { type: 'color', color: '#224466' }, start: 0, length: 6 },
        { asset: { type: 'video', src: 'clip.mp4', trim: 2, speed: 1.5, volume: 0.5 }, start: 1, length: 4, filter: 'grayscale', scale: 0.5,
          transition: { in: 'wipeRight', out: 'slideLeft', duration: 1 },
          keyframes: { rotate: [{ time: 0, value: 0 }, { time: 4, value: 90, easing: 'easeInOut' }], x: [{ time: 0, value: -0.2 }, { time: 2, value: 0.2, easing: 'easeOut' }] } },
      ] }],
    });
    expectGoldenPlan('video-webm', describePlan(planRender(tl, opts)));
  });

  test('gif with captions cues and a shape zooming in', () => {
    const tl = plan({
      output: { format: 'gif', width: 320, height: 180, fps: 10, quality: 'low' },
      tracks: [{ clips: [
        { asset: { type: 'shape', shape: 'circle', width: 80, height: 80, fill: '#ff0000' }, start: 0, length: 2, position: 'topRight', transition: { in: 'zoom' } },
        { asset: { type: 'captions', cues: [{ start: 0, end: 1, text: 'one' }, { start: 1, end: 2, text: 'two' }] }, start: 0, length: 2 },
      ] }],
    }, { '/tracks/0/clips/0': { path: '/work/shape-0.png', width: 80, height: 80 } }, {
      '/tracks/0/clips/1': [{ path: '/work/cue-0.png', width: 60, height: 30, start: 0, end: 1 }, { path: '/work/cue-1.png', width: 60, height: 30, start: 1, end: 2 }],
    });
    expectGoldenPlan('captions-gif', describePlan(planRender(tl, { ...opts, outputPath: '/out/out.gif' })));
  });

  test('png still at output.frame', () => {
    const tl = plan({ output: { format: 'png', width: 640, height: 360, frame: 1.5 }, tracks: [{ clips: [{ asset: { type: 'image', src: 'a.jpg' }, start: 0, length: 3, effect: 'zoomOut' }] }] });
    expectGoldenPlan('still-png', describePlan(planRender(tl, { ...opts, outputPath: '/out/out.png' })));
  });

  test('audio only: mp3 of a looped soundtrack with a clip’s sound', () => {
    const tl = plan({ output: { format: 'mp3', duration: 12 }, soundtrack: { src: 'music.mp3', volume: 0.8, trim: 1, loop: true, duck: 0.5 }, tracks: [{ clips: [{ asset: { type: 'video', src: 'clip.mp4', muted: false }, start: 3, length: 2 }] }] });
    expectGoldenPlan('audio-mp3', describePlan(planRender(tl, { ...opts, outputPath: '/out/out.mp3' })));
  });

  test('chunked: parts on GOP boundaries, audio mixed once, a stream-copy join', () => {
    const tl = plan({ output: { width: 640, height: 360, fps: 30, quality: 'draft' }, tracks: [{ clips: [
      { asset: { type: 'image', src: 'a.jpg' }, start: 0, length: 5, effect: 'panLeft' },
      { asset: { type: 'video', src: 'clip.mp4' }, start: 4, length: 6, transition: { in: 'fade', duration: 1 } },
    ] }] });
    assert.deepEqual(splitRange(tl, 2).map((r) => [r.start, r.end, r.frames]), [[0, 6, 180], [6, 10, 120]]);
    const c = planChunked(tl, { ...opts, parts: 2, threads: 1, filterThreads: 1 });
    expectGoldenPlan('chunked-mp4', [...c.parts.map((p) => describePlan(p)), describePlan(c.audio!), `# join: ffmpeg ${c.join.args.join(' ')}`, c.join.list].join('\n'));
  });

  test('a moving still\'s colour filter is drawn on its one frame, before the repeat; a video\'s and a blur on every frame', () => {
    const graphOf = (clip: Record<string, unknown>) => planRender(plan({ output: { width: 640, height: 360, fps: 30 }, tracks: [{ clips: [{ start: 0, length: 3, ...clip }] }] }), opts).filterGraph;
    const before = (g: string, a: string, b: string) => g.indexOf(a) >= 0 && g.indexOf(b) >= 0 && g.indexOf(a) < g.indexOf(b);
    for (const effect of ['zoomIn', 'zoomOut', 'panRight']) {
      assert.ok(before(graphOf({ asset: { type: 'image', src: 'a.jpg' }, effect, filter: 'sepia' }), 'colorchannelmixer', 'loop='), `${effect}: sepia before the loop`);
      assert.ok(before(graphOf({ asset: { type: 'image', src: 'a.jpg' }, effect, filter: 'invert' }), 'negate', 'loop='), `${effect}: invert before the loop`);
      assert.ok(before(graphOf({ asset: { type: 'image', src: 'a.jpg' }, effect, filter: 'blur' }), 'loop=', 'gblur'), `${effect}: blur after the loop (its radius is the output's)`);
    }
    assert.ok(graphOf({ asset: { type: 'video', src: 'clip.mp4' }, filter: 'sepia' }).includes('colorchannelmixer'), 'a video is filtered (on every frame)');
  });
});
