/**
 * Covering tiles (src/render/covering-tiles.ts): where a full-frame opaque still or colour shows,
 * its frames are the picture, with no background drawn beneath and no overlay onto it; layers inside
 * its stretch (a crossfade's incoming still, a logo) are overlaid onto that stretch alone. The
 * frames the graph makes (encoded losslessly) must be the very frames of the plan that overlays
 * every layer onto the background (the `overlayEveryLayer` plan option), in a whole render and in
 * a range of it; and the plan must draw no background where the stills cover every frame.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, type Picture } from '../support/decoded-pictures.ts';
import { ffmpeg, FFMPEG, FFPROBE } from '../support/ffmpeg-tools.ts';
import { probeMedia } from '../../src/assets/probe-media.ts';
import { validateComposition } from '../../src/composition/validate-composition.ts';
import { buildTimeline } from '../../src/render/timeline.ts';
import { planRender, type RenderPlan } from '../../src/render/plan-render.ts';
import { buildFfmpegArgs } from '../../src/render/ffmpeg-args.ts';
import { runFfmpeg } from '../../src/render/run-ffmpeg.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const h = createRenderHarness('covering-tiles');
after(() => h.dispose());

const OUTPUT = { width: 320, height: 180, fps: 10, quality: 'high' } as const;
const SOURCES = ['a.png', 'b.png', 'c.png', 'logo.png'];

before(async () => {
  // Detail everywhere, so a shifted, blended or missing frame shows.
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=640x360:d=1', '-frames:v', '1', join(h.dir, 'a.png'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc=s=640x360:d=1', '-frames:v', '1', join(h.dir, 'b.png'));
  await ffmpeg('-f', 'lavfi', '-i', 'smptehdbars=s=640x360:d=1', '-frames:v', '1', join(h.dir, 'c.png'));
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=red@0.5:s=64x64:d=1,format=rgba', '-frames:v', '1', join(h.dir, 'logo.png'));
});

const image = (src: string, start: number, length: number, more: object = {}) => ({ asset: { type: 'image', src }, start, length, ...more });

const CASES = {
  // ref-a in small: three full-frame zooms with crossfades, and a logo over the first two.
  slideshow: {
    tracks: [
      { clips: [
        image('a.png', 0, 2, { effect: 'zoomIn' }),
        image('b.png', 1.6, 2, { effect: 'zoomIn', transition: { in: 'fade', duration: 0.4 } }),
        image('c.png', 3.2, 1.8, { effect: 'zoomIn', transition: { in: 'fade', duration: 0.4 } }),
      ] },
      { clips: [image('logo.png', 0.5, 2.5, { fit: 'none', position: 'topRight' })] },
    ],
    covered: true,
  },
  // The background between stills, a still cutting into the end of another, a pan, a colour clip,
  // and a fading picture that reaches across two stretches (the tiles end there).
  gaps: {
    background: '#204060',
    tracks: [
      { clips: [
        image('a.png', 0, 1.5, { effect: 'zoomIn' }),
        image('b.png', 1.2, 1),
        image('c.png', 2.6, 1, { effect: 'panLeft', filter: 'grayscale' }),
        { asset: { type: 'color', color: '#aa3300' }, start: 3.8, length: 0.6 },
      ] },
      { clips: [image('a.png', 2, 1.5, { scale: 0.5, transition: { in: 'fade', out: 'fade', duration: 0.3 } })] },
    ],
    covered: false,
  },
} as const;

const timelineOf = async (c: (typeof CASES)[keyof typeof CASES], range?: { start: number; length: number }) => {
  const media = new Map(await Promise.all(SOURCES.map(async (s) => [s, await probeMedia(join(h.dir, s), { ffprobePath: FFPROBE, pointer: '/x' })] as const)));
  const { composition } = validateComposition({ output: { ...OUTPUT, ...(range ? { range } : {}) }, ...('background' in c ? { background: c.background } : {}), tracks: c.tracks });
  return buildTimeline(composition, { media, rasters: new Map(), cues: new Map() });
};

const planFor = async (c: (typeof CASES)[keyof typeof CASES], overlayEveryLayer: boolean, range?: { start: number; length: number }): Promise<RenderPlan> =>
  planRender(await timelineOf(c, range), { outputPath: join(h.dir, 'x.mp4'), workDir: h.dir, streams: 'video', overlayEveryLayer });

/** The graph's frames, encoded losslessly (FFV1) in place of the plan's encoder, decoded to RGB; and the stream's pixel aspect. */
const renderWith = async (name: string, plan: RenderPlan): Promise<{ frames: Picture[]; sar: string }> => {
  const out = join(h.dir, `${name}.mkv`);
  const args = buildFfmpegArgs(plan);
  const at = args.indexOf('[vout]');
  const frames = args.indexOf('-frames:v', at);
  const lossless = [...args.slice(0, at + 1), ...(frames > 0 ? args.slice(frames, frames + 2) : []), '-c:v', 'ffv1', '-f', 'matroska', '-y', out];
  await runFfmpeg({ ffmpegPath: FFMPEG, args: lossless, sideFiles: plan.sideFiles, durationSeconds: plan.duration });
  const { stdout } = await promisify(execFile)(FFPROBE, ['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=sample_aspect_ratio', '-of', 'csv=p=0', out]);
  return { frames: await decodeFrames(out), sar: stdout.trim() };
};

