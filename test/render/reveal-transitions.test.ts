/**
 * The (1.1) mask transitions: diagonal wipes, iris, clock, barn doors and dissolve. As in
 * transitions.test.ts, a full-frame blue clip sits on a red one; each kind renders once as a 2 s
 * MP4 with `in` over 0–0.8 s and `out` over 1.2–2 s (linear by default), and the frames half-way
 * through each are sampled where the blue clip must show and where the red one must still show.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, frameAt, type Picture } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';

const h = createRenderHarness('reveal-transitions');
after(() => h.dispose());

const [RED, BLUE] = ['#ff0000', '#0000ff'];
const FPS = TINY.fps;
const D = 0.8;
const IN_HALF = 0.4;
const OUT_HALF = 1.6;

const renderKind = async (name: string, transition: object): Promise<Picture[]> => {
  const out = await h.render(name, {
    output: TINY,
    tracks: [
      { clips: [{ asset: { type: 'color', color: RED }, start: 0, length: 2 }] },
      { clips: [{ asset: { type: 'color', color: BLUE }, start: 0, length: 2, transition: { duration: D, ...transition } }] },
    ],
  });
  return decodeFrames(out.video.path);
};

type Expect = ReadonlyArray<readonly [number, number, string, string]>;
const check = (frames: Picture[], t: number, points: Expect) => {
  const p = frameAt(frames, FPS, t);
  for (const [x, y, c, what] of points) expectColour(p, x, y, c, `${what} at ${t} s`);
};
/** Share of the frame's pixels that are the blue clip's. */
export const blueShare = (p: Picture): number => {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 3) if (p.data[i + 2] > 160 && p.data[i] < 100) n++;
  return n / (p.width * p.height);
};

// Corners and edges of the 320×180 frame (inset so that a 5×5 patch stays inside).
const TL = [20, 15] as const; const TR = [300, 15] as const; const BL = [20, 165] as const; const BR = [300, 165] as const;
const C = [160, 90] as const;

// [kind, half-way into `in`: what shows, half-way into `out`: what shows]
const CASES: ReadonlyArray<readonly [string, Expect, Expect]> = [
  ['wipeDownRight', [[...TL, BLUE, 'the top-left corner shows first'], [...BR, RED, 'the bottom-right is still hidden']],
    [[...TL, RED, 'the top-left is hidden first'], [...BR, BLUE, 'the bottom-right still shows']]],
  ['wipeDownLeft', [[...TR, BLUE, 'the top-right corner shows first'], [...BL, RED, 'the bottom-left is still hidden']],
    [[...TR, RED, 'the top-right is hidden first'], [...BL, BLUE, 'the bottom-left still shows']]],
  ['wipeUpRight', [[...BL, BLUE, 'the bottom-left corner shows first'], [...TR, RED, 'the top-right is still hidden']],
    [[...BL, RED, 'the bottom-left is hidden first'], [...TR, BLUE, 'the top-right still shows']]],
  ['wipeUpLeft', [[...BR, BLUE, 'the bottom-right corner shows first'], [...TL, RED, 'the top-left is still hidden']],
    [[...BR, RED, 'the bottom-right is hidden first'], [...TL, BLUE, 'the top-left still shows']]],
  ['iris', [[...C, BLUE, 'a circle about the centre'], [100, 90, BLUE, 'inside its radius'], [...TL, RED, 'the corners still hidden'], [...BR, RED, 'the corners still hidden']],
    [[...C, BLUE, 'the centre shows until the end'], [...TR, RED, 'the corners go first'], [...BL, RED, 'the corners go first']]],
  // Half way, the hand points at 6 o'clock: the right half shows, the left does not.
  ['clock', [[240, 45, BLUE, 'one o\'clock'], [240, 135, BLUE, 'five o\'clock'], [80, 135, RED, 'seven o\'clock'], [80, 45, RED, 'eleven o\'clock']],
    [[240, 45, RED, 'one o\'clock is hidden first'], [240, 135, RED, 'five o\'clock too'], [80, 135, BLUE, 'seven o\'clock still shows'], [80, 45, BLUE, 'eleven o\'clock still shows']]],
  ['barnDoorHorizontal', [[...C, BLUE, 'the centre line opens first'], [120, 20, BLUE, 'a quarter out, all the way up'], [20, 90, RED, 'the left edge is still closed'], [300, 90, RED, 'the right edge too']],
    [[...C, BLUE, 'the centre line closes last'], [20, 90, RED, 'the edges close first'], [300, 90, RED, 'the edges close first']]],
  ['barnDoorVertical', [[...C, BLUE, 'the centre line opens first'], [20, 80, BLUE, 'across the whole width'], [160, 10, RED, 'the top edge is still closed'], [160, 170, RED, 'the bottom too']],
    [[...C, BLUE, 'the centre line closes last'], [160, 10, RED, 'the edges close first'], [160, 170, RED, 'the edges close first']]],
];

