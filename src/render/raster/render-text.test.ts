import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MontageError } from '../../errors/registry.ts';
import { decodePng, type DecodedImage, type Pixel } from './decode-png.ts';
import { FontRegistry } from './font-registry.ts';
import { drawPreparedText, prepareText, renderText, type TextStyle } from './render-text.ts';

const fonts = new FontRegistry();
const FRAME = { width: 1280, height: 720 };
const render = (style: TextStyle, text = 'Hello') => renderText(style, text, FRAME, fonts);
const decode = async (style: TextStyle, text?: string) => {
  const raster = render(style, text);
  return { raster, img: await decodePng(raster.png) };
};
const near = (p: Pixel, rgb: readonly number[], tol = 24) => p[3] > 230 && rgb.every((c, i) => Math.abs(p[i] - c) <= tol);
const RED = [255, 0, 0];
const WHITE = [255, 255, 255];
const BLUE = [0, 0, 255];
const BLACK = [0, 0, 0];
const inkBounds = (img: DecodedImage, rgb: readonly number[]) => {
  const b = img.bounds((p) => near(p, rgb));
  assert.ok(b, `no ${rgb} pixels`);
  return b;
};

test('draws the text colour inside a box that hugs it, transparent around the glyphs', async () => {
  const { raster, img } = await decode({ font: { color: '#ff0000' } });
  assert.equal(img.width, raster.width);
  assert.equal(img.height, raster.height);
  assert.ok(raster.width < 300 && raster.height < 80, `${raster.width}×${raster.height}: hugs "Hello", not the wrap width`);
  assert.ok(img.count((p) => near(p, RED)) > 200, 'red glyph pixels');
  assert.equal(img.count((p) => p[3] > 0 && (p[1] > 8 || p[2] > 8)), 0, 'nothing but red is drawn');
  for (const [x, y] of [[0, 0], [img.width - 1, 0], [0, img.height - 1], [img.width - 1, img.height - 1]]) {
    assert.equal(img.at(x, y)[3], 0, `corner ${x},${y} is transparent`);
  }
  const ink = inkBounds(img, RED);
  assert.ok(ink.left <= 6 && ink.right >= img.width - 8, 'the ink spans the box');
});

test('defaults: white 48 px text', async () => {
  const { img } = await decode({}, 'H');
  const ink = inkBounds(img, WHITE);
  const capHeight = ink.bottom - ink.top + 1;
  assert.ok(capHeight >= 33 && capHeight <= 37, `cap height ${capHeight} ≈ 0.73 × 48`);
});

test('both sides of every image are even integers', () => {
  for (const size of [11, 13, 17.5, 31, 48, 77]) {
    for (const text of ['i', 'Hello', 'Wq\nx']) {
      const r = render({ font: { size }, padding: 3 }, text);
      assert.ok(Number.isInteger(r.width) && r.width % 2 === 0, `width ${r.width}`);
      assert.ok(Number.isInteger(r.height) && r.height % 2 === 0, `height ${r.height}`);
    }
  }
});

test('a narrower width wraps into more lines', () => {
  const sentence = 'The quick brown fox jumps over the lazy dog';
  const wide = render({ width: 0.9 }, sentence);
  const narrow = render({ width: 0.25 }, sentence);
  assert.ok(narrow.height >= wide.height * 3, `${narrow.height} vs ${wide.height}`);
  assert.ok(narrow.width <= 0.25 * FRAME.width + 2, `narrow box is ${narrow.width}px`);
});

test('padding and stroke count within the width', () => {
  const r = render({ width: 0.25, padding: 40, stroke: { color: '#000', width: 6 } }, 'The quick brown fox jumps over the lazy dog');
  assert.ok(r.width <= 0.25 * FRAME.width + 2, `box is ${r.width}px`);
});

test('alignment moves the short line left, centre or right within the box', async () => {
  const text = 'MMMMMMMMMM\ni';
  const placeOfI = async (align: 'left' | 'center' | 'right') => {
    const { img } = await decode({ align }, text);
    const bottomHalf = { left: 0, top: Math.ceil(img.height / 2) + 4, right: img.width - 1, bottom: img.height - 1 };
    const b = img.bounds((p) => near(p, WHITE), bottomHalf);
    assert.ok(b, `no "i" for ${align}`);
    return { centre: (b.left + b.right) / 2, width: img.width };
  };
  const left = await placeOfI('left');
  const centre = await placeOfI('center');
  const right = await placeOfI('right');
  assert.ok(left.centre < left.width * 0.1, `left: ${left.centre}`);
  assert.ok(Math.abs(centre.centre - centre.width / 2) < 6, `center: ${centre.centre} of ${centre.width}`);
  assert.ok(right.centre > right.width * 0.9, `right: ${right.centre}`);
});

test('the stroke colour rings the glyphs, outside the fill', async () => {
  const { raster, img } = await decode({ stroke: { color: '#0000ff', width: 4 } }, 'O');
  const fill = inkBounds(img, WHITE);
  const stroke = inkBounds(img, BLUE);
  for (const [side, outward] of [['left', -1], ['top', -1], ['right', 1], ['bottom', 1]] as const) {
    const grow = (stroke[side] - fill[side]) * outward;
    assert.ok(grow >= 3 && grow <= 5, `stroke reaches ${grow}px beyond the fill on the ${side}`);
  }
  // Blue lies next to white: the stroke hugs the glyph edge rather than sitting elsewhere.
  const row = Math.round((fill.top + fill.bottom) / 2);
  const leftEdge = img.bounds((p) => near(p, WHITE), { left: 0, top: row, right: img.width - 1, bottom: row });
  assert.ok(leftEdge && near(img.at(leftEdge.left - 3, row), BLUE), 'blue just left of the white edge');
  assert.ok(raster.width > render({}, 'O').width, 'the box grows by the stroke');
});

