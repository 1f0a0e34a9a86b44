/**
 * A caption word wider than the whole frame is drawn smaller until it fits on one line, instead of
 * being broken over lines that `lines` has no room for (it showed as three lines in a two-line page,
 * and the highlight took the word's second part for the next word). Rendered and decoded: the page
 * keeps its lines, inside the frame, and the highlight lights the long word, then the next one.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, type Picture, type Rgb } from '../support/decoded-pictures.ts';

const h = createRenderHarness('caption-wide-word');
after(() => h.dispose());

const FPS = 10;
const LONG = 'Pneumonoultramicroscopicsilicovolcano';
const yellow = (c: Rgb) => c[0] > 170 && c[1] > 150 && c[2] < 90;
const text = (c: Rgb) => yellow(c) || Math.min(...c) > 170;

const render = async (name: string, width: number, height: number, lines: number) => {
  const out = await h.render(name, {
    output: { width, height, fps: FPS, quality: 'draft', duration: 2 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#203040' }, start: 0, length: 2 }] },
      { clips: [{
        asset: { type: 'captions', font: { size: 22 }, lines, highlight: { style: 'color' },
          words: [{ text: LONG, start: 0, end: 1 }, { text: 'end', start: 1, end: 2 }] },
        start: 0, length: 2,
      }] },
    ],
  });
  return decodeFrames(out.video.path);
};

test('a word wider than the frame shrinks onto one line of a two-line page; the highlight follows the words', async () => {
  const frames = await render('two-lines', 320, 180, 2);
  const first = frames[Math.round(0.5 * FPS)];
  const all = extentOf(first, text)!;
  assert.ok(all.height < 45, `two lines (the long word whole on the first): ink ${all.width} x ${all.height}`);
  assert.ok(all.x0 >= 0 && all.x1 < 320, 'inside the frame');
  const half = (p: Picture, k: number) => ({ x: 0, y: all.y0 + Math.round((k * all.height) / 2), w: p.width, h: Math.round(all.height / 2) });
  const lit = extentOf(first, yellow, half(first, 0));
  assert.ok(lit && lit.width > 250, 'the whole long word is lit while it is spoken');
  assert.equal(extentOf(first, yellow, half(first, 1)), undefined, 'the next word is not lit yet');
  const second = frames[Math.round(1.5 * FPS)];
  assert.equal(extentOf(second, yellow, half(second, 0)), undefined, 'the long word is no longer lit');
  assert.ok(extentOf(second, yellow, half(second, 1)), 'the next word is lit when it is spoken');
});

test('in a portrait frame with lines: 1 the long word is one line, inside the frame', async () => {
  const frames = await render('portrait', 180, 320, 1);
  const e = extentOf(frames[Math.round(0.5 * FPS)], text)!;
  assert.ok(e.height < 24 && e.width > 120 && e.x0 >= 0 && e.x1 < 180, `one line in the frame: ink ${e.width} x ${e.height} at x ${e.x0}`);
});
