/**
 * A piece whose first instant falls on a keyframe of its video source reads the source from that
 * keyframe, not from a frame and a half earlier (which made the decoder start at the keyframe
 * before: a whole GOP more), and shows the same frames: the piece's graph run losslessly (FFV1)
 * with and without the source's keyframes gives the same pixels, for closed and open GOPs (an open
 * GOP's frames just before its keyframe are decoded after it, from the GOP before), a source rate
 * off the output's grid, an MPEG-TS file (whose clock starts at 1.4 s), and pieces starting on,
 * just before and just after a keyframe. The keys do not see the keyframes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import { losslessPlanFrames } from '../support/lossless-plan-frames.ts';
import { ffmpeg, FFPROBE } from '../support/ffmpeg-tools.ts';
import { probeMedia } from '../../src/assets/probe-media.ts';
import { probeKeyframes } from '../../src/assets/probe-keyframes.ts';
import { validateComposition } from '../../src/composition/validate-composition.ts';
import { buildTimeline, type Timeline } from '../../src/render/timeline.ts';
import { planRender } from '../../src/render/plan-render.ts';
import { seekLead } from '../../src/render/frame-rate.ts';
import { withKeyframes } from '../../src/render/source-keyframes.ts';
import { pieceKey } from '../../src/render/piece-key.ts';

const h = createRenderHarness('keyframe-seek');
after(() => h.dispose());

// Keyframes every second; B-frames, so that keyframes are decoded before frames shown earlier.
const SOURCES = {
  'closed GOP, 30 fps': ['testsrc2=s=320x180:r=30:d=4', '-g', '30', '-keyint_min', '30', '-bf', '2'],
  'open GOP, 30 fps': ['testsrc2=s=320x180:r=30:d=4', '-g', '30', '-keyint_min', '30', '-bf', '2', '-x264-params', 'open-gop=1'],
  '25 fps': ['testsrc2=s=320x180:r=25:d=4', '-g', '25', '-keyint_min', '25', '-bf', '2'],
  '29.97 fps': ['testsrc2=s=320x180:r=30000/1001:d=4', '-g', '30', '-keyint_min', '30', '-bf', '2'],
  // MPEG-TS starts its clock at 1.4 s: keyframes count from the file's start, as -ss does.
  'MPEG-TS': ['testsrc2=s=320x180:r=30:d=4', '-g', '30', '-keyint_min', '30', '-bf', '2'],
} as const;
const file = (name: string) => `${name.replace(/\W/g, '')}.${name === 'MPEG-TS' ? 'ts' : 'mp4'}`;

before(async () => {
  for (const [name, [src, ...opts]] of Object.entries(SOURCES)) {
    await ffmpeg('-f', 'lavfi', '-i', src, '-c:v', 'libx264', '-preset', 'ultrafast', '-sc_threshold', '0', ...opts, join(h.dir, file(name)));
  }
});

const timeline = async (name: string): Promise<Timeline> => {
  const src = file(name);
  const media = new Map([[src, await probeMedia(join(h.dir, src), { ffprobePath: FFPROBE, pointer: '/tracks/0/clips/0/asset/src' })]]);
  const { composition } = validateComposition({
    output: { width: 320, height: 180, fps: 30, quality: 'high' },
    tracks: [{ clips: [{ asset: { type: 'video', src }, start: 0, length: 3.5 }] }],
  });
  return buildTimeline(composition, { media, rasters: new Map(), cues: new Map() });
};
const read = (path: string, spans: readonly { from: number; to?: number }[]) => probeKeyframes(path, spans, { ffprobePath: FFPROBE });

describe('a piece starting on its source\'s keyframe reads from it and shows the same frames', () => {
  for (const name of Object.keys(SOURCES)) {
    test(name, async (t) => {
      const tl = await timeline(name);
      const keyframes = await read(join(h.dir, file(name)), [{ from: 0 }]);
      t.diagnostic(`keyframes ${keyframes?.join(', ')}`);
      assert.ok(keyframes && keyframes.length >= 3, 'the keyframes are read');
      // Floored to the microsecond: MPEG-TS's 90 kHz clock from 1.4667 s puts them 1 µs early.
      assert.ok(keyframes.some((k) => Math.abs(k - (name === '29.97 fps' ? 1.001 : 1)) < 2e-6), 'a keyframe at 1 s');
      let fromKeyframe = 0;
      // Pieces of 0.5 s (15 frames at 30 fps) starting on a keyframe, a frame before and a frame after it.
      for (const first of [30, 29, 31, 60, 59]) {
        const range = { start: first / 30, end: (first + 15) / 30 };
        const withK = await withKeyframes(tl, first, first + 15, read);
        const [plain, keyed] = [tl, withK].map((x) => planRender({ ...x, range }, { outputPath: join(h.dir, 'x.mp4'), workDir: h.dir, streams: 'video' }));
        const ss = (args: readonly string[]) => Number(args[args.indexOf('-ss') + 1]);
        const [a, b] = [ss(plain.inputs.flatMap((i) => i.options)), ss(keyed.inputs.flatMap((i) => i.options))];
        if (b !== a) {
          fromKeyframe++;
          assert.ok(keyframes.some((k) => Math.abs(k - b) < 1e-6), `piece at frame ${first} reads from a keyframe (${b}), not ${a}`);
        }
        const out = (k: string) => join(h.dir, `${file(name)}-${first}-${k}.mkv`);
        const [pa, pb] = [await losslessPlanFrames(plain, out('plain')), await losslessPlanFrames(keyed, out('keyed'))];
        assert.equal(pa.length, 15);
        assert.equal(pb.length, 15);
        pa.forEach((p, i) => assert.ok(p.data.equals(pb[i].data), `piece at frame ${first}: frame ${i} differs (seek ${a} against ${b})`));
        // The keys do not see the keyframes.
        const key = (x: Timeline) => pieceKey({ engineVersion: 'e', ffmpegVersion: 'f', tenant: 't', timeline: x, frames: { first, end: first + 15 }, contentHashes: new Map([[tl.clips[0].media!.path, 'h']]) });
        assert.equal(key(withK), key(tl));
      }
      t.diagnostic(`${fromKeyframe} of 5 pieces read from their keyframe`);
      // Those at 1 s and 2 s start on a keyframe where the source has them on the output's grid, and
      // the one a frame after 1 s has that keyframe within its frame and a half; at 29.97 fps only
      // that one (the keyframes are at 1.001 and 2.002 s).
      assert.equal(fromKeyframe, name === '29.97 fps' ? 1 : 3);
    });
  }
});

describe('seekLead with keyframes', () => {
  test('a keyframe in the frame and a half before the instant is where the read starts', () => {
    assert.equal(seekLead(4, 30), 0.05);
    assert.equal(seekLead(4, 30, [0, 2, 4, 6]), 0);
    assert.ok(Math.abs(seekLead(4.02, 30, [0, 2, 4, 6]) - 0.02) < 1e-12);
    // None there: a frame and a half early, as without keyframes.
    assert.equal(seekLead(3.99, 30, [0, 2, 4, 6]), 0.05);
    assert.equal(seekLead(4.1, 30, [0, 2, 4, 6]), 0.05);
    assert.equal(seekLead(0, 30, [0, 2]), 0);
  });
});