test('a shadow is drawn at its offset and is not clipped', async () => {
  const { raster, img } = await decode({ shadow: { color: '#000000', x: 12, y: 9 } }, 'I');
  const fill = inkBounds(img, WHITE);
  const shadow = inkBounds(img, BLACK);
  assert.equal(shadow.right - fill.right, 12);
  assert.equal(shadow.bottom - fill.bottom, 9);
  assert.ok(shadow.right < img.width - 1 && shadow.bottom < img.height - 1, 'room left after the shadow');
  assert.ok(raster.box.x >= 1, 'the narrow box got side margins for the shadow');
  assert.ok(Math.abs(raster.width - 2 * raster.box.x - raster.box.width) <= 1, 'margins are equal, box centred');
});

test('a blurred shadow leaves its tail inside the image', async () => {
  const { img } = await decode({ shadow: { color: '#000000', blur: 10, x: -6, y: 0 } }, 'I');
  const faint = img.bounds((p) => p[3] > 0 && p[3] < 60 && p[0] < 10);
  assert.ok(faint, 'soft shadow pixels');
  assert.ok(faint.left > 0, `the blur fades out before the left edge (${faint.left})`);
  for (let y = 0; y < img.height; y++) assert.ok(img.at(0, y)[3] <= 2, `column 0 clear at ${y}`);
});

test('bold is wider than regular', () => {
  const regular = render({ font: { weight: 'normal' } }, 'Wide words');
  const bold = render({ font: { weight: 'bold' } }, 'Wide words');
  assert.ok(bold.width > regular.width * 1.08, `${bold.width} vs ${regular.width}`);
});

test('background fills the whole box, corners included', async () => {
  const { raster, img } = await decode({ background: '#0000ff', padding: 10 });
  assert.deepEqual(raster.box, { x: 0, y: 0, width: raster.box.width, height: raster.box.height });
  for (const [x, y] of [[0, 0], [raster.box.width - 1, 0], [0, raster.box.height - 1], [raster.box.width - 1, raster.box.height - 1]]) {
    assert.deepEqual(img.at(x, y), [0, 0, 255, 255], `corner ${x},${y}`);
  }
  assert.ok(img.count((p) => near(p, WHITE)) > 100, 'text drawn over the background');
  const translucent = await decodePng(render({ background: '#00000080', padding: 10 }).png);
  assert.equal(translucent.at(1, 1)[3], 128);
});

test('font colour alpha is kept', async () => {
  const { img } = await decode({ font: { color: '#ff000080', size: 80 } }, 'I');
  const mid = img.bounds((p) => p[3] > 0);
  assert.ok(mid);
  const centre = img.at((mid.left + mid.right) / 2, (mid.top + mid.bottom) / 2);
  assert.equal(centre[0], 255);
  assert.ok(Math.abs(centre[3] - 128) <= 1, `alpha ${centre[3]}`);
});

test('empty or blank text is a 2×2 transparent image', async () => {
  for (const text of ['', '  \n ']) {
    const r = render({ background: '#ff0000' }, text);
    assert.equal(r.width, 2);
    assert.equal(r.height, 2);
    const img = await decodePng(r.png);
    assert.equal(img.count((p) => p[3] !== 0), 0);
  }
});

test('text taller than 7680 px is clipped, not a crash', () => {
  const r = renderText({ font: { size: 2000 } }, 'A\nB\nC\nD\nE', { width: 3840, height: 2160 }, fonts);
  assert.equal(r.height, 7680);
  assert.ok(r.width < 7680);
});

test('an unknown family is reported at the asset\'s font field', () => {
  assert.throws(() => renderText({ font: { family: 'Nope' } }, 'x', FRAME, fonts, '/tracks/1/clips/0/asset'), (e: unknown) => {
    assert.ok(e instanceof MontageError);
    assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.equal(e.problems[0].pointer, '/tracks/1/clips/0/asset/font/family');
    return true;
  });
});

test('a prepared text draws at one size whatever its unit states (frames of an animation line up)', async () => {
  const prepared = prepareText({ font: { size: 40 }, background: '#0000ff' }, 'AAA BBB', FRAME, fonts, undefined, undefined, 10);
  assert.ok(prepared);
  const all = drawPreparedText(prepared);
  const half = drawPreparedText(prepared, { by: 'word', unitState: (u) => (u.kind === 'word' && u.word.order === 1 ? { alpha: 0 } : undefined) });
  assert.deepEqual([half.width, half.height, half.box], [all.width, all.height, all.box]);
  const [a, b] = [await decodePng(all.png), await decodePng(half.png)];
  const white = (p: Pixel) => near(p, WHITE, 40);
  assert.ok(b.count(white) < a.count(white) * 0.6 && b.count(white) > a.count(white) * 0.4, `${b.count(white)} of ${a.count(white)} white pixels left`);
});
