/**
 * The (1.1) transitions that move, size or soften the clip (spin, flipX, flipY, pop, blur,
 * pixelate), `transition.easing` on a slide, and `blur` keyframes. Each renders a 2 s TINY MP4
 * with `in` over 0–0.8 s and `out` over 1.2–2 s; the frames are measured against the curve.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, extentOf, frameAt, luma, patch, pixel, type Picture } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { bandImage } from '../support/media-fixtures.ts';
import { ease } from '../../src/render/easing.ts';

const h = createRenderHarness('motion-transitions');
after(() => h.dispose());

const FPS = TINY.fps;
const D = 0.8;
const render = async (name: string, clip: object, beneath?: string): Promise<Picture[]> => {
  const out = await h.render(name, {
    output: TINY,
    tracks: [
      ...(beneath ? [{ clips: [{ asset: { type: 'color', color: beneath }, start: 0, length: 2 }] }] : []),
      { clips: [{ start: 0, length: 2, ...clip }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  assert.equal(frames.length, 20);
  return frames;
};
const shape = (w: number, hgt: number) => ({ type: 'shape', shape: 'rectangle', width: w, height: hgt, fill: '#ffffff' });
const box = (frames: Picture[], t: number) => extentOf(frameAt(frames, FPS, t), (c) => luma(c) > 128);

describe('spin', () => {
  let frames: Picture[] = [];
  before(async () => { frames = await render('m-spin', { asset: shape(120, 20), transition: { in: 'spin', out: 'spin', duration: D } }); });
  test('in: nothing at first, then turning from −180° while growing (easeOut), level and whole once done', () => {
    assert.equal(box(frames, 0), undefined, 'nothing at the first frame');
    // Half way: easeOut gives 0.875: 87.5 % of the size, −22.5° (counter-clockwise: the right end up).
    const s = ease('easeOut', 0.5);
    const a = (180 * (1 - s) * Math.PI) / 180;
    const b = box(frames, 0.4)!;
    assert.ok(Math.abs(b.width - s * (120 * Math.cos(a) + 20 * Math.sin(a))) <= 4, `width half way: ${b.width}`);
    assert.ok(Math.abs(b.height - s * (120 * Math.sin(a) + 20 * Math.cos(a))) <= 4, `height half way: ${b.height}`);
    const p = frameAt(frames, FPS, 0.4);
    assert.ok(luma(patch(p, 160 + 48 * Math.cos(a), 90 - 48 * Math.sin(a))) > 128, 'the right end has turned up');
    assert.ok(luma(patch(p, 160 + 48 * Math.cos(a), 90 + 48 * Math.sin(a))) < 60, 'not down');
    const done = box(frames, 1)!;
    assert.ok(Math.abs(done.width - 120) <= 2 && Math.abs(done.height - 20) <= 2, `level and whole: ${done.width}×${done.height}`);
  });
  test('out: the reverse, shrinking away', () => {
    const w = [1.2, 1.4, 1.6, 1.8].map((t) => box(frames, t)?.width ?? 0);
    assert.ok(Math.abs(w[0] - 120) <= 2, `whole when out begins: ${w[0]}`);
    const hs = [1.4, 1.6, 1.8].map((t) => box(frames, t)!.height);
    assert.ok(hs.every((v) => v > 22), `tilted during out (level: 20): ${hs}`);
    assert.ok(w[3] < w[2] && w[2] < w[1], `shrinks: ${w}`);
  });
});

for (const [kind, axis] of [['flipX', 'width'], ['flipY', 'height']] as const) {
  test(`${kind}: the ${axis} grows from 0 about the centre (linear via transition.easing), the other side stays`, async () => {
    const frames = await render(`m-${kind}`, { asset: { type: 'color', color: '#0000ff' }, transition: { in: kind, out: kind, duration: D, easing: 'linear' } }, '#ff0000');
    const blue = (t: number) => extentOf(frameAt(frames, FPS, t), (c) => c[2] > 160 && c[0] < 100);
    assert.equal(blue(0), undefined, 'nothing at the first frame');
    for (const [t, share] of [[0.2, 0.25], [0.4, 0.5], [0.6, 0.75], [1.6, 0.5]]) {
      const b = blue(t)!;
      const full = axis === 'width' ? 320 : 180;
      assert.ok(Math.abs(b[axis] - full * share) <= 3, `${axis} at ${t} s: ${b[axis]}, expected ${full * share}`);
      // Overlays land on even pixels (4:2:0) and sizes are even: the centre may be up to 2.5 px off.
      assert.ok(Math.abs((axis === 'width' ? b.cx : b.cy) - full / 2) <= 2.5, `centred at ${t} s: ${JSON.stringify(b)}`);
      assert.equal(axis === 'width' ? b.height : b.width, axis === 'width' ? 180 : 320, 'the other side is whole');
    }
  });
}

test('pop: grows with an overshoot (easeOutBack) and shrinks after an anticipation (easeInBack)', async () => {
  const frames = await render('m-pop', { asset: shape(80, 80), transition: { in: 'pop', out: 'pop', duration: D } });
  const w = (t: number) => box(frames, t)?.width ?? 0;
  assert.equal(w(0), 0, 'nothing at the first frame');
  // in at t = 0.5: p = 0.625, easeOutBack = 1.097: 87.7 px, larger than its size.
  assert.ok(Math.abs(w(0.5) - 80 * ease('easeOutBack', 0.625)) <= 2.5 && w(0.5) > 84, `overshoot: ${w(0.5)}`);
  assert.ok(Math.abs(w(1) - 80) <= 1, `at rest: ${w(1)}`);
  // out at t = 1.4: p = 0.25, easeInBack = −0.064: 85 px, larger before it shrinks.
  assert.ok(w(1.4) > 82, `anticipation: ${w(1.4)}`);
  assert.ok(w(1.9) < 50, `then shrinks: ${w(1.9)}`);
});

test('slideUp with transition.easing easeOutBack: comes in from below, overshoots its place, settles', async () => {
  const frames = await render('m-slide-back', { asset: shape(40, 40), transition: { in: 'slideUp', duration: D, easing: 'easeOutBack' } });
  // Top edge: 70 at rest, 180 (below the frame) at the start: y = 70·e + 180·(1 − e).
  for (const t of [0.2, 0.3, 0.4, 0.5, 0.6]) {
    const e = ease('easeOutBack', t / D);
    const want = 70 * e + 180 * (1 - e) + 20;
    const b = box(frames, t)!;
    assert.ok(Math.abs(b.cy - want) <= 2.5, `centre at ${t} s: ${b.cy}, the curve says ${want.toFixed(1)}`);
  }
  assert.ok(box(frames, 0.5)!.cy < 84, 'above its resting place half way through');
  assert.ok(Math.abs(box(frames, 1)!.cy - 90) <= 1, 'at rest');
});

/** Rows over which the luma of column 160 rises from 10 % to 90 % of the way from the dark band to the light. */
const edgeWidth = (p: Picture, y0: number, y1: number): number => {
  const col = Array.from({ length: y1 - y0 }, (_, i) => luma(pixel(p, 160, y0 + i)));
  const lo = Math.min(...col);
  const hi = Math.max(...col);
  const at = (f: number) => col.findIndex((v) => v <= lo + f * (hi - lo));
  return at(0.1) - at(0.9);
};

