/**
 * SVG images: drawn at the size they are shown (sharp edges at any scale, keyframed scale
 * included), sized by their intrinsic width and height, and refused with a typed error when
 * malformed or when they reach outside themselves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodePicture, extentOf, luma, pixel, type Picture } from '../support/decoded-pictures.ts';
import { expectNear } from '../support/picture-asserts.ts';
import { isMontageError } from '../../src/errors/registry.ts';

const h = createRenderHarness('svg');
after(() => h.dispose());

before(() => {
  // 20×20 with a 10×10 white square (white: its edge is in luma, which the
  // output keeps at full resolution, unlike red's chroma) in the middle: the square's edges are where sharpness shows.
  writeFileSync(join(h.dir, 'logo.svg'), '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20"><rect x="5" y="5" width="10" height="10" fill="#ffffff"/></svg>');
  writeFileSync(join(h.dir, 'broken.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect x="5"');
  // A double-quoted value holding a single quote: once read as no href at all.
  writeFileSync(join(h.dir, 'quoted.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="/etc/host\'name" width="20" height="20"/></svg>');
  writeFileSync(join(h.dir, 'quoted-url.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><style>rect { fill: url(\'/etc/a"b\') }</style><rect width="20" height="20"/></svg>');
  writeFileSync(join(h.dir, 'outside.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="/etc/hostname" width="20" height="20"/></svg>');
});

const still = async (name: string, src: string, clip: object = {}, output: object = {}): Promise<Picture> => {
  const out = await h.render(name, {
    output: { ...TINY, format: 'png', ...output }, background: '#000000',
    tracks: [{ clips: [{ asset: { type: 'image', src }, start: 0, length: 2, fit: 'none', ...clip }] }],
  });
  return decodePicture(out.video.path);
};
const square = (p: Picture) => {
  const box = extentOf(p, (c) => luma(c) > 128);
  assert.ok(box, 'the square is drawn');
  return box;
};
/** Pixels along the middle row that are neither background nor square: the width of the edges' blur. */
const blurredEdge = (p: Picture) => {
  const b = square(p);
  const y = Math.round(b.cy);
  let n = 0;
  for (let x = Math.max(0, b.x0 - 6); x <= Math.min(p.width - 1, b.x1 + 6); x++) {
    const l = luma(pixel(p, x, y));
    if (l > 30 && l < 225) n++;
  }
  return n;
};

describe('svg images', () => {
  test('the intrinsic size comes from the SVG: at fit none and scale 1 the 10-unit square is 10 px', async () => {
    expectNear([square(await still('svg-1x', 'logo.svg')).width], [10], 'square width', 1);
  });

  test('drawn at two sizes, both with sharp edges (vector-drawn, not an upscaled bitmap)', async () => {
    const small = await still('svg-3x', 'logo.svg', { scale: 3 });
    const large = await still('svg-8x', 'logo.svg', { scale: 8 });
    expectNear([square(small).width, square(large).width], [30, 80], 'square widths', 1);
    assert.ok(blurredEdge(small) <= 2, `${blurredEdge(small)} soft pixels at 3×`);
    assert.ok(blurredEdge(large) <= 2, `${blurredEdge(large)} soft pixels at 8×`);
  });

  test('keyframed scale: drawn at its largest size, so the biggest frame is sharp too', async () => {
    const p = await still('svg-keyframed', 'logo.svg', { keyframes: { scale: [{ time: 0, value: 1 }, { time: 1, value: 12 }] } }, { frame: 1.5 });
    expectNear([square(p).width], [120], 'square width at scale 12', 1);
    assert.ok(blurredEdge(p) <= 2, `${blurredEdge(p)} soft pixels at 12×`);
  });

  test('as a mask: drawn at the size of the box it is stretched over, so the mask\'s edges are sharp too', async () => {
    // A white colour clip of the whole 320×180 frame, masked by the 20×20 SVG: the square shows
    // 160×90, its edges one pixel wide. The SVG was drawn at 20×20 when no image clip showed it,
    // and the mask sized up 9×: edges 8 pixels of blur.
    const out = await h.render('svg-mask', {
      output: { ...TINY, format: 'png' }, background: '#000000',
      tracks: [{ clips: [{ asset: { type: 'color', color: '#ffffff' }, start: 0, length: 1, mask: { src: 'logo.svg' } }] }],
    });
    const p = await decodePicture(out.video.path);
    expectNear([square(p).width, square(p).height], [160, 90], 'the square through the mask', 2);
    assert.ok(blurredEdge(p) <= 2, `${blurredEdge(p)} soft pixels`);
  });

  test('a malformed SVG fails the render with a typed error at its src, and the next render still works', async () => {
    await assert.rejects(still('svg-broken', 'broken.svg'), (e: unknown) =>
      isMontageError(e) && e.code === 'MONTAGE_E_ASSET_UNREADABLE' && e.problems.some((p) => p.pointer === '/tracks/0/clips/0/asset/src'));
    expectNear([square(await still('svg-after', 'logo.svg')).width], [10], 'square width', 1);
  });

  test('an SVG that refers to a file outside itself is refused', async () => {
    await assert.rejects(still('svg-outside', 'outside.svg'), (e: unknown) =>
      isMontageError(e) && e.code === 'MONTAGE_E_ASSET_UNSUPPORTED' && /\/etc\/hostname/.test(e.message));
  });

  test('so is one whose reference mixes quote kinds: href="…\'…", url(\'…"…\')', async () => {
    for (const name of ['quoted', 'quoted-url']) {
      await assert.rejects(still(`svg-${name}`, `${name}.svg`), (e: unknown) =>
        isMontageError(e) && e.code === 'MONTAGE_E_ASSET_UNSUPPORTED' && /refers to .*\/etc\//.test(e.message)
        && e.problems.some((p) => p.pointer === '/tracks/0/clips/0/asset/src' && /embed images as data: URLs/.test(p.detail)));
    }
  });
});
