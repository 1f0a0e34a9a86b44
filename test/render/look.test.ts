/**
 * The clip's look (1.1), rendered and measured: flip and crop orientation, the chroma key (keyed
 * colour gone, subject kept, despilled), masks (image and video, luma and alpha, inverted, in step
 * in range renders), rounded corners, border and drop shadow. Stills are rendered as PNG (one
 * frame, no lossy encode) wherever a single instant is enough.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bandImage, quadrantImage, segmentVideo, solidImage } from '../support/media-fixtures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, decodePicture, frameAt, isColour, luma, patch, pixel, type Picture } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';

const h = createRenderHarness('look');
after(() => h.dispose());

const W = 320;
const H = 180;
const still = (frame = 0.5) => ({ format: 'png', width: W, height: H, fps: 10, frame });

before(async () => {
  await quadrantImage(h.dir, 'quad.png', 320, 180); // red, green / blue, yellow
  // A green screen: pure key green, a darker shaded green band at the bottom, and a subject of a
  // skin tone, white and mid grey, with a green-tinged (spilled) strip.
  await ffmpeg('-f', 'lavfi', '-i', [
    'color=c=0x00ff00:s=320x180:d=1',
    'drawbox=x=0:y=150:w=320:h=30:color=0x2aa02a:t=fill',
    'drawbox=x=100:y=40:w=40:h=80:color=0xe0a080:t=fill',
    'drawbox=x=140:y=40:w=40:h=80:color=0xffffff:t=fill',
    'drawbox=x=180:y=40:w=40:h=80:color=0x808080:t=fill',
    'drawbox=x=220:y=40:w=30:h=80:color=0xb0d090:t=fill',
    'format=rgb24',
  ].join(','), '-frames:v', '1', `${h.dir}/screen.png`);
  // Masks: white left half (luma), opaque left half (alpha).
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=black:s=64x36:d=1,drawbox=x=0:y=0:w=32:h=36:color=white:t=fill,format=rgb24', '-frames:v', '1', `${h.dir}/luma-left.png`);
  await ffmpeg('-filter_complex', 'color=c=0x808080:s=32x36,format=rgba[a];color=c=0x808080@0:s=32x36,format=rgba[b];[a][b]hstack,format=rgba[out]',
    '-map', '[out]', '-frames:v', '1', `${h.dir}/alpha-left.png`);
  // A video mask: white for its first second, black for its second.
  await segmentVideo(h.dir, 'mask.mp4', { width: 64, height: 36, fps: 10, colours: ['#ffffff', '#000000'] });
  await solidImage(h.dir, 'red.png', 32, 18, '#ff0000');
  await bandImage(h.dir, 'bands.png', 320, [['#ff0000', 90], ['#0000ff', 90]]);
});

describe('flip and crop', () => {
  const corners = (p: Picture) => [patch(p, 40, 30), patch(p, 280, 30), patch(p, 40, 150), patch(p, 280, 150)];
  const cases: Array<[string, object, readonly string[]]> = [
    ['flip horizontal mirrors left and right', { flip: 'horizontal' }, ['#00ff00', '#ff0000', '#ffff00', '#0000ff']],
    ['flip vertical mirrors top and bottom', { flip: 'vertical' }, ['#0000ff', '#ffff00', '#ff0000', '#00ff00']],
    ['flip both turns it half round', { flip: 'both' }, ['#ffff00', '#0000ff', '#00ff00', '#ff0000']],
    ['crop of the top-left three quarters leaves the bottom-right (yellow) quadrant, fitted to the frame', { crop: { left: 0.5, top: 0.5 } }, ['#ffff00', '#ffff00', '#ffff00', '#ffff00']],
    ['crop then flip: the crop is of the source, the flip of what is left', { crop: { right: 0.5 }, flip: 'vertical' }, ['#0000ff', '#0000ff', '#ff0000', '#ff0000']],
  ];
  for (const [name, look, expected] of cases) {
    test(name, async () => {
      const out = await h.render(`flipcrop-${name.split(' ').slice(0, 3).join('-')}`, { output: still(), tracks: [{ clips: [{ asset: { type: 'image', src: 'quad.png' }, start: 0, length: 1, ...look }] }] });
      const p = await decodePicture(out.video.path);
      corners(p).forEach((c, i) => expectColour(p, [40, 280, 40, 280][i], [30, 30, 150, 150][i], expected[i], `${name}: corner ${i}`, 30));
    });
  }

  test('the fitted box takes the cropped size: half the width cropped, fitted contain, is half as wide', async () => {
    // 320×180 with its right half cut is 160×180: contained in 320×180 it stands 160 wide, centred.
    const out = await h.render('crop-contain', { output: still(), background: '#ffffff', tracks: [{ clips: [{ asset: { type: 'image', src: 'quad.png' }, start: 0, length: 1, fit: 'contain', crop: { right: 0.5 } }] }] });
    const p = await decodePicture(out.video.path);
    expectColour(p, 70, 45, '#ffffff', 'left of the box: background');
    expectColour(p, 90, 45, '#ff0000', 'the box starts at x=80: red quadrant');
    expectColour(p, 230, 135, '#0000ff', 'the box ends at x=240: blue quadrant');
    expectColour(p, 250, 135, '#ffffff', 'right of the box: background');
  });
});

describe('chromaKey', () => {
  test('the key colour and its shaded parts are gone, the subject (skin, white, grey) is kept, spill is taken out', async () => {
    const out = await h.render('key', { output: still(), tracks: [
      { clips: [{ asset: { type: 'color', color: '#c03060' }, start: 0, length: 1 }] },
      { clips: [{ asset: { type: 'image', src: 'screen.png' }, start: 0, length: 1, chromaKey: { color: '#00ff00' } }] },
    ] });
    const p = await decodePicture(out.video.path);
    expectColour(p, 40, 80, '#c03060', 'key green: the background shows', 12);
    expectColour(p, 40, 165, '#c03060', 'shaded screen green (#2aa02a): keyed too', 12);
    expectColour(p, 120, 80, '#e0a080', 'skin kept', 12);
    expectColour(p, 160, 80, '#ffffff', 'white kept', 12);
    expectColour(p, 200, 80, '#808080', 'grey kept', 12);
    const spill = patch(p, 235, 80);
    assert.ok(spill[1] < 0xd0 - 20, `the green-tinged strip (#b0d090) loses its green cast: ${spill.join(', ')}`);
    assert.ok(Math.abs(spill[0] - 0xb0) <= 12, `and keeps its red: ${spill.join(', ')}`);
  });

  test('on video the matte is made on a half-size copy: keyed colour gone, subject kept, edge soft and where the still key puts it', async () => {
    // The green screen as a video (nearly lossless), keyed at twice its size so the matte is scaled up.
    await ffmpeg('-loop', '1', '-i', `${h.dir}/screen.png`, '-t', '1', '-r', '10', '-c:v', 'libx264', '-crf', '4', '-pix_fmt', 'yuv420p', `${h.dir}/screen.mp4`);
    const big = { format: 'png', width: 640, height: 360, fps: 10, frame: 0.5 };
    const keyed = async (name: string, src: string) => decodePicture((await h.render(name, { output: big, tracks: [
      { clips: [{ asset: { type: 'color', color: '#c03060' }, start: 0, length: 1 }] },
      { clips: [{ asset: { type: src.endsWith('.mp4') ? 'video' : 'image', src }, start: 0, length: 1, chromaKey: { color: '#00ff00' } }] },
    ] })).video.path);
    const [video, image] = [await keyed('keyvid-edge', 'screen.mp4'), await keyed('keyimg-edge', 'screen.png')];
    expectColour(video, 80, 160, '#c03060', 'key green: the background shows', 12);
    expectColour(video, 80, 330, '#c03060', 'shaded screen green: keyed too', 12);
    expectColour(video, 240, 160, '#e0a080', 'skin kept', 12);
    expectColour(video, 320, 160, '#ffffff', 'white kept', 12);
    expectColour(video, 400, 160, '#808080', 'grey kept', 12);
    // Across the subject's left edge (x = 200): background, then a short soft ramp, then skin, with
    // no green fringe, within 2 px of where the full-size key of the same picture (the still) puts it.
    const row = (p: Picture) => Array.from({ length: 21 }, (_, i) => pixel(p, 190 + i, 160));
    const edgeOf = (p: Picture) => row(p).findIndex((c) => c[1] > 0x60); // first pixel half-way to skin's green (0xa0) from 0x30
    const vr = row(video);
    assert.ok(isColour(vr[4], '#c03060', 16) && isColour(vr[16], '#e0a080', 16), `background at x=194, skin at x=206: ${vr.map((c) => c.join('/')).join(' ')}`);
    assert.ok(vr.every((c) => c[1] <= Math.max(c[0], c[2]) + 8), `no green fringe across the edge: ${vr.map((c) => c.join('/')).join(' ')}`);
    const ramp = vr.filter((c) => !isColour(c, '#c03060', 16) && !isColour(c, '#e0a080', 16)).length;
    assert.ok(ramp >= 1 && ramp <= 6, `a soft edge of 1–6 px, not a hard cut nor a smear: ${ramp} px`);
    assert.ok(Math.abs(edgeOf(video) - edgeOf(image)) <= 2, `edge at ${edgeOf(video)} (video) vs ${edgeOf(image)} (still, keyed at full size)`);
  });

  test('a source with alpha of its own keeps it: its transparent part stays transparent, the key adds to it', async () => {
    // Thirds: transparent white | key green | opaque skin.
    await ffmpeg('-filter_complex', 'color=c=white@0:s=106x180,format=rgba[a];color=c=0x00ff00:s=108x180,format=rgba[b];'
      + 'color=c=0xe0a080:s=106x180,format=rgba[c];[a][b][c]hstack=inputs=3,format=rgba[out]', '-map', '[out]', '-frames:v', '1', `${h.dir}/cutout.png`);
    const out = await h.render('key-alpha', { output: still(), background: '#2040c0', tracks: [{ clips: [{ asset: { type: 'image', src: 'cutout.png' }, start: 0, length: 1, fit: 'fill', chromaKey: { color: '#00ff00' } }] }] });
    const p = await decodePicture(out.video.path);
    expectColour(p, 50, 90, '#2040c0', 'the transparent third stays transparent', 12);
    expectColour(p, 160, 90, '#2040c0', 'the green third is keyed', 12);
    expectColour(p, 270, 90, '#e0a080', 'the skin third is kept', 12);
  });

  test('on video, and a larger similarity keys more (read on red, which despill leaves alone)', async () => {
    await segmentVideo(h.dir, 'greenvid.mp4', { width: 160, height: 90, colours: ['#00ff00', '#30c060'] });
    const render = async (similarity: number) => {
      const out = await h.render(`keyvid-${similarity}`, { output: { width: W, height: H, fps: 10, quality: 'draft' }, tracks: [
        { clips: [{ asset: { type: 'color', color: '#ff00ff' }, start: 0, length: 2 }] },
        { clips: [{ asset: { type: 'video', src: 'greenvid.mp4' }, start: 0, length: 2, chromaKey: { color: '#00ff00', similarity, blend: 0.05 } }] },
      ] });
      return decodeFrames(out.video.path);
    };
    const [tight, loose] = [await render(0.1), await render(0.6)];
    expectColour(frameAt(tight, 10, 0.5), 160, 90, '#ff00ff', 'pure green keyed even at 0.1', 16);
    const red = (p: Picture) => patch(p, 160, 90)[0];
    assert.ok(Math.abs(red(frameAt(tight, 10, 1.5)) - 0x30) <= 16, `a bluish green (#30c060) stays at 0.1: red ${red(frameAt(tight, 10, 1.5))}`);
    assert.ok(red(frameAt(loose, 10, 1.5)) >= 0xf0, `and is keyed at 0.6: red ${red(frameAt(loose, 10, 1.5))}`);
  });
});

describe('mask', () => {
  const maskCase = async (name: string, mask: object) => {
    const out = await h.render(`mask-${name}`, { output: still(), background: '#0000ff', tracks: [{ clips: [{ asset: { type: 'image', src: 'red.png' }, start: 0, length: 1, fit: 'fill', mask }] }] });
    return decodePicture(out.video.path);
  };
  const cases: Array<[string, object, boolean]> = [
    ['luma', { src: 'luma-left.png' }, true],
    ['luma-inverted', { src: 'luma-left.png', invert: true }, false],
    ['alpha', { src: 'alpha-left.png', mode: 'alpha' }, true],
    ['alpha-inverted', { src: 'alpha-left.png', mode: 'alpha', invert: true }, false],
  ];
  for (const [name, mask, leftShows] of cases) {
    test(`${name} image mask: the clip shows on the ${leftShows ? 'left' : 'right'} only`, async () => {
      const p = await maskCase(name, mask);
      expectColour(p, 60, 90, leftShows ? '#ff0000' : '#0000ff', 'left half', 12);
      expectColour(p, 260, 90, leftShows ? '#0000ff' : '#ff0000', 'right half', 12);
    });
  }

  test('an alpha mask from a VP9 WebM with alpha: its alpha is read (libvpx), not dropped as opaque', async () => {
    // Opaque grey on the left, transparent on the right, 1 s at 10 fps; ffmpeg's own VP9 decoder
    // drops the alpha, and the whole clip showed (or, inverted, none of it).
    await ffmpeg('-filter_complex', 'color=c=0x808080:s=32x36:r=10:d=1,format=rgba[a];color=c=0x808080@0:s=32x36:r=10:d=1,format=rgba[b];[a][b]hstack,format=rgba[out]',
      '-map', '[out]', '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', `${h.dir}/alpha-left.webm`);
    for (const invert of [false, true]) {
      const p = await maskCase(`alpha-webm-${invert}`, { src: 'alpha-left.webm', mode: 'alpha', invert });
      expectColour(p, 60, 90, invert ? '#0000ff' : '#ff0000', 'left half', 12);
      expectColour(p, 260, 90, invert ? '#ff0000' : '#0000ff', 'right half', 12);
    }
  });

  test('a video mask plays in clip-local time, also in a range render that starts inside the clip', async () => {
    // The clip starts at 0.5 s: its mask is white over clip seconds 0–1 (timeline 0.5–1.5), then black.
    const comp = (frame: number) => ({ output: still(frame), background: '#0000ff', tracks: [{ clips: [
      { asset: { type: 'image', src: 'red.png' }, start: 0.5, length: 2, fit: 'fill', mask: { src: 'mask.mp4' } },
    ] }] });
    const at = async (t: number) => decodePicture((await h.render(`vmask-${t}`, comp(t))).video.path);
    expectColour(await at(0.7), 160, 90, '#ff0000', 'timeline 0.7 s = mask second 0.2: white, the clip shows', 12);
    expectColour(await at(1.3), 160, 90, '#ff0000', 'timeline 1.3 s = mask 0.8 s: still white', 12);
    expectColour(await at(1.7), 160, 90, '#0000ff', 'timeline 1.7 s = mask 1.2 s: black, the clip is hidden', 12);
    expectColour(await at(2.3), 160, 90, '#0000ff', 'after the mask ends its last frame (black) holds', 12);
  });
});

describe('radius, border and shadow', () => {
  test('rounded corners show what lies beneath; the border is inside the edge; the shadow is darker at its offset and rounded too', async () => {
    // A red box 160×90 in the middle (80…240 × 45…135: a still is drawn in RGB, on any row) over white, radius 30, blue border 6 px,
    // black shadow 12 px right and down, unblurred.
    const out = await h.render('rbs', { output: still(), background: '#ffffff', tracks: [{ clips: [{
      asset: { type: 'color', color: '#ff0000' }, start: 0, length: 1, scale: 0.5,
      radius: 30, border: { color: '#0000ff', width: 6 }, shadow: { color: '#000000', x: 12, y: 12 },
    }] }] });
    const p = await decodePicture(out.video.path);
    expectColour(p, 160, 90, '#ff0000', 'inside the box', 12);
    expectColour(p, 83, 90, '#0000ff', 'the border, 3 px inside the left edge', 24);
    expectColour(p, 160, 131, '#0000ff', 'the border inside the bottom edge', 24);
    expectColour(p, 92, 90, '#ff0000', 'no border 12 px in', 24);
    expectColour(p, 83, 47, '#ffffff', 'the top-left corner is cut away: white beneath', 12);
    expectColour(p, 95, 52, '#0000ff', 'the border follows the rounded corner', 60);
    expectColour(p, 160, 142, '#000000', 'the shadow below the box at its offset', 12);
    expectColour(p, 245, 90, '#000000', 'the shadow right of the box', 12);
    expectColour(p, 160, 40, '#ffffff', 'no shadow above the box', 12);
    expectColour(p, 249, 144, '#ffffff', 'the shadow has the rounded corner too', 12);
  });

  test('a blurred shadow of a keyed subject follows the subject, not its box', async () => {
    const out = await h.render('key-shadow', { output: still(), background: '#ffffff', tracks: [{ clips: [{
      asset: { type: 'image', src: 'screen.png' }, start: 0, length: 1, chromaKey: { color: '#00ff00' }, crop: { bottom: 1 / 6 },
      fit: 'fill', shadow: { color: '#000000', blur: 4, x: 0, y: 20 },
    }] }] });
    const p = await decodePicture(out.video.path);
    // The subject (100…250 × 40…120 in a 320×150 source stretched to 320×180: y 48…144) casts
    // its shadow 20 px lower: dark under its bottom edge, nothing under the keyed screen.
    assert.ok(luma(patch(p, 160, 156)) < 120, `shadow under the subject: ${patch(p, 160, 156).join(', ')}`);
    assert.ok(luma(patch(p, 40, 156)) > 235, `none where the screen was keyed: ${patch(p, 40, 156).join(', ')}`);
  });

  test('a blurred shadow in the #rgb colour form renders like its #rrggbb twin', async () => {
    // "#000" once reached ffmpeg as the pad colour 0x000@0, which it cannot parse: the render failed.
    const render = (color: string) => h.render(`short-shadow-${color.length}`, { output: still(), background: '#ffffff', tracks: [{ clips: [{
      asset: { type: 'color', color: '#ff0000' }, start: 0, length: 1, scale: 0.5, shadow: { color, blur: 6, x: 12, y: 12 },
    }] }] });
    const [short, long] = [await decodePicture((await render('#000')).video.path), await decodePicture((await render('#000000')).video.path)];
    expectColour(short, 160, 90, '#ff0000', 'the box', 12);
    assert.ok(luma(patch(short, 160, 142)) < 120, `the shadow under the box: ${patch(short, 160, 142).join(', ')}`);
    assert.deepEqual(patch(short, 160, 142), patch(long, 160, 142));
  });
});
