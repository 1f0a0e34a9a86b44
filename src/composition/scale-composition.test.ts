import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scaleComposition } from './scale-composition.ts';
import type { Composition } from './schema.ts';

describe('scaleComposition', () => {
  const base = {
    output: { format: 'mp4', width: 1080, height: 1920, scale: 0.25 },
    tracks: [{ clips: [
      { asset: { type: 'text', text: 'hi', padding: 10, stroke: { color: '#000', width: 4 }, shadow: { color: '#000', blur: 8, x: 2, y: -2 } }, start: 0, length: 1 },
      { asset: { type: 'text', text: 'default size' }, start: 0, length: 1 },
      { asset: { type: 'shape', shape: 'rectangle', width: 200, height: 100, radius: 12, stroke: { color: '#fff', width: 6 } }, start: 0, length: 1 },
      { asset: { type: 'image', src: 'a.png' }, start: 0, length: 1, fit: 'none', scale: 2, radius: 40, border: { color: '#fff', width: 8 }, shadow: { color: '#000', blur: 20, x: 4, y: 4 } },
      { asset: { type: 'image', src: 'b.png' }, start: 0, length: 1, keyframes: { scale: [{ time: 0, value: 1 }] } },
    ] }],
  } as unknown as Composition;

  test('multiplies the frame and every pixel length, fills pixel defaults, leaves fractions alone', () => {
    const s = scaleComposition(base) as unknown as { output: Record<string, unknown>; tracks: Array<{ clips: Array<Record<string, any>> }> };
    assert.deepEqual([s.output.width, s.output.height, 'scale' in s.output], [270, 480, false]);
    const [text, plain, shape, image, cover] = s.tracks[0].clips;
    assert.deepEqual([text.asset.padding, text.asset.stroke.width, text.asset.shadow.blur, text.asset.shadow.x, text.asset.shadow.y, text.asset.font.size], [2.5, 1, 2, 0.5, -0.5, 12]);
    assert.equal(plain.asset.font.size, 12, 'the default 48 px font at a quarter');
    assert.deepEqual([shape.asset.width, shape.asset.height, shape.asset.radius, shape.asset.stroke.width], [50, 25, 3, 1.5]);
    assert.deepEqual([image.radius, image.border.width, image.shadow.blur, image.scale], [10, 2, 5, 0.5], 'fit none draws source pixels at the scale');
    assert.deepEqual([cover.scale, cover.keyframes.scale[0].value], [undefined, 1], 'a fitted clip follows the frame by itself');
  });

  test('rounds video frame sizes to even numbers', () => {
    const s = scaleComposition({ ...base, output: { format: 'webm', width: 1280, height: 720, scale: 0.3 } } as Composition);
    assert.deepEqual([s.output.width, s.output.height], [384, 216]);
    const odd = scaleComposition({ ...base, output: { format: 'mp4', width: 1000, height: 562, scale: 0.33 } } as Composition);
    assert.deepEqual([odd.output.width, odd.output.height], [330, 186]);
    const png = scaleComposition({ ...base, output: { format: 'png', width: 1000, height: 562, scale: 0.33 } } as Composition);
    assert.deepEqual([png.output.width, png.output.height], [330, 185]);
  });

  test('leaves the input untouched, and returns it as is without a scale', () => {
    scaleComposition(base);
    assert.equal(base.output.width, 1080);
    const plain = { ...base, output: { width: 100, height: 100 } } as Composition;
    assert.equal(scaleComposition(plain), plain);
  });
});

test('montage validate reports the scaled size', async () => {
  const { summarizeComposition } = await import('./summarize-composition.ts');
  const s = summarizeComposition({ output: { format: 'mp4', width: 1080, height: 1920, scale: 0.25 }, tracks: [{ clips: [] }] } as unknown as Composition);
  assert.deepEqual([s.width, s.height], [270, 480]);
});

test('the 1.1 pixel fields of text, spans, captions and keyframes scale too, and caption defaults follow the unscaled frame', () => {
  const c = {
    output: { format: 'mp4', width: 1080, height: 1920, scale: 0.5 },
    tracks: [{ clips: [
      { asset: { type: 'text', text: [{ text: 'Only ', font: { size: 40, letterSpacing: 4 } }, { text: '$9', background: { color: '#000', radius: 10 } }],
        font: { size: 80, letterSpacing: -2 }, background: { color: '#fff', radius: 16 }, shrink: true }, start: 0, length: 1 },
      { asset: { type: 'text', text: 'fit', shrink: true, minSize: 20 }, start: 0, length: 1 },
      { asset: { type: 'captions', words: [{ text: 'hi', start: 0, end: 1 }], font: { letterSpacing: 6 }, highlight: { style: 'background', background: '#f00' } }, start: 0, length: 1 },
      { asset: { type: 'captions', words: [{ text: 'hi', start: 0, end: 1 }], font: { size: 30 }, padding: 4 }, start: 0, length: 1 },
      { asset: { type: 'color', color: '#000' }, start: 0, length: 1, keyframes: { blur: [{ time: 0, value: 8 }, { time: 1, value: 0 }] } },
    ] }],
  } as unknown as Composition;
  const s = scaleComposition(c) as unknown as { tracks: Array<{ clips: Array<Record<string, any>> }> };
  const [spans, fit, caption, sized, blurred] = s.tracks[0].clips;
  assert.deepEqual([spans.asset.font.size, spans.asset.font.letterSpacing, spans.asset.background.radius, spans.asset.minSize], [40, -1, 8, 6], 'asset size, spacing, rounded background, default minSize 12');
  assert.deepEqual([spans.asset.text[0].font.size, spans.asset.text[0].font.letterSpacing, spans.asset.text[1].background.radius], [20, 2, 5], 'span sizes, spacing and backgrounds');
  assert.equal(spans.asset.text[1].font, undefined, 'a span without a size keeps inheriting the (scaled) asset size');
  assert.equal(fit.asset.minSize, 10);
  assert.deepEqual([caption.asset.font.size, caption.asset.padding, caption.asset.font.letterSpacing], [48, 6, 3], 'caption default size = 5% of 1920 px, halved; default padding 12 px, halved');
  assert.equal(caption.asset.minSize, undefined, 'captions have no minSize');
  assert.deepEqual([sized.asset.font.size, sized.asset.padding], [15, 2]);
  assert.deepEqual(blurred.keyframes.blur.map((k: { value: number }) => k.value), [4, 0]);
});
