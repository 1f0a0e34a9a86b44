/**
 * A caption word wider than the whole frame is broken over two lines; the highlight still follows
 * the spoken words: both parts of the long word while it is spoken, then the next word (not the
 * long word's second part, which was taken for the next word, leaving the next word unlit).
 * Rendered and decoded: where the highlight colour lies, line by line.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, type Picture, type Rgb } from '../support/decoded-pictures.ts';

const h = createRenderHarness('caption-broken-word');
after(() => h.dispose());

const FPS = 10;
const yellow = (c: Rgb) => c[0] > 170 && c[1] > 150 && c[2] < 90;
const white = (c: Rgb) => Math.min(...c) > 170;

test('the highlight lights both parts of a broken word, then the word after it', async () => {
  const out = await h.render('broken-word', {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 2 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#203040' }, start: 0, length: 2 }] },
      { clips: [{
        asset: { type: 'captions', font: { size: 22 }, highlight: { style: 'color' },
          words: [{ text: 'Pneumonoultramicroscopicsilicovolcano', start: 0, end: 1 }, { text: 'end', start: 1, end: 2 }] },
        start: 0, length: 2,
      }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  const all = (p: Picture) => extentOf(p, (c) => yellow(c) || white(c))!;
  const lines = (p: Picture) => {
    const e = all(p);
    const third = (e.y1 - e.y0 + 1) / 3;
    return [0, 1, 2].map((k) => ({ x: 0, y: Math.round(e.y0 + k * third), w: p.width, h: Math.round(third) }));
  };
  const first = frames[Math.round(0.5 * FPS)];
  const [a, b, c] = lines(first);
  assert.ok(all(first).y1 - all(first).y0 > 55, 'three lines of text');
  assert.ok(extentOf(first, yellow, a) && extentOf(first, yellow, b), 'both parts of the long word are lit while it is spoken');
  assert.equal(extentOf(first, yellow, c), undefined, 'the next word is not lit yet');
  const second = frames[Math.round(1.5 * FPS)];
  const [a2, b2, c2] = lines(second);
  assert.ok(extentOf(second, yellow, c2), 'the next word is lit when it is spoken');
  assert.equal(extentOf(second, yellow, a2), undefined, 'the long word is no longer lit (first part)');
  assert.equal(extentOf(second, yellow, b2), undefined, 'the long word is no longer lit (second part)');
});