const maxDiff = (a: readonly Picture[], b: readonly Picture[]) => {
  assert.equal(a.length, b.length, 'as many frames');
  let max = 0;
  a.forEach((p, i) => { for (let k = 0; k < p.data.length; k++) max = Math.max(max, Math.abs(p.data[k] - b[i].data[k])); });
  return max;
};

describe('full-frame opaque stills drawn as covering tiles: the same frames as overlaying every layer', () => {
  for (const [name, c] of Object.entries(CASES)) {
    for (const range of [undefined, { start: 1.3, length: 2.5 }]) {
      const tag = `${name}${range ? ' (a range)' : ''}`;
      test(tag, async (t) => {
        const [tiled, reference] = [await planFor(c, false, range), await planFor(c, true, range)];
        const [a, b] = [await renderWith(`${name}-${!!range}-tiles`, tiled), await renderWith(`${name}-${!!range}-all`, reference)];
        assert.equal(a.frames.length, range ? 25 : name === 'gaps' ? 44 : 50);
        const max = maxDiff(a.frames, b.frames);
        t.diagnostic(`${tag}: max abs diff ${max}`);
        assert.equal(max, 0, `${tag}: the tiles draw the very same frames`);
        assert.equal(a.sar, '1:1', 'square pixels, as over the background');
        assert.match(reference.filterGraph, /^color=c=0x/, 'the reference draws the background');
        assert.match(tiled.filterGraph, /concat=n=\d+:v=1:a=0|\[tiles\d+\]/, 'the tiles are joined');
        if (c.covered) {
          // Every frame is a still's: no background, and an overlay only for what is drawn on them.
          assert.doesNotMatch(tiled.filterGraph, /^color=c=0x000000/m, 'no background is drawn');
          const overlays = (g: string) => (g.match(/overlay=/g) ?? []).length;
          assert.equal(overlays(tiled.filterGraph), overlays(reference.filterGraph) - 3, 'the three stills are not overlaid');
          // A crossfaded zoom's two windows share one stack of copies (zoom-ratio.ts), and the fade's alpha is added after the zoom.
          assert.match(tiled.filterGraph, /vstack=inputs=\d+,split=2\[/, 'the stacked copies are made once');
          assert.match(tiled.filterGraph, /crop@zc\w+=w=\d+:h=\d+:x=\d+:y=\d+:exact=1,format=yuva420p,sendcmd/, 'the zoom is drawn without alpha');
        }
      });
    }
  }
});
