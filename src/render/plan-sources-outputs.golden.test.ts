/**
 * Golden plans of the sources-and-outputs planning (issue 12): extend/reverse source segments and
 * their sound, a VP9-alpha source decoded with libvpx, a transparent ProRes 4444 mov at 29.97 fps,
 * a mono source, and the loudness gain on the mix. Accept a reviewed change with
 * `UPDATE_GOLDEN=1 node --import tsx --test src/render/plan-sources-outputs.golden.test.ts`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaInfo } from '../assets/media-info.ts';
import { validateComposition } from '../composition/validate-composition.ts';
import { MontageError } from '../errors/registry.ts';
import { buildTimeline } from './timeline.ts';
import { planRender } from './plan-render.ts';
import { sourcePlay, sourceSegments, soundSegments } from './source-segments.ts';
import { describePlan, expectGoldenPlan } from '../../test/support/golden-plans.ts';

const MEDIA = new Map<string, MediaInfo>([
  ['clip.mp4', { path: '/media/clip.mp4', container: 'mov,mp4', duration: 3, video: { codec: 'h264', width: 1920, height: 1080, fps: 30, still: false, hasAlpha: false }, audio: { codec: 'aac', channels: 2, sampleRate: 48000 } }],
  ['long.mp4', { path: '/media/long.mp4', container: 'mov,mp4', duration: 90, video: { codec: 'h264', width: 1920, height: 1080, fps: 30, still: false, hasAlpha: false } }],
  ['alpha.webm', { path: '/media/alpha.webm', container: 'matroska,webm', duration: 2, video: { codec: 'vp9', width: 640, height: 360, fps: 30, still: false, hasAlpha: true } }],
  ['voice.wav', { path: '/media/voice.wav', container: 'wav', duration: 2, audio: { codec: 'pcm_s16le', channels: 1, sampleRate: 48000 } }],
]);

const timeline = (raw: unknown) => buildTimeline(validateComposition(raw).composition, { media: MEDIA, rasters: new Map(), cues: new Map() });

const opts = { outputPath: '/out/out', workDir: '/work' };

describe('golden plans: sources and outputs', () => {
  test('extend loop, freeze and reverse with their sound, in a range that cuts a loop pass', () => {
    const tl = timeline({
      output: { width: 640, height: 360, fps: 30, duration: 8, range: { start: 2, length: 4 } },
      tracks: [
        { clips: [{ asset: { type: 'video', src: 'clip.mp4', trim: 1, extend: 'loop' }, start: 0, length: 8 }] },
        { clips: [{ asset: { type: 'video', src: 'clip.mp4', extend: 'freeze' }, start: 1, length: 4, scale: 0.5, position: 'topLeft' }] },
        { clips: [{ asset: { type: 'video', src: 'clip.mp4', reverse: true, speed: 2 }, start: 2, length: 1.5, scale: 0.5, position: 'bottomRight' }] },
        { clips: [{ asset: { type: 'audio', src: 'voice.wav', extend: 'loop' }, start: 0, length: 8 }] },
      ],
    });
    expectGoldenPlan('sources-extend-mp4', describePlan(planRender(tl, opts), { sideFiles: false }));
  });

  test('transparent ProRes 4444 at 29.97 fps over a VP9-alpha source, loudness gain on the mix', () => {
    const tl = timeline({
      output: { format: 'mov', width: 640, height: 360, fps: 29.97, duration: 2, loudness: -14 },
      background: 'transparent',
      tracks: [{ clips: [
        { asset: { type: 'video', src: 'alpha.webm' }, start: 0, length: 2 },
        { asset: { type: 'audio', src: 'voice.wav' }, start: 0, length: 2 },
      ] }],
    });
    expectGoldenPlan('transparent-mov-ntsc', describePlan(planRender({ ...tl, loudnessGain: { gainDb: 4.5, limit: true } }, opts), { sideFiles: false }));
  });
});

describe('source segments', () => {
  const clip = (asset: object, length: number, duration = 3) => ({ asset: { type: 'video', src: 'x', ...asset }, length, media: { duration } }) as never;
  test('a loop pass starts from trim again, at the same frame whichever range is rendered', () => {
    const p = sourcePlay(clip({ trim: 1, extend: 'loop' }, 10));
    assert.equal(p.span, 2);
    const whole = sourceSegments(p, 0, 60, 10, 0);
    assert.deepEqual(whole.map((s) => s.kind === 'play' && [s.from, s.frames]), [[1, 20], [1, 20], [1, 20]]);
    const part = sourceSegments(p, 1.5, 20, 10, 15);
    assert.deepEqual(part.map((s) => s.kind === 'play' && [s.from, s.frames]), [[2.5, 5], [1, 15]]);
  });
  test('freeze holds after the source; reverse reads backwards in blocks of one keyframe interval', () => {
    assert.deepEqual(sourceSegments(sourcePlay(clip({ extend: 'freeze' }, 5)), 0, 50, 10, 0).map((s) => [s.kind, s.frames]), [['play', 30], ['hold', 20]]);
    const rev = sourceSegments(sourcePlay(clip({ reverse: true }, 3)), 0, 30, 10, 0);
    assert.deepEqual(rev.map((s) => s.kind === 'play' && [s.reversed, s.frames, Number(s.from.toFixed(3)), Number(s.to.toFixed(3))]), [[true, 20, 1, 3], [true, 10, 0, 1]]);
  });
  test('sound pieces: one per pass, reversed pieces from the end', () => {
    assert.deepEqual(soundSegments(sourcePlay(clip({ trim: 1, extend: 'loop' }, 10)), 1, 5), [
      { from: 2, length: 1, reversed: false }, { from: 1, length: 2, reversed: false }, { from: 1, length: 1, reversed: false },
    ]);
    // A 2 s clip of a 3 s source plays the first 2 s (what it would play forwards) backwards.
    assert.deepEqual(soundSegments(sourcePlay(clip({ reverse: true }, 2)), 0, 2), [{ from: 0, length: 2, reversed: true }]);
  });
  test('reversing more than 60 s of source is refused at /asset/reverse once the source is probed', () => {
    assert.throws(() => timeline({ output: { duration: 80 }, tracks: [{ clips: [{ asset: { type: 'video', src: 'long.mp4', reverse: true }, start: 0, length: 80 }] }] }),
      (e: MontageError) => e.problems.some((p) => p.pointer === '/tracks/0/clips/0/asset/reverse' && /60 s/.test(p.detail)));
    assert.doesNotThrow(() => timeline({ tracks: [{ clips: [{ asset: { type: 'video', src: 'long.mp4', reverse: true, trim: 40 }, start: 0, length: 50 }] }], output: {} }));
  });
});

describe('bad sources and outputs are refused with a pointer and the fix', () => {
  const problemsOf = (raw: unknown) => {
    try { validateComposition(raw); return []; } catch (e) { return (e as MontageError).problems; }
  };
  const clip = (asset: object) => ({ output: { duration: 2 }, tracks: [{ clips: [{ asset, start: 0, length: 2 }] }] });
  test('audio cannot freeze, a video extend must be one of three', () => {
    assert.ok(problemsOf(clip({ type: 'audio', src: 'a.wav', extend: 'freeze' })).some((p) => p.pointer === '/tracks/0/clips/0/asset/extend' && /none.*loop/.test(p.detail)));
    assert.ok(problemsOf(clip({ type: 'video', src: 'a.mp4', extend: 'repeat' })).some((p) => p.pointer === '/tracks/0/clips/0/asset/extend' && /freeze/.test(p.detail)));
  });
  test('mov needs even sizes; loudness and scale have their ranges', () => {
    assert.ok(problemsOf({ ...clip({ type: 'color', color: '#000' }), output: { format: 'mov', width: 641, height: 360 } }).some((p) => p.pointer === '/output/width' && /640 or 642/.test(p.detail)));
    assert.ok(problemsOf({ ...clip({ type: 'color', color: '#000' }), output: { loudness: -80 } }).some((p) => p.pointer === '/output/loudness'));
    assert.ok(problemsOf({ ...clip({ type: 'color', color: '#000' }), output: { scale: 0.05 } }).some((p) => p.pointer === '/output/scale'));
  });
  test('a background that is neither a colour nor "transparent" names both', () => {
    const p = problemsOf({ ...clip({ type: 'color', color: '#000' }), background: 'clear' });
    assert.ok(p.some((x) => x.pointer === '/background' && /CSS hex colour/.test(x.detail) && /transparent/.test(x.detail)), JSON.stringify(p));
  });
});
