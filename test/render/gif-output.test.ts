/**
 * GIF timing and alpha (src/render/gif-output.ts): frame delays, whole centiseconds, add up to the
 * timeline's length; alpha, which a GIF holds as clear-or-opaque, is dithered so that a half-clear
 * shadow shows as half of its pixels instead of a solid block.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { createRenderHarness } from '../support/render-harness.ts';
import { probeOutput } from '../support/probe-output.ts';
import { FilterGraph } from '../../src/render/filter-graph.ts';
import { planGifOutput } from '../../src/render/gif-output.ts';
import { RGB_PIXELS } from '../../src/render/working-pixels.ts';

const h = createRenderHarness('gif-output');
after(() => h.dispose());

/** Every frame's delay in centiseconds, read from the file's graphic control extensions. */
const gifDelays = (path: string): number[] => {
  const b = readFileSync(path);
  const delays: number[] = [];
  for (let i = b.indexOf(Buffer.from([0x21, 0xf9, 0x04])); i >= 0; i = b.indexOf(Buffer.from([0x21, 0xf9, 0x04]), i + 8)) delays.push(b[i + 4] | (b[i + 5] << 8));
  return delays;
};

/** RGBA of a w×h region of the first frame. */
const region = async (path: string, x: number, y: number, w: number, h: number): Promise<Buffer> =>
  ffmpeg('-i', path, '-frames:v', '1', '-vf', `crop=${w}:${h}:${x}:${y},format=rgba`, '-f', 'rawvideo', '-');
const opaqueShare = (rgba: Buffer) => {
  let n = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] > 0) n++;
  return n / (rgba.length / 4);
};

describe('gif timing', () => {
  // 1.3 s is no whole number of frames at 7 or 1 fps (9.1 and 1.3): the last frame lasts until the
  // timeline's end all the same (a 1.3 s GIF at 1 fps played 1.0 s, at 7 fps 1.29 s).
  for (const [fps, seconds] of [[30, 1], [30, 0.5], [24, 1], [7, 1], [7, 1.3], [1, 1.3]] as const) {
    const cs = Math.round(seconds * 100);
    test(`${fps} fps, ${seconds} s: the delays add up to ${cs} cs, the last frame no longer than its place`, async () => {
      const out = await h.render(`t${fps}-${seconds}`, {
        output: { format: 'gif', width: 32, height: 16, fps, quality: 'draft' },
        tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length: seconds / 2 }, { asset: { type: 'color', color: '#0000ff' }, start: seconds / 2, length: seconds / 2 }] }],
      });
      const delays = gifDelays(out.video.path);
      assert.equal(delays.length, Math.round(seconds * fps));
      assert.equal(delays.reduce((a, b) => a + b, 0), cs, `delays ${delays.join(' ')}`);
      assert.equal(Number((await probeOutput(out.video.path)).format.duration), seconds);
    });
  }
});

describe('gif alpha', () => {
  test('dithered: a #00000080 shadow shows as half its pixels (black), a 25% box as a quarter, opaque and clear stay whole', async () => {
    const out = await h.render('alpha', {
      output: { format: 'gif', width: 96, height: 48, fps: 10, duration: 0.5 },
      background: 'transparent',
      tracks: [{ clips: [
        { asset: { type: 'shape', shape: 'rectangle', width: 20, height: 20, fill: '#ff0000' }, start: 0, length: 0.5, position: 'topLeft',
          shadow: { color: '#00000080', blur: 0, x: 40, y: 0 } },
        { asset: { type: 'shape', shape: 'rectangle', width: 20, height: 20, fill: '#00ff0040' }, start: 0, length: 0.5, position: 'bottomRight' },
      ] }],
    });
    const shadow = await region(out.video.path, 44, 4, 12, 12);
    assert.equal(opaqueShare(shadow), 0.5, 'half of the shadow\'s pixels show');
    for (let i = 0; i < shadow.length; i += 4) if (shadow[i + 3]) assert.ok(shadow[i] + shadow[i + 1] + shadow[i + 2] < 30, 'shown shadow pixels are black');
    assert.equal(opaqueShare(await region(out.video.path, 80, 32, 12, 12)), 0.25, 'a quarter of the 25% box shows');
    assert.equal(opaqueShare(await region(out.video.path, 4, 4, 12, 12)), 1, 'the opaque box is whole');
    assert.equal(opaqueShare(await region(out.video.path, 4, 28, 40, 16)), 0, 'clear where nothing is drawn');
  });
  test('an odd-sized frame is dithered to its last row and column', async () => {
    const out = await h.render('alpha-odd', {
      output: { format: 'gif', width: 33, height: 17, fps: 10, duration: 0.3 },
      background: 'transparent',
      tracks: [{ clips: [{ asset: { type: 'color', color: '#ff000080' }, start: 0, length: 0.3 }] }],
    });
    // Rows 0 and 16 meet the same thresholds (the pattern repeats every 4 rows), as do columns 0 and 32.
    const first = opaqueShare(await region(out.video.path, 0, 0, 33, 1));
    assert.ok(first > 0.3 && first < 0.7, `the first row is half shown: ${first}`);
    assert.equal(opaqueShare(await region(out.video.path, 0, 16, 33, 1)), first, 'the last row is dithered as the first');
    assert.equal(opaqueShare(await region(out.video.path, 32, 0, 1, 17)), opaqueShare(await region(out.video.path, 0, 0, 1, 17)), 'the last column as the first');
  });

  test('no per-pixel expression runs per frame: the thresholds are drawn once, on one frame', () => {
    const graph = new FilterGraph('/tmp/unused', RGB_PIXELS);
    planGifOutput(graph, 'in', { quality: 'medium', transparent: true, frames: 90, cut: [], size: { width: 33, height: 17 } });
    const chains = graph.toString().split(';').map((c) => c.trim());
    const withGeq = chains.filter((c) => c.includes('geq='));
    assert.equal(withGeq.length, 1, graph.toString());
    assert.match(withGeq[0], /^color=c=black:s=33x17,trim=end_frame=1,format=gray,geq=/, 'geq only on the one threshold frame');
  });
});
