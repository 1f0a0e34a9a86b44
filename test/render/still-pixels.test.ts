/**
 * Stills (png, jpg) are drawn in full RGB (src/render/working-pixels.ts): a flat colour comes out
 * exactly as written, and a sharp edge between two colours stays sharp on any column. Drawn in
 * 4:2:0 YUV, #ff0000 came out 253,0,0 and a red/blue edge on an odd column had a purple fringe.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodePicture, extentOf, pixel } from '../support/decoded-pictures.ts';
import { probeOutput } from '../support/probe-output.ts';

const h = createRenderHarness('still-pixels');
after(() => h.dispose());

before(async () => {
  // 33 red columns, then 31 blue: the edge falls between columns 32 and 33, inside a 2×2 chroma block.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=33x32[a];color=c=blue:s=31x32[b];[a][b]hstack,format=rgb24', '-frames:v', '1', `${h.dir}/edge.png`);
  // The same edge on a green screen (made in RGB): green, 16 red columns, 15 blue, green.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=0x00ff00:s=64x32,format=rgb24,drawbox=x=17:y=0:w=16:h=32:color=0xff0000:t=fill,drawbox=x=33:y=0:w=15:h=32:color=0x0000ff:t=fill',
    '-frames:v', '1', `${h.dir}/edge-screen.png`);
});

const edge = (format: string, extra: object[] = [], background?: string) => ({
  output: { format, width: 64, height: 32 },
  ...(background ? { background } : {}),
  tracks: [{ clips: [{ asset: { type: 'image', src: 'edge.png' }, start: 0, length: 1, fit: 'none' }] }, { clips: extra }],
});

/** RGBA of one pixel of a still. */
const rgbaAt = async (path: string, x: number, y: number): Promise<number[]> =>
  [...await ffmpeg('-i', path, '-vf', `crop=1:1:${x}:${y},format=rgba`, '-f', 'rawvideo', '-')];

describe('png: full RGB', () => {
  test('flat colours exact, and a red/blue edge on an odd column sharp (no fringe)', async () => {
    const out = await h.render('edge-png', edge('png'));
    const pic = await decodePicture(out.video.path);
    for (const x of [0, 20, 31, 32]) assert.deepEqual(pixel(pic, x, 10), [255, 0, 0], `red at column ${x}`);
    for (const x of [33, 34, 50, 63]) assert.deepEqual(pixel(pic, x, 10), [0, 0, 255], `blue at column ${x}`);
  });

  test('opacity and a drop shadow (their lookups in RGB): exact mixes', async () => {
    const out = await h.render('mix-png', {
      output: { format: 'png', width: 64, height: 32 },
      background: '#000000',
      tracks: [{ clips: [
        { asset: { type: 'color', color: '#ffffff' }, start: 0, length: 1, opacity: 0.5 },
        { asset: { type: 'shape', shape: 'rectangle', width: 10, height: 10, fill: '#3c8dbc' }, start: 0, length: 1, position: 'topLeft',
          shadow: { color: '#ff8000', blur: 0, x: 20, y: 0 } },
      ] }],
    });
    const pic = await decodePicture(out.video.path);
    const grey = pixel(pic, 50, 25);
    assert.ok(grey.every((v) => Math.abs(v - 128) <= 1), `white at 0.5 over black: ${grey}`);
    assert.deepEqual(pixel(pic, 5, 5), [0x3c, 0x8d, 0xbc], 'the shape\'s fill, exactly');
    assert.deepEqual(pixel(pic, 25, 5), [255, 128, 0], 'its shadow\'s colour, exactly');
  });

  test('transparent: a half-clear colour keeps its colour and half its alpha; clear where nothing is drawn', async () => {
    const out = await h.render('alpha-png', {
      output: { format: 'png', width: 64, height: 32 },
      background: 'transparent',
      tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 20, height: 20, fill: '#00ff0080' }, start: 0, length: 1, position: 'topLeft' }] }],
    });
    assert.equal((await probeOutput(out.video.path)).video?.pix_fmt, 'rgba');
    const [r, g, b, a] = await rgbaAt(out.video.path, 5, 5);
    assert.ok(r === 0 && g === 255 && b === 0 && Math.abs(a - 128) <= 1, `half-clear green: ${[r, g, b, a]}`);
    assert.equal((await rgbaAt(out.video.path, 40, 20))[3], 0, 'clear beside it');
  });
});

