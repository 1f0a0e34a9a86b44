/**
 * A blended clip over `background: "transparent"`: the output keeps its alpha, and the W3C formula
 * with the backdrop's alpha holds: where the backdrop is transparent the clip shows as itself
 * (result = (1 − αb)·Cs + αb·B(Cb, Cs)), where it is opaque the mode applies; outside the clip
 * nothing is drawn. One png frame and one webm, decoded with -pix_fmt rgba.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { probeOutput } from '../support/probe-output.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';

const h = createRenderHarness('blend-transparent');
after(() => h.dispose());

const rgbaFrames = async (path: string, vp9 = false) => {
  const { video } = await probeOutput(path);
  const w = video!.width!;
  const raw = await ffmpeg(...(vp9 ? ['-c:v', 'libvpx-vp9'] : []), '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-');
  const size = w * video!.height! * 4;
  const frames: Array<(x: number, y: number) => number[]> = [];
  for (let o = 0; o + size <= raw.length; o += size) {
    const f = raw.subarray(o, o + size);
    frames.push((x, y) => { const i = 4 * (y * w + x); return [f[i], f[i + 1], f[i + 2], f[i + 3]]; });
  }
  return frames;
};

// 160×90: a grey opaque box on the left half; an orange multiply clip across the middle, half over
// the grey, half over nothing. Moving the clip (keyframed x) takes blend's full-frame path as well.
const comp = (format: string, moving: boolean) => ({
  output: { format, width: 160, height: 90, fps: 10, quality: 'draft', duration: 0.5, ...(format === 'png' ? { frame: 0.2 } : {}) },
  background: 'transparent',
  tracks: [
    { clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 80, height: 90, fill: '#808080' }, start: 0, length: 0.5, position: 'left' }] },
    { clips: [{
      asset: { type: 'shape', shape: 'rectangle', width: 80, height: 40, fill: '#ff8000' }, start: 0, length: 0.5, blend: 'multiply',
      ...(moving ? { keyframes: { x: [{ time: 0, value: 0 }, { time: 0.5, value: 0.0001 }] } } : {}),
    }] },
  ],
});

const near = (got: number[], want: number[], tol: number, what: string) =>
  assert.ok(got.every((v, i) => Math.abs(v - want[i]) <= tol), `${what}: got rgba(${got}), want about rgba(${want})`);

for (const [format, moving] of [['png', false], ['webm', true]] as const) {
  test(`multiply over a transparent background keeps alpha (${format}${moving ? ', moving clip' : ''})`, async () => {
    const out = await h.render(`blend-${format}`, comp(format, moving));
    const frames = await rgbaFrames(out.video.path, format === 'webm');
    const at = frames[format === 'png' ? 0 : 2];
    near(at(130, 5), [0, 0, 0, 0], 8, 'outside every clip: transparent');
    near(at(60, 45), [128, 64, 0, 255], 16, 'over the grey: multiply');
    near(at(100, 45), [255, 128, 0, 255], 16, 'over nothing: the clip as itself, opaque');
    near(at(20, 10), [128, 128, 128, 255], 10, 'the grey box alone');
  });
}
