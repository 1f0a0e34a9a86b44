/**
 * `transform` on word captions: the words change case as on a text asset. Lower-case "xox" has
 * x-height ink only; uppercased, the same words stand at cap height. One render, two captions clips.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, frameAt, luma } from '../support/decoded-pictures.ts';

const h = createRenderHarness('caption-transform');
after(() => h.dispose());

test('word captions take transform: uppercase words are cap-height tall', async () => {
  const words = [{ text: 'xox', start: 0, end: 0.5 }, { text: 'zox', start: 0.5, end: 1 }];
  const captions = (transform?: string) => ({ type: 'captions', words, font: { size: 30 }, highlight: { style: 'color', color: '#ffffff' }, ...(transform ? { transform } : {}) });
  const out = await h.render('caption-transform', {
    output: { width: 320, height: 180, fps: 10, quality: 'draft', duration: 2 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 2 }] },
      { clips: [{ asset: captions(), start: 0, length: 1 }, { asset: captions('uppercase'), start: 1, length: 1 }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  // The caption's default background box is dark grey; ink is the white glyphs.
  const ink = (t: number) => extentOf(frameAt(frames, 10, t), (c) => luma(c) > 160)!;
  const [lower, upper] = [ink(0.3), ink(1.3)];
  assert.ok(lower && upper, 'both captions drawn');
  assert.ok(upper.height > lower.height * 1.2, `uppercase ink ${upper.height} px tall, lower case ${lower.height} px`);
  assert.ok(upper.width > lower.width, `uppercase is wider too (${upper.width} vs ${lower.width})`);
});
