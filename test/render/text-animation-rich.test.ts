/**
 * Animated text is laid out as rich text (ref-c's title): uppercase spans with a gradient, one span
 * in its own colour, shrunk to fit its box, sliding in word by word. Rendered and decoded: the span
 * colour lies only over its own word, the gradient runs across the rest, the title fits the box it
 * was shrunk into, and the coloured word arrives after the first.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, pixel, type Picture, type Rgb } from '../support/decoded-pictures.ts';

const h = createRenderHarness('text-anim-rich');
after(() => h.dispose());

const FPS = 20;
const yellow = (c: Rgb) => c[0] > 170 && c[1] > 150 && c[2] < 90;
const ink = (c: Rgb) => Math.max(...c) > 90;
const count = (p: Picture, match: (c: Rgb) => boolean, x0 = 0, x1 = p.width) => {
  let n = 0;
  for (let y = 0; y < p.height; y++) for (let x = x0; x < x1; x++) if (match(pixel(p, x, y))) n++;
  return n;
};
test('an animated span title: span colour only over its word, gradient elsewhere, shrunk to its box, words in one by one', async () => {
  const out = await h.render('rich-title', {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 1.5 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 1.5 }] },
      { clips: [{
        asset: {
          type: 'text', transform: 'uppercase', width: 0.9, height: 0.25, shrink: true,
          text: [{ text: 'mega ' }, { text: 'sale', font: { color: '#ffd400' } }],
          font: { size: 96, weight: 700, gradient: { colors: ['#ff0000', '#0000ff'], angle: 90 } },
          animation: { in: { style: 'slideUp', by: 'word', duration: 0.6, easing: 'easeOutBack' } },
        },
        start: 0, length: 1.5,
      }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  const rest = frames[Math.round(1.2 * FPS)];
  const all = extentOf(rest, ink)!;
  assert.ok(all, 'the title is drawn');
  // Shrunk: "MEGA SALE" in 96 px bold is ~560 px wide; it must fit the 288×45 box, on one line.
  assert.ok(all.width <= 288 + 2 && all.height <= 45 + 2 && all.width > 150, `fits 288x45: ink ${all.width} x ${all.height}`);
  const y = extentOf(rest, yellow)!;
  assert.ok(y && count(rest, yellow) > 30, 'the span is yellow');
  // The span is the second word: its yellow lies wholly right of the first word's gradient ink.
  const gradientInk = (c: Rgb) => ink(c) && c[1] < 0.45 * Math.max(c[0], c[2]);
  const left = extentOf(rest, gradientInk)!;
  assert.ok(left, 'gradient ink');
  assert.equal(count(rest, yellow, 0, left.x1 + 1), 0, `no yellow over the first word (${left.x0}-${left.x1}; yellow from ${y.x0})`);
  assert.ok(y.x0 > left.x1, 'the yellow word follows');
  // The gradient runs left (red) to right (blue) across the other words.
  const firstCol = extentOf(rest, gradientInk, { x: left.x0, y: 0, w: 12, h: rest.height });
  const lastCol = extentOf(rest, gradientInk, { x: left.x1 - 12, y: 0, w: 12, h: rest.height });
  assert.ok(firstCol && lastCol, 'gradient ink at both ends');
  const mean = (x0: number, x1: number) => {
    let [r, b, n] = [0, 0, 0];
    for (let yy = 0; yy < rest.height; yy++) for (let x = x0; x < x1; x++) { const c = pixel(rest, x, yy); if (gradientInk(c)) { r += c[0]; b += c[2]; n++; } }
    return { r: r / n, b: b / n };
  };
  const l = mean(left.x0, left.x0 + 12);
  const r = mean(left.x1 - 12, left.x1 + 1);
  assert.ok(l.r > l.b + 60 && r.b - r.r > l.b - l.r + 60, `red at the left (r ${l.r.toFixed(0)}, b ${l.b.toFixed(0)}), bluer at the first word's right (r ${r.r.toFixed(0)}, b ${r.b.toFixed(0)})`);
  // Word by word: early on the first word shows and the coloured last word not yet.
  const early = frames[Math.round(0.15 * FPS)];
  assert.ok(count(early, gradientInk) > 20, 'the first word is coming in');
  assert.ok(count(early, yellow) < count(rest, yellow) * 0.2, `the last word comes later (${count(early, yellow)} vs ${count(rest, yellow)} yellow pixels)`);
});
