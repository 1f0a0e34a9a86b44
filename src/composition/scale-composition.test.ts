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
