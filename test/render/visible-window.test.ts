/**
 * The visible window (visible-window.ts, source-window.ts, issue 12 "Speed"): landscape sources
 * cover-fitted into a portrait 180×320 frame are drawn from the window of their box the frame
 * shows. The frames the graph makes (encoded losslessly, so the encoder adds nothing) must be those
 * of the whole-box plan (the `wholeBoxes` plan option): identical for stills and held frames (a
 * still with zoomIn, one with panLeft, a panUp revealed by `iris`, a video held with `extend:
 * "freeze"`), and within a value or two where a playing video's source is cut before it is scaled
 * (a playing video, plain and revealed by `clock`, and the part of the freeze that plays); and the
 * plan must run the per-frame work at the window's size.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import type { Picture } from '../support/decoded-pictures.ts';
import { losslessPlanFrames } from '../support/lossless-plan-frames.ts';
import { ffmpeg, FFPROBE } from '../support/ffmpeg-tools.ts';
import { probeMedia } from '../../src/assets/probe-media.ts';
import { validateComposition } from '../../src/composition/validate-composition.ts';
import { buildTimeline } from '../../src/render/timeline.ts';
import { planRender, type RenderPlan } from '../../src/render/plan-render.ts';

const h = createRenderHarness('visible-window');
after(() => h.dispose());

const OUTPUT = { width: 180, height: 320, fps: 10, quality: 'high' } as const;

before(async () => {
  // Detail everywhere (testsrc2's pattern and moving parts), so a shifted or resampled window shows.
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:d=1', '-frames:v', '1', join(h.dir, 'land.png'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:r=30:d=1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '18', join(h.dir, 'land.mp4'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:r=30:d=3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '18', join(h.dir, 'play.mp4'));
});

const CASES = {
  zoomIn: { asset: { type: 'image', src: 'land.png' }, effect: 'zoomIn' },
  panLeft: { asset: { type: 'image', src: 'land.png' }, effect: 'panLeft' },
  freeze: { asset: { type: 'video', src: 'land.mp4', extend: 'freeze' } },
  // Reveals keep the window: their mask is made for the whole box, then cut to it.
  'panUp-iris-in': { asset: { type: 'image', src: 'land.png' }, effect: 'panUp', transition: { in: 'iris', duration: 0.8 } },
  'freeze-clock-in': { asset: { type: 'video', src: 'land.mp4', extend: 'freeze' }, transition: { in: 'clock', duration: 0.6 } },
  // Playing: the source is cut before it is scaled, on (almost) the whole box's sampling grid.
  play: { asset: { type: 'video', src: 'play.mp4' } },
  'play-clock-in': { asset: { type: 'video', src: 'play.mp4', trim: 0.5 }, transition: { in: 'clock', duration: 0.6 } },
} as const;

/** Cases whose frames must be identical (no source is scaled per frame, or only a held one). */
const EXACT = new Set(['zoomIn', 'panLeft', 'panUp-iris-in']);

const composition = (clip: object) => ({ output: OUTPUT, tracks: [{ clips: [{ ...clip, start: 0, length: 2, fit: 'cover' }] }] });

const planFor = async (clip: { asset: { src: string } }, wholeBoxes: boolean, outputPath = join(h.dir, 'x.mp4')): Promise<RenderPlan> => {
  const media = new Map([[clip.asset.src, await probeMedia(join(h.dir, clip.asset.src), { ffprobePath: FFPROBE, pointer: '/tracks/0/clips/0/asset/src' })]]);
  const { composition: c } = validateComposition(composition(clip));
  return planRender(buildTimeline(c, { media, rasters: new Map(), cues: new Map() }), { outputPath, workDir: h.dir, streams: 'video', wholeBoxes });
};

/** The graph's frames, encoded losslessly (FFV1) in place of the plan's encoder, decoded to RGB. */
const renderWith = async (name: string, clip: { asset: { src: string } }, wholeBoxes: boolean): Promise<Picture[]> => {
  const out = join(h.dir, `${name}-${wholeBoxes ? 'whole' : 'window'}.mkv`);
  const plan = await planFor(clip, wholeBoxes);
  return losslessPlanFrames(plan, out);
};

/** The largest difference of any channel anywhere, and the PSNR (dB) over all frames. */
const compare = (a: readonly Picture[], b: readonly Picture[]) => {
  assert.equal(a.length, b.length);
  let max = 0;
  let sq = 0;
  let n = 0;
  a.forEach((p, i) => {
    for (let k = 0; k < p.data.length; k++) {
      const d = Math.abs(p.data[k] - b[i].data[k]);
      max = Math.max(max, d);
      sq += d * d;
      n++;
    }
  });
  return { max, psnr: sq === 0 ? Infinity : 10 * Math.log10((255 * 255) / (sq / n)) };
};

const planText = async (clip: { asset: { src: string } }, wholeBoxes: boolean) => (await planFor(clip, wholeBoxes)).filterGraph;

describe('cover-fitted landscape sources in a portrait frame: the visible window draws the same frames', () => {
  for (const [name, clip] of Object.entries(CASES)) {
    test(`${name}: window and whole box decode alike, and the window is what the plan works on`, async (t) => {
      const [win, full] = [await renderWith(name, clip, false), await renderWith(name, clip, true)];
      assert.equal(win.length, 20);
      const { max, psnr } = compare(win, full);
      t.diagnostic(`${name}: max abs diff ${max}, PSNR ${psnr.toFixed(1)} dB`);
      if (EXACT.has(name)) assert.equal(max, 0, `${name}: the window draws the very same frames`);
      else assert.ok(max <= 4 && psnr >= 55, `${name}: max abs diff ${max}, PSNR ${psnr.toFixed(1)} dB`);
      // The box is 568×320; the window 188 wide (180 and 4 px either side).
      const [pw, pf] = [await planText(clip, false), await planText(clip, true)];
      if (clip.asset.type === 'image') assert.match(pw, /crop=w=\d+:h=\d+:x=(190|233):y=\d+:exact=1/);
      assert.doesNotMatch(pf, /x=(190|233):y=\d+:exact=1/);
      if (name.endsWith('-in')) assert.match(pw, /format=gray,crop=w=188:h=320:x=190:y=0:exact=1,loop=/, 'the mask of the reveal is cut to the window once');
      if (name === 'zoomIn') {
        assert.match(pw, /perspective=[^;[]*\+188\*/, 'the zoom maps the 188 px window');
        assert.match(pf, /perspective=[^;[]*\+568\*/, 'without the window, the 568 px box');
      }
      if (name === 'panLeft') assert.match(pw, /crop=w=188:h=320:x='floor/, 'the pan crops 188 px views');
      if (name.startsWith('freeze')) assert.match(pw, /crop=w=188:h=320:x=\d+:y=0:exact=1,loop=/, 'the held frame is cut before it is repeated');
      if (clip.asset.type === 'video') {
        // Played frames: the source cut to the window's columns, scaled to a part of the box, cut to the window.
        const m = /crop=w=(\d+):h=1080:x=(\d+):y=0:exact=1,scale=(\d+):320,setsar=1,format=yuva?420p,crop=w=188:h=320:x=(\d+):y=0:exact=1/.exec(pw);
        assert.ok(m, 'the playing source is cut before it is scaled');
        assert.ok(Number(m[3]) < 300, `the played frames are scaled to ${m[3]} px, not the box's 568`);
        assert.match(pf, /scale=568:320,setsar=1/);
      }
    });
  }
});
