/**
 * One rendered test per (1.1) easing family, plus `hold` and a cubic Bézier: twelve small squares,
 * one per row, each keyframed on x from −0.2 to +0.2 of the width (centre 96 → 224 px) between
 * 0.5 s and 1.5 s with its easing, rendered in one go. The measured centres at 20, 40, 60 and 80 %
 * of the time are compared with the curve's own values (the same functions the planner uses are
 * checked against easings.net in src/render/easing.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, extentOf, frameAt, luma, type Picture } from '../support/decoded-pictures.ts';
import { ease } from '../../src/render/easing.ts';
import type { Easing } from '../../src/composition/schema.ts';

const h = createRenderHarness('easing-families');
after(() => h.dispose());

const EASINGS: Easing[] = [
  'easeInSine', 'easeOutQuad', 'easeInOutCubic', 'easeInQuart', 'easeOutQuint', 'easeInOutExpo',
  'easeOutCirc', 'easeOutBack', 'easeOutElastic', 'easeOutBounce', 'hold', [0.68, -0.6, 0.32, 1.6],
];
const ROW = 15;
let frames: Picture[] = [];

before(async () => {
  const out = await h.render('families', {
    output: TINY,
    tracks: EASINGS.map((easing, i) => ({ clips: [{
      asset: { type: 'shape', shape: 'rectangle', width: 8, height: 8, fill: '#ffffff' }, start: 0, length: 2,
      offset: { y: (i * ROW + ROW / 2 - 90) / 180 },
      keyframes: { x: [{ time: 0.5, value: -0.2, easing }, { time: 1.5, value: 0.2 }] },
    }] })),
  });
  frames = await decodeFrames(out.video.path);
});

EASINGS.forEach((easing, i) => {
  const name = typeof easing === 'string' ? easing : `cubic-bezier(${easing.join(', ')})`;
  test(`${name}: the square's centre follows the curve at 20, 40, 60 and 80 % of the time`, () => {
    const cx = (t: number) => {
      const b = extentOf(frameAt(frames, TINY.fps, t), (c) => luma(c) > 128, { x: 0, y: i * ROW, w: 320, h: ROW });
      assert.ok(b, `the square of row ${i} is drawn at ${t} s`);
      return b.cx;
    };
    for (const t of [0.7, 0.9, 1.1, 1.3]) {
      const want = 96 + 128 * ease(easing, (t - 0.5) / 1);
      // Overlays land on even pixels (4:2:0): up to 2 px short, plus rounding.
      assert.ok(Math.abs(cx(t) - want) <= 2.5, `at ${t} s the centre is at ${cx(t)}, the curve says ${want.toFixed(1)}`);
    }
    assert.ok(Math.abs(cx(1.7) - 224) <= 1.5, `at rest after the last key: ${cx(1.7)}`);
  });
});