describe('blur and pixelate over a sharp edge (white rows 0–84, black 85–179)', () => {
  let image = '';
  before(async () => { image = await bandImage(h.dir, 'edge.png', 320, [['#ffffff', 85], ['#000000', 95]]); });

  test('blur: comes into focus from sigma 9 px (5 % of 180) while fading in', async () => {
    const frames = await render('m-blur', { asset: { type: 'image', src: 'edge.png' }, transition: { in: 'blur', out: 'blur', duration: D } });
    const w = (t: number) => edgeWidth(frameAt(frames, FPS, t), 50, 120);
    // 10–90 % of a Gaussian edge spans 2.56 σ: at 0.2 s σ = 6.75 (17 px), 0.4 s σ = 4.5 (12 px).
    assert.ok(Math.abs(w(0.2) - 17) <= 5, `0.2 s: ${w(0.2)} px`);
    assert.ok(Math.abs(w(0.4) - 11.5) <= 4, `0.4 s: ${w(0.4)} px`);
    assert.ok(w(1) <= 3, `sharp after: ${w(1)} px`);
    assert.ok(w(1.8) > w(1.6) && w(1.6) > w(1.4), `blurs away: ${[1.4, 1.6, 1.8].map(w)}`);
    const white = (t: number) => luma(patch(frameAt(frames, FPS, t), 160, 20));
    assert.ok(Math.abs(white(0.4) - 128) < 20, `half faded in: ${white(0.4)}`);
  });

  test('blur keyframes: sigma 0 → 8 px over the clip', async () => {
    const frames = await render('m-blur-keys', { asset: { type: 'image', src: 'edge.png' }, keyframes: { blur: [{ time: 0, value: 0 }, { time: 2, value: 8 }] } });
    const w = (t: number) => edgeWidth(frameAt(frames, FPS, t), 40, 130);
    assert.ok(w(0) <= 3, `sharp at first: ${w(0)}`);
    assert.ok(Math.abs(w(1) - 2.56 * 4) <= 4, `σ 4 at 1 s: ${w(1)}`);
    assert.ok(Math.abs(w(1.9) - 2.56 * 7.6) <= 5, `σ 7.6 at 1.9 s: ${w(1.9)}`);
    expectColour(frameAt(frames, FPS, 1), 160, 10, '#ffffff', 'no fade: the white stays white');
  });

  test('pixelate: 18 px blocks to full detail while fading in', async () => {
    const frames = await render('m-pixelate', { asset: { type: 'image', src: 'edge.png' }, transition: { in: 'pixelate', duration: D } });
    // Half way the blocks are 10 px: rows 80–89 hold 5 white and 5 black rows, averaged to grey.
    const p = frameAt(frames, FPS, 0.4);
    const ratio = luma(pixel(p, 160, 82)) / luma(pixel(p, 160, 72));
    assert.ok(ratio > 0.3 && ratio < 0.7, `the block across the edge is grey: ${ratio.toFixed(2)}`);
    const done = frameAt(frames, FPS, 1);
    assert.ok(luma(pixel(done, 160, 82)) > 230 && luma(pixel(done, 160, 88)) < 25, 'full detail after');
  });
});

