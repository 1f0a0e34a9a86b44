/**
 * zoom-window.ts: which zooms it draws (the rest keep the sub-pixel map), and the windows it picks.
 * The rendered proof that its zooms move steadily is test/render/smooth-motion.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterGraph } from './filter-graph.ts';
import { zoomAt } from './ken-burns.ts';
import { zoomWindow } from './zoom-window.ts';

const input = (w: number, h: number, len: number, effect: 'zoomIn' | 'zoomOut' = 'zoomIn', skip = 0, N = Math.round(len * 30)) => ({
  B: { w, h }, zoomAt: zoomAt(effect, len), centre: { x: w / 2, y: h / 2 }, skip, N, F: 30, len, tbDen: 30000, pix: 'yuv420p', uid: 't',
});

/** The zoom factors of the plan's zoompan, frame by frame (its tree of constants, read back). */
const zooms = (chain: string[], n: number): number[] => {
  const z = /zoompan=z='([^']*)'/.exec(chain.join(','))![1];
  return Array.from({ length: n }, (_, on) => {
    let e = z;
    for (;;) {
      const m = /^if\(lt\(on,(\d+)\),/.exec(e);
      if (!m) return Number(e);
      // Split the rest at the comma that closes the first branch (depth 0).
      const rest = e.slice(m[0].length, -1);
      let depth = 0;
      let cut = -1;
      for (let i = 0; i < rest.length && cut < 0; i++) {
        if (rest[i] === '(') depth++;
        else if (rest[i] === ')') depth--;
        else if (rest[i] === ',' && depth === 0) cut = i;
      }
      e = on < Number(m[1]) ? rest.slice(0, cut) : rest.slice(cut + 1);
    }
  });
};

test('ref-a\'s zooms (1280×720, 4.5 s at 30 fps, both ways) are drawn by zoompan; the window shrinks (or grows) on every frame', () => {
  for (const effect of ['zoomIn', 'zoomOut'] as const) {
    const zw = zoomWindow(input(1280, 720, 4.5, effect));
    assert.ok(zw, effect);
    assert.match(zw.once.join(','), /^scale=2560:2160:flags=lanczos,format=yuv420p,pad=\d+:\d+:\d+:\d+,fillborders=/);
    const Z = zooms(zw.perFrame(new FilterGraph('/work')), 135);
    const ZW = 2 * 1284 + 16; // the padded copy's width
    const widths = Z.map((z) => Math.floor(ZW / z));
    widths.slice(1).forEach((w, i) => assert.ok(effect === 'zoomIn' ? w < widths[i] : w > widths[i], `${effect}: frame ${i + 1} window ${w} after ${widths[i]}`));
  }
});

test('a range of the clip gets the windows of the whole clip', () => {
  const whole = zooms(zoomWindow(input(1280, 720, 4.5))!.perFrame(new FilterGraph('/work')), 135);
  const part = zooms(zoomWindow(input(1280, 720, 4.5, 'zoomIn', 40 / 30, 30))!.perFrame(new FilterGraph('/work')), 30);
  assert.deepEqual(part, whole.slice(40, 70));
});

test('zooms it cannot draw within the tolerance keep the map: tall boxes, slow zooms, odd sizes, boxes above 1080p', () => {
  assert.equal(zoomWindow(input(728, 1280, 6)), undefined);
  assert.equal(zoomWindow(input(1280, 720, 20)), undefined);
  assert.equal(zoomWindow(input(1281, 720, 4.5)), undefined);
  assert.equal(zoomWindow(input(3840, 2160, 4.5)), undefined, 'boxes above 1080p (not measured)');
  assert.ok(zoomWindow(input(320, 180, 2)));
});