for (const [kind, inExpect, outExpect] of CASES) {
  describe(kind, () => {
    let frames: Picture[] = [];
    before(async () => { frames = await renderKind(`r-${kind}`, { in: kind, out: kind }); });
    test('in: nothing at the first frame, part-way at half time, whole once done; out part-way at half time', () => {
      assert.equal(frames.length, 20);
      assert.ok(blueShare(frameAt(frames, FPS, 0)) < 0.001, 'nothing of the clip at the first frame');
      check(frames, IN_HALF, inExpect);
      assert.ok(blueShare(frameAt(frames, FPS, 1)) > 0.97, 'whole once in is done');
      check(frames, OUT_HALF, outExpect);
    });
    test('the shown share grows every frame of in and shrinks every frame of out', () => {
      const share = (t: number) => blueShare(frameAt(frames, FPS, t));
      const ins = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map(share);
      const outs = [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9].map(share);
      for (let i = 1; i < ins.length; i++) assert.ok(ins[i] > ins[i - 1], `grows: ${ins.map((v) => v.toFixed(3))}`);
      for (let i = 1; i < outs.length; i++) assert.ok(outs[i] < outs[i - 1], `shrinks: ${outs.map((v) => v.toFixed(3))}`);
    });
  });
}

describe('dissolve', () => {
  let frames: Picture[] = [];
  let again: Picture[] = [];
  before(async () => {
    frames = await renderKind('r-dissolve', { in: 'dissolve', out: 'dissolve' });
    again = await renderKind('r-dissolve-again', { in: 'dissolve', out: 'dissolve' });
  });
  test('in: the shown share follows the (linear) progress, in blocks scattered over the whole frame', () => {
    for (const t of [0.2, 0.4, 0.6]) {
      const s = blueShare(frameAt(frames, FPS, t));
      assert.ok(Math.abs(s - t / D) < 0.1, `at ${t} s about ${Math.round((100 * t) / D)} % shows: ${s.toFixed(3)}`);
    }
    // Scattered: each quarter of the frame has some of the clip half way.
    const p = frameAt(frames, FPS, IN_HALF);
    const quarter = (x0: number, y0: number) => {
      let n = 0;
      for (let y = y0; y < y0 + 90; y++) for (let x = x0; x < x0 + 160; x++) { const i = 3 * (y * 320 + x); if (p.data[i + 2] > 160 && p.data[i] < 100) n++; }
      return n / (160 * 90);
    };
    for (const [x, y] of [[0, 0], [160, 0], [0, 90], [160, 90]]) assert.ok(quarter(x, y) > 0.25 && quarter(x, y) < 0.75, `quarter at (${x}, ${y}): ${quarter(x, y)}`);
  });
  test('out: disappears in blocks, about half half-way', () => {
    const s = blueShare(frameAt(frames, FPS, OUT_HALF));
    assert.ok(Math.abs(s - 0.5) < 0.1, `${s}`);
  });
  test('the same blocks on every render', () => {
    for (const t of [0.2, 0.4, 1.6]) {
      const a = frameAt(frames, FPS, t).data;
      const b = frameAt(again, FPS, t).data;
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
      assert.ok(diff <= 2, `identical at ${t} s: max difference ${diff}`);
    }
  });
  test('output.scale 0.5 draws the same blocks at half the size', async () => {
    // The block grid once came from a block size in whole pixels (9 px at 216, 5 px at 108), so the
    // half-size preview showed another grid and another order.
    const comp = (scale: number) => ({ output: { ...TINY, width: 640, height: 360, scale }, tracks: [
      { clips: [{ asset: { type: 'color', color: RED }, start: 0, length: 2 }] },
      { clips: [{ asset: { type: 'color', color: BLUE }, start: 0, length: 2, transition: { duration: D, in: 'dissolve' } }] },
    ] });
    const whole = frameAt(await decodeFrames((await h.render('r-dissolve-640', comp(1))).video.path), FPS, IN_HALF);
    const half = frameAt(await decodeFrames((await h.render('r-dissolve-640-half', comp(0.5))).video.path), FPS, IN_HALF);
    // The grid is 24 blocks high and 43 wide (640 × 360 and 320 × 180 alike): at each block's
    // centre, the same clip shows in both.
    const isBlue = (p: Picture, x: number, y: number) => p.data[3 * (Math.floor(y) * p.width + Math.floor(x)) + 2] > 160;
    let [same, blue, n] = [0, 0, 0];
    for (let j = 0; j < 24; j++) {
      for (let i = 0; i < 43; i++) {
        const [x, y] = [((i + 0.5) * 320) / 43, ((j + 0.5) * 180) / 24];
        const b = isBlue(half, x, y);
        n++;
        if (b) blue++;
        if (isBlue(whole, 2 * x, 2 * y) === b) same++;
      }
    }
    assert.ok(blue / n > 0.3 && blue / n < 0.7, `about half shows half way: ${blue / n}`);
    assert.ok(same / n > 0.98, `the same blocks: ${((100 * same) / n).toFixed(1)} % of block centres agree`);
  });
});

test('transition.easing replaces the kind\'s curve: iris with easeInQuad is a quarter open half way', async () => {
  const frames = await renderKind('r-iris-eased', { in: 'iris', easing: 'easeInQuad' });
  // Radius ∝ eased progress: half way (0.25) the circle is a quarter of the half-diagonal (≈ 46 px).
  const p = frameAt(frames, FPS, IN_HALF);
  expectColour(p, 160, 90, BLUE, 'the centre');
  expectColour(p, 160 + 30, 90, BLUE, 'inside a quarter radius');
  expectColour(p, 160 + 70, 90, RED, 'outside it (linear would show this)');
});
