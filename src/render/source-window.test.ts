/**
 * The source cut of a playing cover-fitted video (source-window.ts): where it lands, what it reads,
 * and how close its sampling grid is to the whole-box scale's (rendered comparison:
 * test/render/visible-window.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_GRID_ERROR, sourceCut } from './source-window.ts';

const parse = (crop: string) => Object.fromEntries([...crop.matchAll(/(\w)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));

describe('source cut of a playing video', () => {
  test("ref-c's clip1.mp4 (1920×1080 in a 2276×1280 box, 728 columns shown): 712 source columns scaled to 844", () => {
    const c = sourceCut({ w: 1920, h: 1080 }, { w: 2276, h: 1280 }, { x: 774, y: 0, w: 728, h: 1280 })!;
    assert.equal(c.crop, 'crop=w=712:h=1080:x=604:y=0:exact=1');
    assert.deepEqual(c.size, { w: 844, h: 1280 });
    assert.equal(c.cut, 'crop=w=728:h=1280:x=58:y=0:exact=1');
    assert.ok(c.gridError < 0.01, `grid error ${c.gridError}`);
  });

  const CASES = [
    { S: { w: 1920, h: 1080 }, E: { w: 2276, h: 1280 }, win: { x: 774, y: 0, w: 728, h: 1280 } },
    { S: { w: 1280, h: 720 }, E: { w: 2276, h: 1280 }, win: { x: 774, y: 0, w: 728, h: 1280 } },
    { S: { w: 3840, h: 2160 }, E: { w: 2276, h: 1280 }, win: { x: 774, y: 0, w: 728, h: 1280 } },
    { S: { w: 1920, h: 1080 }, E: { w: 568, h: 320 }, win: { x: 190, y: 0, w: 188, h: 320 } },
    // A tall source in a landscape frame: rows cut.
    { S: { w: 1080, h: 1920 }, E: { w: 1280, h: 2276 }, win: { x: 0, y: 774, w: 1280, h: 728 } },
  ];
  for (const { S, E, win } of CASES) {
    test(`${S.w}×${S.h} → ${E.w}×${E.h}, window ${win.w}×${win.h} at ${win.x},${win.y}: inside the source, even, covering the window with the taps' margin`, () => {
      const c = sourceCut(S, E, win)!;
      assert.ok(c, 'a cut is found');
      const src = parse(c.crop);
      const cut = parse(c.cut);
      assert.ok(c.gridError <= MAX_GRID_ERROR);
      for (const v of [src.w, src.h, src.x, src.y, c.size.w, c.size.h, cut.x, cut.y]) assert.equal(v % 2, 0, `${c.crop} ${c.cut}`);
      assert.ok(src.x + src.w <= S.w && src.y + src.h <= S.h);
      assert.equal(cut.w, win.w);
      assert.equal(cut.h, win.h);
      assert.ok(cut.x + cut.w <= c.size.w && cut.y + cut.h <= c.size.h);
      assert.ok(c.size.w * c.size.h < 0.9 * E.w * E.h, 'it saves pixels');
      // The part lands at (win.x - cut.x) in the box; its source starts there on the whole grid, give or take the grid error.
      const r = S.w / E.w;
      assert.ok(Math.abs((win.x - cut.x) * r - src.x) < 0.05);
      // Taps: at least 2 source pixels beyond what the window reads, where the source is cut.
      if (src.x > 0) assert.ok(src.x <= win.x * r - 2);
      if (src.x + src.w < S.w) assert.ok(src.x + src.w >= (win.x + win.w) * r + 2);
    });
  }

  test('no cut where the window is nearly the whole box', () => {
    assert.equal(sourceCut({ w: 1920, h: 1080 }, { w: 1280, h: 720 }, { x: 0, y: 0, w: 1280, h: 700 }), undefined);
  });
});
