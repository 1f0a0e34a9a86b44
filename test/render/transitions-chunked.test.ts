/**
 * A clip renders the same whatever range is rendered: every (1.1) transition kind, in and out, cut
 * through the middle of its transitions by `output.range`, gives the frames of the whole render.
 * One timeline holds the 15 kinds one after another (a textured still, 0.6 s each, 0.3 s in and
 * out), rendered whole once and in three ranges whose edges fall mid-transition.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, type Picture } from '../support/decoded-pictures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';

const h = createRenderHarness('transitions-chunked');
after(() => h.dispose());

const KINDS = ['wipeUpLeft', 'wipeUpRight', 'wipeDownLeft', 'wipeDownRight', 'iris', 'clock', 'barnDoorHorizontal', 'barnDoorVertical',
  'dissolve', 'blur', 'pixelate', 'spin', 'flipX', 'flipY', 'pop'];
const OUTPUT = { width: 160, height: 90, fps: 10, quality: 'high' } as const;
const LEN = 0.6;

before(async () => { await ffmpeg('-f', 'lavfi', '-i', 'testsrc=s=320x180', '-frames:v', '1', join(h.dir, 'still.png')); });

const composition = (range?: { start: number; length: number }) => ({
  output: { ...OUTPUT, ...(range ? { range } : {}) },
  background: '#203040',
  tracks: [{ clips: KINDS.map((kind, i) => ({
    asset: { type: 'image', src: 'still.png' }, start: i * LEN, length: LEN, scale: 0.8,
    transition: { in: kind, out: kind, duration: 0.3, ...(kind === 'clock' ? { easing: 'easeInOutCubic' } : {}) },
  })) }],
});

const meanDiff = (a: Picture, b: Picture) => {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] - b.data[i]);
  return s / a.data.length;
};

test('every new transition renders the same frames in a range as in the whole timeline', async () => {
  const whole = await decodeFrames((await h.render('whole', composition())).video.path);
  assert.equal(whole.length, Math.round(KINDS.length * LEN * OUTPUT.fps));
  // Range edges at 2.8 s (mid `in` of clock's neighbour), 5.7 s (mid `out`): every part starts or ends inside a transition.
  const ranges = [{ start: 0, length: 2.8 }, { start: 2.8, length: 2.9 }, { start: 5.7, length: KINDS.length * LEN - 5.7 }];
  let first = 0;
  for (const [i, range] of ranges.entries()) {
    const part = await decodeFrames((await h.render(`part-${i}`, composition(range))).video.path);
    assert.equal(part.length, Math.round(range.length * OUTPUT.fps), `frames of part ${i}`);
    part.forEach((p, k) => {
      const d = meanDiff(p, whole[first + k]);
      assert.ok(d < 2.5, `frame ${first + k} (${((first + k) / OUTPUT.fps).toFixed(1)} s, ${KINDS[Math.floor((first + k) / (LEN * OUTPUT.fps))]}) differs by ${d.toFixed(2)} on average`);
    });
    first += part.length;
  }
  // And the timeline is not blank: the transitions show something of the still.
  const mid = whole[Math.round(LEN * OUTPUT.fps * 4 + 1)];
  assert.ok(meanDiff(mid, whole[0]) > 5, 'frames differ from one another');
});
