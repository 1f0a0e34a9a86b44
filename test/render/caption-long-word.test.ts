/**
 * A caption word wider than the caption's width stays whole on its page's one line (`lines: 1`):
 * the page's box widens to hold it rather than breaking it onto a second line (which showed
 * "epsilo / n", and "gamm" with its last letter lost, in a page allowed one line). Rendered and
 * decoded: the word's ink is one line high and wider than the width the caption asked for.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, type Rgb } from '../support/decoded-pictures.ts';

const h = createRenderHarness('caption-long-word');
after(() => h.dispose());

const FPS = 10;
const white = (c: Rgb) => Math.min(...c) > 150;

test('a word too wide for a one-line caption page is drawn whole on one line', async () => {
  const out = await h.render('long-word', {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 2 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#203040' }, start: 0, length: 2 }] },
      { clips: [{
        asset: { type: 'captions', font: { size: 22 }, lines: 1, width: 0.3, highlight: { style: 'scale', scale: 1 }, animation: { in: { style: 'fade', by: 'letter', duration: 0.3 } },
          words: [{ text: 'epsilon', start: 0, end: 1 }, { text: 'gamma', start: 1, end: 2 }] },
        start: 0, length: 2,
      }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  for (const [word, t] of [['epsilon', 0.6], ['gamma', 1.6]] as const) {
    const e = extentOf(frames[Math.round(t * FPS)], white);
    assert.ok(e, `${word} is drawn`);
    // One line of 22 px text is under 26 px of ink; two lines are over 40. The 96 px caption
    // (72 px inside its padding) is narrower than the word.
    assert.ok(e.height < 28, `${word} on one line: ink ${e.width} x ${e.height}`);
    assert.ok(e.width > (word === 'epsilon' ? 72 : 55), `${word} whole: ink ${e.width} x ${e.height}`);
  }
});
