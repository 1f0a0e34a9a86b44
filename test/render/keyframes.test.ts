/**
 * Keyframes on each of the five properties, with each of the four easings. Every clip is 2 s with
 * two keys at 0.5 s and 1.5 s, so the value holds before 0.5 s, moves in between and holds after
 * 1.5 s; the frames at 0.8, 1.0 and 1.2 s (30, 50 and 70 % of the time between the keys) show the
 * curve's shape.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, extentOf, frameAt, luma, patch, type Picture } from '../support/decoded-pictures.ts';

const h = createRenderHarness('keyframes');
after(() => h.dispose());

const FPS = TINY.fps;
const renderClip = async (name: string, clip: object): Promise<Picture[]> => {
  const out = await h.render(name, { output: TINY, tracks: [{ clips: [{ start: 0, length: 2, ...clip }] }] });
  const frames = await decodeFrames(out.video.path);
  assert.equal(frames.length, 20);
  return frames;
};
const whiteSquare = (size = 20) => ({ type: 'shape', shape: 'rectangle', width: size, height: size, fill: '#ffffff' });
const box = (frames: Picture[], t: number) => {
  const b = extentOf(frameAt(frames, FPS, t), (c) => luma(c) > 128);
  assert.ok(b, `the shape is drawn at ${t} s`);
  return b;
};
const keys = (from: number, to: number, easing?: string) => [{ time: 0.5, value: from, ...(easing ? { easing } : {}) }, { time: 1.5, value: to }];

describe('easing (on x: −0.25 → +0.25 of the width, i.e. centre 80 → 240 px)', () => {
  // Progress at 30, 50 and 70 % of the time: linear, and the CSS-like cubic curves
  // (in: p³; out: 1 − (1 − p)³; in-out: 4p³, then 1 − (2 − 2p)³ / 2).
  const expected: Record<string, [number, number, number]> = {
    linear: [0.3, 0.5, 0.7],
    easeIn: [0.027, 0.125, 0.343],
    easeOut: [0.657, 0.875, 0.973],
    easeInOut: [0.108, 0.5, 0.892],
  };
  for (const [easing, progress] of Object.entries(expected)) {
    test(`${easing}${easing === 'linear' ? ' (the default)' : ''}: 30, 50 and 70 % of the time give ${progress.map((p) => `${Math.round(p * 100)} %`).join(', ')} of the way`, async () => {
      // Linear is written without `easing`, to check that it is the default.
      const frames = await renderClip(`ease-${easing}`, { asset: whiteSquare(), keyframes: { x: keys(-0.25, 0.25, easing === 'linear' ? undefined : easing) } });
      const at = (t: number) => box(frames, t).cx;
      assert.ok(Math.abs(at(0) - 80) <= 1.5 && Math.abs(at(0.4) - 80) <= 1.5, `holds the first value before the first key: ${at(0)}, ${at(0.4)}`);
      [0.8, 1, 1.2].forEach((t, i) => {
        const want = 80 + 160 * progress[i];
        // Overlays land on even pixels (4:2:0), so a position may be up to 2 px short.
        assert.ok(Math.abs(at(t) - want) <= 2.5, `at ${t} s the centre is at ${at(t)}, expected ${want}`);
      });
      assert.ok(Math.abs(at(1.6) - 240) <= 1.5 && Math.abs(at(1.9) - 240) <= 1.5, `holds the last value after the last key: ${at(1.6)}, ${at(1.9)}`);
    });
  }
});

test('y: +0.25 of the height moves the centre 45 px down', async () => {
  const frames = await renderClip('kf-y', { asset: whiteSquare(), keyframes: { y: keys(0, 0.25) } });
  assert.ok(Math.abs(box(frames, 0.2).cy - 90) <= 1.5);
  assert.ok(Math.abs(box(frames, 1).cy - 112.5) <= 2, `half way at 1 s: ${box(frames, 1).cy}`);
  assert.ok(Math.abs(box(frames, 1.8).cy - 135) <= 1.5, `${box(frames, 1.8).cy}`);
  assert.ok(Math.abs(box(frames, 1.8).cx - 160) <= 1.5, 'x stays');
});

test('x and y keyframes ignore the static offset', async () => {
  const frames = await renderClip('kf-xy-static', { asset: whiteSquare(), offset: { x: 0.4, y: 0.4 }, keyframes: { x: keys(0, 0), y: keys(0, 0) } });
  const b = box(frames, 1);
  assert.ok(Math.abs(b.cx - 160) <= 1.5 && Math.abs(b.cy - 90) <= 1.5, `centred, not offset: (${b.cx}, ${b.cy})`);
});

test('scale: 1 → 2 about the centre, with easeInOut; the static scale is ignored', async () => {
  const frames = await renderClip('kf-scale', { asset: whiteSquare(40), scale: 3, keyframes: { scale: keys(1, 2, 'easeInOut') } });
  const w = (t: number) => box(frames, t).width;
  assert.ok(Math.abs(w(0.2) - 40) <= 2, `holds 1× before: ${w(0.2)}`);
  assert.ok(Math.abs(w(0.8) - 40 * 1.108) <= 2, `eases in: ${w(0.8)}`);
  assert.ok(Math.abs(w(1) - 60) <= 2, `half way: ${w(1)}`);
  assert.ok(Math.abs(w(1.8) - 80) <= 2, `2× after: ${w(1.8)}`);
  const b = box(frames, 1.8);
  assert.ok(Math.abs(b.cx - 160) <= 1.5 && Math.abs(b.cy - 90) <= 1.5, 'stays centred');
});

test('opacity: 0 → 1 with easeOut; the static opacity is ignored', async () => {
  const frames = await renderClip('kf-opacity', { asset: { type: 'color', color: '#ffffff' }, opacity: 0.3, keyframes: { opacity: keys(0, 1, 'easeOut') } });
  const l = (t: number) => luma(patch(frameAt(frames, FPS, t), 160, 90));
  assert.ok(l(0.2) < 8, `invisible before the first key: ${l(0.2)}`);
  assert.ok(Math.abs(l(0.8) - 255 * 0.657) < 12, `eases out (66 % at 30 % of the time): ${l(0.8)}`);
  assert.ok(Math.abs(l(1) - 255 * 0.875) < 15, `${l(1)}`);
  assert.ok(l(1.8) > 245, `opaque after the last key, not 0.3: ${l(1.8)}`);
});

test('rotate: 0 → 90° clockwise, with easeIn', async () => {
  const bar = { type: 'shape', shape: 'rectangle', width: 120, height: 20, fill: '#ffffff' };
  const frames = await renderClip('kf-rotate', { asset: bar, rotate: 30, keyframes: { rotate: keys(0, 90, 'easeIn') } });
  const b = (t: number) => box(frames, t);
  assert.ok(Math.abs(b(0.2).width - 120) <= 3 && Math.abs(b(0.2).height - 20) <= 3, `level before (the static 30° ignored): ${b(0.2).width}×${b(0.2).height}`);
  // At 1 s easeIn gives 12.5 % of 90° = 11.25°: still nearly level.
  const r = (11.25 * Math.PI) / 180;
  assert.ok(Math.abs(b(1).height - (120 * Math.sin(r) + 20 * Math.cos(r))) <= 4, `11° at 1 s: ${b(1).height} px tall`);
  assert.ok(Math.abs(b(1.8).width - 20) <= 3 && Math.abs(b(1.8).height - 120) <= 3, `upright after: ${b(1.8).width}×${b(1.8).height}`);
  // Clockwise: at 1.3 s (51 % of 90°: 46°) the right end has gone down.
  const p = frameAt(frames, FPS, 1.3);
  assert.ok(luma(patch(p, 205, 125)) > 128 || luma(patch(p, 200, 120)) > 128, 'lower right is covered');
  assert.ok(luma(patch(p, 205, 55)) < 60, 'upper right is clear');
});

test('keyframes combine with a transition: fading in while moving', async () => {
  const frames = await renderClip('kf-with-transition', { asset: whiteSquare(), keyframes: { x: [{ time: 0, value: -0.25 }, { time: 2, value: 0.25 }] }, transition: { in: 'fade', duration: 1 } });
  const p = frameAt(frames, FPS, 0.5);
  const b = extentOf(p, (c) => luma(c) > 40);
  assert.ok(b && Math.abs(b.cx - 120) <= 2, `moved a quarter of the way at 0.5 s: ${b?.cx}`);
  const l = luma(patch(p, b.cx, b.cy));
  assert.ok(l > 100 && l < 160, `half faded in: ${l}`);
});

describe('keyframed motion at NTSC rates', () => {
  // A moving clip passes a blend (framesync) that hands on microseconds at 1001-based rates; the
  // clip's move to its start frame was read in those units, so it showed 0.47 s early.
  for (const fps of [29.97, 59.94]) {
    test(`${fps} fps: a moving shape starting at 0.5 s shows from its start frame, whole and in a range`, async () => {
      const comp = (range?: object) => ({
        output: { ...TINY, fps, duration: 1.5, ...(range ? { range } : {}) },
        tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 60, height: 60, fill: '#ffffff' }, start: 0.5, length: 1,
          keyframes: { x: [{ time: 0, value: -0.3 }, { time: 1, value: 0.3, easing: 'easeInOutSine' }] } }] }],
      });
      const lit = (frames: readonly Picture[]) => frames.map((f) => (extentOf(f, (c) => luma(c) > 128) ? '#' : '.')).join('');
      const first = Math.ceil(0.5 * (fps > 30 ? 60000 : 30000) / 1001);
      const whole = lit(await decodeFrames((await h.render(`ntsc-${fps}`, comp())).video.path));
      assert.equal(whole, '.'.repeat(first) + '#'.repeat(whole.length - first));
      const part = lit(await decodeFrames((await h.render(`ntsc-${fps}-range`, comp({ start: 0.2, length: 0.6 }))).video.path));
      const from = Math.round(0.2 * fps);
      assert.equal(part, whole.slice(from, from + part.length));
    });
  }
});

// The frame right at the first key still rests: with an easing that dips below the keys (Back) it
// was the first frame of the motion, drawn through the sub-pixel map from the motion's smallest
// size, soft text one frame before it moved (up to 63 levels off the rest).
test('scale keyed from 1 s with easeInOutBack: the frame at 1 s is the resting picture', async () => {
  const frames = await renderClip('kf-scale-first-key', {
    asset: { type: 'text', text: 'HELLO', font: { size: 40, color: '#ffffff' } }, start: 0, length: 2,
    keyframes: { scale: [{ time: 1, value: 1, easing: 'easeInOutBack' }, { time: 1.5, value: 2 }] },
  });
  const [rest, atKey] = [frameAt(frames, FPS, 0.9), frameAt(frames, FPS, 1)];
  let worst = 0;
  for (let i = 0; i < rest.data.length; i++) worst = Math.max(worst, Math.abs(rest.data[i] - atKey.data[i]));
  assert.ok(worst <= 12, `the frame at the first key differs from the rest by up to ${worst}`);
});