describe('a chroma key in a still keeps the picture exact', () => {
  // chromakey works in YUV: keying the picture itself took its colour through 4:2:0 (#ff0000 came
  // out 253,0,0 and the red/blue edge spread over four columns, (234,4,27) to (20,0,227)). Keyed
  // on a copy (chroma-key.ts, keyOnCopy), only the matte is made in YUV.
  for (const format of ['png', 'gif']) {
    test(`${format}: what is not keyed out is the unkeyed picture's pixels; the screen is gone`, async () => {
      const clip = (chromaKey?: object) => ({
        output: { format, width: 64, height: 32, fps: 10, ...(format === 'gif' ? { duration: 0.2 } : {}) }, background: '#ffffff',
        tracks: [{ clips: [{ asset: { type: 'image', src: 'edge-screen.png' }, start: 0, length: 1, fit: 'none', ...(chromaKey ? { chromaKey } : {}) }] }],
      });
      const plain = await decodePicture((await h.render(`screen-plain-${format}`, clip())).video.path);
      const keyed = await decodePicture((await h.render(`screen-keyed-${format}`, clip({ color: '#00ff00' }))).video.path);
      for (const x of [17, 24, 31, 32, 33, 34, 40, 47]) assert.deepEqual(pixel(keyed, x, 10), pixel(plain, x, 10), `column ${x}: as unkeyed`);
      assert.deepEqual([pixel(keyed, 32, 10), pixel(keyed, 33, 10)], [[255, 0, 0], [0, 0, 255]], 'the edge sharp');
      for (const x of [0, 10, 16, 48, 63]) assert.deepEqual(pixel(keyed, x, 10), [255, 255, 255], `column ${x}: the screen keyed out`);
    });
  }
});

describe('jpg: full-range 4:4:4', () => {
  test('the red/blue edge stays sharp: no purple column either side', async () => {
    const out = await h.render('edge-jpg', edge('jpg'));
    assert.equal((await probeOutput(out.video.path)).video?.pix_fmt, 'yuvj444p');
    const pic = await decodePicture(out.video.path);
    const [r32, , b32] = pixel(pic, 32, 10);
    const [r33, , b33] = pixel(pic, 33, 10);
    assert.ok(r32 >= 245 && b32 <= 10, `column 32 is red: ${pixel(pic, 32, 10)}`);
    assert.ok(b33 >= 245 && r33 <= 10, `column 33 is blue: ${pixel(pic, 33, 10)}`);
    assert.ok(pixel(pic, 10, 10).every((v, i) => Math.abs(v - [255, 0, 0][i]) <= 2), `flat red: ${pixel(pic, 10, 10)}`);
  });
});

describe('odd frame sizes (gif, png, jpg: drawn in RGB, no 2-pixel grid)', () => {
  for (const format of ['gif', 'png', 'jpg']) {
    test(`${format}: a 20×10 box anchored to each edge of a 65×33 frame touches it`, async () => {
      for (const [position, x0, y0] of [['bottomRight', 45, 23], ['right', 45, 11], ['bottom', 22, 23], ['topLeft', 0, 0]] as const) {
        const out = await h.render(`odd-${format}-${position}`, {
          output: { format, width: 65, height: 33, fps: 10, duration: 0.2 },
          tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 20, height: 10, fill: '#ff0000' }, start: 0, length: 0.2, position }] }],
        });
        const pic = await decodePicture(out.video.path);
        const red = extentOf(pic, ([r, g]) => r > 128 && g < 100);
        assert.deepEqual(red && [red.x0, red.y0, red.x1, red.y1], [x0, y0, x0 + 19, y0 + 9], `${position}: the box's extent`);
      }
    });
  }

  test('png: a picture of the frame\'s odd size (cover), and an odd-sized one at fit none, keep every pixel', async () => {
    // A one-pixel checkerboard shows any resampling. The box was kept even: the 65×33 picture was
    // drawn 66×34 (each pixel smeared into the next, grey where it was black and white), the 21×21
    // one 20×20.
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=65x33,format=rgb24,drawgrid=w=2:h=2:t=1:c=black', '-frames:v', '1', `${h.dir}/checks.png`);
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=21x21,format=rgb24,drawgrid=w=2:h=2:t=1:c=black', '-frames:v', '1', `${h.dir}/checks21.png`);
    const src = await decodePicture(`${h.dir}/checks.png`);
    const cover = await decodePicture((await h.render('odd-cover', {
      output: { format: 'png', width: 65, height: 33 },
      tracks: [{ clips: [{ asset: { type: 'image', src: 'checks.png' }, start: 0, length: 1 }] }],
    })).video.path);
    const off: string[] = [];
    for (let y = 0; y < 33; y++) for (let x = 0; x < 65; x++) {
      if (pixel(cover, x, y).some((v, i) => Math.abs(v - pixel(src, x, y)[i]) > 2)) off.push(`${x},${y}: ${pixel(cover, x, y)} for ${pixel(src, x, y)}`);
    }
    assert.deepEqual(off.slice(0, 5), [], `${off.length} pixels changed`);
    const none = await decodePicture((await h.render('odd-none', {
      output: { format: 'png', width: 65, height: 33 }, background: '#ff0000',
      tracks: [{ clips: [{ asset: { type: 'image', src: 'checks21.png' }, start: 0, length: 1, fit: 'none', position: 'topLeft', offset: { x: 0.1, y: 0.1 } }] }],
    })).video.path);
    const grey = extentOf(none, (c) => c[1] > 20 && c[1] < 235);
    assert.equal(grey, undefined, `no grey (resampled) pixel: ${JSON.stringify(grey)}`);
    const drawn = extentOf(none, (c) => c[1] >= 235 || c[2] <= 20 && c[0] <= 20);
    assert.deepEqual(drawn && [drawn.x0, drawn.y0, drawn.width, drawn.height], [6, 3, 21, 21], 'the picture at its place (6.5, 3.3 down to whole pixels), 21×21');
  });
});
