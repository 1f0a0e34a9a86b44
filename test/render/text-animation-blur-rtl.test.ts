/**
 * A right-to-left word that blurs in or out stays in its place: the blurred unit is painted on a
 * layer of its own, and that layer must align text as the page does (an RTL run drawn with the
 * canvas's default `start` alignment landed a whole word-width to the left, even off the frame).
 * Rendered and decoded: the ink of a blurring Hebrew word is centred where the resting word is.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, type Rgb } from '../support/decoded-pictures.ts';

const h = createRenderHarness('text-anim-blur-rtl');
after(() => h.dispose());

const FPS = 10;
const ink = (c: Rgb) => Math.max(...c) > 60;

test('a Hebrew word blurring in and out is drawn where it rests, in text and in captions', async () => {
  const out = await h.render('blur-rtl', {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 3 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 3 }] },
      { clips: [{
        asset: { type: 'text', text: 'שלום', font: { size: 40 }, animation: { in: { style: 'blur', by: 'word', duration: 1.5 }, out: { style: 'blur', by: 'word', duration: 1.5 } } },
        start: 0, length: 3, position: 'top',
      }] },
      { clips: [{
        asset: { type: 'captions', font: { size: 30 }, animation: { out: { style: 'blur', by: 'word', duration: 1.5 } }, words: [{ text: 'עולם', start: 0, end: 3 }] },
        start: 0, length: 3,
      }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  const top = { x: 0, y: 0, w: 320, h: 90 };
  const bottom = { x: 0, y: 90, w: 320, h: 90 };
  const centre = (e: { x0: number; x1: number }) => (e.x0 + e.x1) / 2;
  const restTitle = extentOf(frames[Math.round(1.5 * FPS)], ink, top)!;
  const restCaption = extentOf(frames[Math.round(1 * FPS)], ink, bottom)!;
  assert.ok(restTitle && restCaption, 'both words drawn at rest');
  // Blurring in (0.6 s), out (2.3 s): a word-width (~80 px) off would show; blur spreads ink a few
  // px. A lone word's blur spans the whole 1.5 s, so these are 40 % of the way (fainter, only the
  // brightest part of the word passes the ink threshold, which moves its centre).
  for (const [name, t, box, rest] of [['title in', 0.6, top, restTitle], ['title out', 2.3, top, restTitle], ['caption out', 2.3, bottom, restCaption]] as const) {
    const e = extentOf(frames[Math.round(t * FPS)], ink, box);
    assert.ok(e, `${name}: ink at ${t} s`);
    assert.ok(Math.abs(centre(e) - centre(rest)) < 4, `${name}: blurred ink centred at ${centre(e)}, the resting word at ${centre(rest)}`);
  }
});
