import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePng } from './decode-png.ts';
import { FontRegistry } from './font-registry.ts';
import { captionStyle, renderCaption } from './render-caption.ts';
import { renderText } from './render-text.ts';

const fonts = new FontRegistry();
const HD = { width: 1920, height: 1080 };

test('captions default to a translucent black box with 12 px padding', async () => {
  const raster = renderCaption({}, 'Subtitle line', HD, fonts);
  const img = await decodePng(raster.png);
  assert.deepEqual(img.at(0, 0), [0, 0, 0, 0xa0]);
  assert.deepEqual(img.at(raster.box.width - 1, raster.box.height - 1), [0, 0, 0, 0xa0]);
  // The padding is clear of ink: white starts only after the 12 px band.
  const ink = img.bounds((p) => p[0] > 200 && p[3] > 200);
  assert.ok(ink && ink.left >= 12 && ink.top >= 12, `ink from ${ink?.left},${ink?.top}`);
});

test('caption size follows the frame height (5 %, at least 16 px)', () => {
  assert.equal(captionStyle({}, HD).font?.size, 54);
  assert.equal(captionStyle({}, { width: 1280, height: 720 }).font?.size, 36);
  assert.equal(captionStyle({}, { width: 320, height: 180 }).font?.size, 16);
  const big = renderCaption({}, 'Same words', HD, fonts);
  const small = renderCaption({}, 'Same words', { width: 1280, height: 720 }, fonts);
  assert.ok(big.height > small.height * 1.3, `${big.height} vs ${small.height}`);
});

test('given fields win over the caption defaults', async () => {
  const style = { font: { size: 30, color: '#ff0000' }, background: '#0000ff', padding: 0 };
  assert.deepEqual(captionStyle(style, HD), style);
  const raster = renderCaption(style, 'Styled', HD, fonts);
  assert.deepEqual(raster, renderText(style, 'Styled', HD, fonts));
});

test('a cue with no text draws nothing, not an empty black box', () => {
  const raster = renderCaption({}, '', HD, fonts);
  assert.equal(raster.width, 2);
  assert.equal(raster.height, 2);
});
