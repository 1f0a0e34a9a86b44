/**
 * (1.1) `start: "auto"` and `length: "end"`: a sequence laid out without arithmetic, a watermark
 * until the end, an "auto" start after an "auto"-length video (known only once probed), the same
 * times in `montage validate`'s summary and in a chunked render, and the refusals.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, frameAt, type Picture } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { segmentVideo } from '../support/media-fixtures.ts';
import { validateComposition } from '../../src/composition/validate-composition.ts';
import { MontageError } from '../../src/errors/registry.ts';
import { probeOutput } from '../support/probe-output.ts';

const h = createRenderHarness('timing');
after(() => h.dispose());

const colour = (c: string, start: number | 'auto', length: number | 'auto' | 'end', extra: object = {}) => ({ asset: { type: 'color', color: c }, start, length, ...extra });
const square = { type: 'shape', shape: 'rectangle', width: 40, height: 40, fill: '#ffffff' };

const SEQUENCE = {
  output: TINY,
  tracks: [
    { clips: [colour('#ff0000', 0, 1), colour('#00ff00', 'auto', 1), colour('#0000ff', 'auto', 0.5)] },
    { clips: [{ asset: square, start: 0.5, length: 'end', position: 'topLeft' }] },
  ],
};

describe('a sequence with "auto" starts and a watermark with length "end"', () => {
  let frames: Picture[] = [];
  before(async () => { frames = await decodeFrames((await h.render('sequence', SEQUENCE)).video.path); });
  test('each clip starts where the previous one of its track ends; the timeline ends with the last (2.5 s)', () => {
    assert.equal(frames.length, 25);
    expectColour(frameAt(frames, TINY.fps, 0.9), 160, 120, '#ff0000', 'the first clip, 0–1 s');
    expectColour(frameAt(frames, TINY.fps, 1.0), 160, 120, '#00ff00', 'the second, from 1 s');
    expectColour(frameAt(frames, TINY.fps, 1.9), 160, 120, '#00ff00', 'the second, to 2 s');
    expectColour(frameAt(frames, TINY.fps, 2.0), 160, 120, '#0000ff', 'the third, from 2 s');
  });
  test('the watermark shows from its start to the last frame', () => {
    expectColour(frameAt(frames, TINY.fps, 0.4), 20, 20, '#ff0000', 'not yet at 0.4 s');
    for (const t of [0.5, 1.5, 2.4]) expectColour(frameAt(frames, TINY.fps, t), 20, 20, '#ffffff', `the watermark at ${t} s`);
  });
  test('montage validate reports the resolved duration', () => {
    assert.equal(h.engine.validate(SEQUENCE).summary.duration, 2.5);
  });
  test('a chunked render sees the same times: 25 frames, the same pictures', async () => {
    const out = await h.engine.render({
      composition: validateComposition(SEQUENCE).composition, chunks: 2,
      workDir: `${h.dir}`, outputPath: `${h.dir}/out/sequence-chunked.mp4`,
      resolveSrc: async (src) => `${h.dir}/${src}`,
    });
    const chunked = await decodeFrames(out.video.path);
    assert.equal(chunked.length, 25);
    expectColour(frameAt(chunked, TINY.fps, 1.5), 160, 120, '#00ff00', 'the second clip at 1.5 s');
    expectColour(frameAt(chunked, TINY.fps, 2.4), 20, 20, '#ffffff', 'the watermark at the end');
  });
});

test('"end" reaches output.duration when it is set', async () => {
  const frames = await decodeFrames((await h.render('end-duration', {
    output: { ...TINY, duration: 2 }, tracks: [{ clips: [colour('#ff0000', 0, 1), colour('#0000ff', 0.5, 'end')] }],
  })).video.path);
  assert.equal(frames.length, 20);
  expectColour(frameAt(frames, TINY.fps, 1.9), 160, 90, '#0000ff', 'the "end" clip lasts to 2 s');
});

test('"auto" after an "auto"-length video resolves once the video is probed (1.2 s at speed 2 → 0.6 s)', async () => {
  await segmentVideo(h.dir, 'two-seconds.mp4', { width: 160, height: 90, colours: ['#ff0000', '#ffff00'] });
  const raw = { output: TINY, tracks: [{ clips: [
    { asset: { type: 'video', src: 'two-seconds.mp4', trim: 0.8, speed: 2 }, start: 0, length: 'auto' },
    colour('#0000ff', 'auto', 0.5),
  ] }] };
  const frames = await decodeFrames((await h.render('after-auto', raw)).video.path);
  assert.equal(frames.length, 11);
  expectColour(frameAt(frames, TINY.fps, 0.5), 160, 90, '#ffff00', 'the video until 0.6 s');
  expectColour(frameAt(frames, TINY.fps, 0.6), 160, 90, '#0000ff', 'the next clip from 0.6 s');
});

describe('refusals', () => {
  const problems = (raw: object) => {
    try { validateComposition(raw); } catch (e) { return [...(e as MontageError).problems]; }
    return [];
  };
  test('every clip saying length "end" is refused, with the way out', () => {
    const p = problems({ output: TINY, tracks: [{ clips: [colour('#ff0000', 0, 'end')] }, { clips: [colour('#00ff00', 1, 'end')] }] });
    assert.equal(p.length, 1, JSON.stringify(p));
    assert.equal(p[0].pointer, '/tracks/0/clips/0/length');
    assert.match(p[0].detail, /every other clip.*give one clip a length in seconds, or set output.duration/);
  });
  test('…but accepted with output.duration', () => {
    assert.doesNotThrow(() => validateComposition({ output: { ...TINY, duration: 3 }, tracks: [{ clips: [colour('#ff0000', 0, 'end')] }] }));
  });
  test('"auto" after an "end" clip is refused', () => {
    const p = problems({ output: TINY, tracks: [{ clips: [colour('#ff0000', 0, 2)] }, { clips: [colour('#00ff00', 0, 'end'), colour('#0000ff', 'auto', 1)] }] });
    assert.deepEqual(p.map((x) => x.pointer), ['/tracks/1/clips/1/start']);
  });
  test('an "end" clip starting after the timeline ends is refused', () => {
    const p = problems({ output: TINY, tracks: [{ clips: [colour('#ff0000', 0, 2)] }, { clips: [colour('#00ff00', 3, 'end')] }] });
    assert.deepEqual(p.map((x) => x.pointer), ['/tracks/1/clips/0/start']);
    assert.match(p[0].detail, /after the end of the timeline \(2 s\)/);
  });
});

describe('an "end" clip past an explicit output.duration', () => {
  // "Anything past the duration is cut": a preview that shortens output.duration was refused
  // because a later clip's length says "end"; now that clip is cut like a clip with a length.
  test('is cut like any other clip: the render holds the clips before the duration', async () => {
    const out = await h.render('end-past-duration', {
      output: { ...TINY, duration: 2 },
      tracks: [{ clips: [colour('#ff0000', 0, 3)] }, { clips: [colour('#00ff00', 2.5, 'end')] }],
    });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, 2 * TINY.fps);
    expectColour(frameAt(frames, TINY.fps, 1.9), 160, 90, '#ff0000', 'the red clip to the end');
  });
});

describe('a timeline shorter than a microsecond', () => {
  // `length` only has to be > 0, so 1e-9 is valid. The mix was trimmed with
  // `atrim=duration=0` (the length formatted to 6 decimals), which ffmpeg reads as "no limit":
  // the silence never ended, the render held its worker until the time limit and its sound file grew.
  for (const format of ['mp4', 'wav'] as const) {
    test(`renders and ends (${format})`, { timeout: 60_000 }, async () => {
      const raw = { output: { ...TINY, format }, tracks: [{ clips: [colour('#ff0000', 0, 1e-9)] }] };
      const { composition } = validateComposition(raw);
      const stop = AbortSignal.timeout(30_000);
      const out = await h.engine.render({
        composition, workDir: h.dir, outputPath: `${h.dir}/out/sub-microsecond.${format}`,
        resolveSrc: async (src) => `${h.dir}/${src}`, signal: stop,
      });
      const p = await probeOutput(out.video.path, { countFrames: true });
      if (format === 'mp4') assert.equal(p.video?.nb_read_frames, '1', 'one frame, as for any length under a frame');
      assert.ok(p.audio, 'a sound stream');
      assert.ok(Number(p.format.duration) < 0.5, `a file shorter than half a second, got ${p.format.duration} s`);
    });
  }
});