// A slide starts beyond the frame's edge with its drop shadow: the shadow of a clip resting just
// past the left edge (offset 6 px right, blur 4) lay in the frame on the first frame, a grey band.
describe('slide with a drop shadow', () => {
  for (const kind of ['slideRight', 'slideDown', 'slideLeft', 'slideUp']) {
    test(`${kind} in: nothing of the clip or its shadow on the first frame`, async () => {
      const frames = await render(`m-${kind}-shadow`, {
        asset: { type: 'color', color: '#ffffff' }, scale: 0.5,
        shadow: { color: '#ffffff', blur: 4, x: kind === 'slideLeft' ? -6 : 6, y: kind === 'slideUp' ? -6 : 6 },
        transition: { in: kind, duration: D },
      });
      const first = frames[0];
      let brightest = 0;
      for (let i = 1; i < first.data.length; i += 3) brightest = Math.max(brightest, first.data[i]);
      assert.ok(brightest < 24, `the first frame shows something: green up to ${brightest}`);
      assert.ok(luma(pixel(frameAt(frames, FPS, 1), 160, 90)) > 200, 'the clip is in place once the slide is done');
    });
  }
});

// The frame where `out` begins is still whole: it was drawn as the first frame of the shrink, from
// the half-size copy (soft text, a quarter of its bright pixels lost), one frame after the sharp rest.
describe('the first frame of a sizing out', () => {
  for (const kind of ['zoom', 'pop', 'spin', 'flipY']) {
    test(`${kind} out: the frame where it begins is the resting picture`, async () => {
      const frames = await render(`m-${kind}-out-start`, {
        asset: { type: 'text', text: 'HELLO', font: { size: 40, color: '#ffffff' } }, transition: { out: kind, duration: D },
      });
      const [rest, begins] = [frameAt(frames, FPS, 1.1), frameAt(frames, FPS, 2 - D)];
      let worst = 0;
      for (let i = 0; i < rest.data.length; i++) worst = Math.max(worst, Math.abs(rest.data[i] - begins.data[i]));
      assert.ok(worst <= 12, `the frame at ${2 - D} s differs from the rest by up to ${worst}`);
    });
  }
});

// easeInBack ends a hair under 1 in floating point (2.70158 − 1.70158): the resting picture of a
// zoom or flip with that easing was truncated to 98×58.
for (const kind of ['zoom', 'flipX']) {
  test(`${kind} with transition.easing easeInBack: whole at rest`, async () => {
    const frames = await render(`m-${kind}-inback`, { asset: shape(100, 60), transition: { in: kind, out: kind, duration: D, easing: 'easeInBack' } });
    const b = box(frames, 1)!;
    assert.ok(b.width === 100 && b.height === 60, `at rest: ${b.width}×${b.height}`);
  });
}
