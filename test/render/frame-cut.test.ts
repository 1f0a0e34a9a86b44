/**
 * The frame's part of a moving picture far larger than the frame (frame-cut.ts): a clip keyed
 * from 10× down to its size (Shotstack's `zoom`, with its opacity), a keyed zoom 1 → 3 into a
 * detail, and a picture shrinking past the frame's corner, its edges coming into view. The frames
 * the graph makes (encoded losslessly) must be those of the whole-canvas plan (the `wholeBoxes`
 * plan option), and the map must work on a canvas about the frame's size, not the picture's.
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

const h = createRenderHarness('frame-cut');
after(() => h.dispose());

const OUTPUT = { width: 320, height: 180, fps: 10, quality: 'high' } as const;

before(async () => {
  // Detail everywhere (testsrc2's pattern), so a shifted or resampled part shows.
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=640x360:d=1', '-frames:v', '1', join(h.dir, 'pic.png'));
});

const key = (time: number, value: number, easing?: string) => ({ time, value, ...(easing ? { easing } : {}) });
const CASES = {
  'from 10x': { keyframes: { scale: [key(0, 10, 'easeIn'), key(0.8, 1)], opacity: [key(0, 0, 'easeIn'), key(0.8, 1)] } },
  'zoom 1 to 3 into a detail': { keyframes: { scale: [key(0, 1, 'easeInOut'), key(1.2, 3)], x: [key(0, 0), key(1.2, 0.4)], y: [key(0, 0), key(1.2, -0.3)] } },
  'shrinking past the corner': { position: 'topLeft', keyframes: { scale: [key(0, 6), key(1.2, 0.4)], x: [key(0, -0.8), key(1.2, 0.3)], y: [key(0, 0.4), key(1.2, -0.2)] } },
} as const;

const composition = (clip: object) => ({ output: OUTPUT, tracks: [{ clips: [{ asset: { type: 'image', src: 'pic.png' }, start: 0, length: 1.5, ...clip }] }] });

const planFor = async (clip: object, wholeBoxes: boolean): Promise<RenderPlan> => {
  const media = new Map([['pic.png', await probeMedia(join(h.dir, 'pic.png'), { ffprobePath: FFPROBE, pointer: '/tracks/0/clips/0/asset/src' })]]);
  const { composition: c } = validateComposition(composition(clip));
  return planRender(buildTimeline(c, { media, rasters: new Map(), cues: new Map() }), { outputPath: join(h.dir, 'x.mp4'), workDir: h.dir, streams: 'video', wholeBoxes });
};

/** The graph's frames, encoded losslessly (FFV1) in place of the plan's encoder, decoded to RGB. */
const renderWith = async (name: string, clip: object, wholeBoxes: boolean): Promise<Picture[]> => {
  const out = join(h.dir, `${name.replace(/\W/g, '')}-${wholeBoxes ? 'whole' : 'cut'}.mkv`);
  const plan = await planFor(clip, wholeBoxes);
  return losslessPlanFrames(plan, out);
};

const maxDiff = (a: readonly Picture[], b: readonly Picture[]) => {
  assert.equal(a.length, b.length);
  let max = 0;
  a.forEach((p, i) => { for (let k = 0; k < p.data.length; k++) max = Math.max(max, Math.abs(p.data[k] - b[i].data[k])); });
  return max;
};

/** The widths of the moving maps' canvases: the corner x1 is x0 + `+W*` the scale. */
const mapWidths = (graph: string) => [...graph.matchAll(/perspective=x0='([^']*)':y0='[^']*':x1='([^']*)'[^;]*eval=frame/g)]
  .map(([, x0, x1]) => Number(/^\+(\d+)\*/.exec(x1.slice(x0.length))?.[1]));

describe('a moving picture far larger than the frame is mapped on the frame\'s part of it', () => {
  for (const [name, clip] of Object.entries(CASES)) {
    test(`${name}: the same frames as the whole canvas, on a canvas about the frame's size`, async (t) => {
      const [cut, whole] = [await renderWith(name, clip, false), await renderWith(name, clip, true)];
      assert.equal(cut.length, 15);
      const max = maxDiff(cut, whole);
      t.diagnostic(`${name}: max abs diff ${max}`);
      assert.ok(max <= 1, `${name}: max abs diff ${max}`);
      // The pictures move: frames differ from each other (the comparison is not of blank frames).
      assert.ok(maxDiff([cut[2]], [cut[6]]) > 50);
      const [wc, wf] = [mapWidths((await planFor(clip, false)).filterGraph), mapWidths((await planFor(clip, true)).filterGraph)];
      assert.ok(wc.length > 0 && wf.length > 0, 'both plans map the moving window');
      t.diagnostic(`${name}: canvas ${wc.join(',')} px wide, whole ${wf.join(',')}`);
      assert.ok(Math.max(...wf) > 2.5 * OUTPUT.width, `the whole canvas is ${wf} px wide`);
      // Where the picture shrinks past the frame, the part in view is larger than the frame.
      const bound = name.startsWith('shrinking') ? Math.max(...wf) / 2 : 1.6 * OUTPUT.width;
      assert.ok(Math.max(...wc) < bound, `the cut canvas is ${wc} px wide`);
    });
  }
});
