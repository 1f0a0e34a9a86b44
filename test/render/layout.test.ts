/**
 * Where a visual clip lands: fit, position, offset, scale, opacity, rotate, the background, and the
 * drawing order of tracks and clips. Each case renders one still (png, lossless) through the engine
 * and samples the colours where the clip should and should not be.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bandImage, quadrantImage } from '../support/media-fixtures.ts';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodePicture, extentOf, isColour, type Picture } from '../support/decoded-pictures.ts';
import { expectColour, expectNear } from '../support/picture-asserts.ts';

const h = createRenderHarness('layout');
const BG = '#ffffff';
const [RED, GREEN, BLUE, YELLOW] = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];

before(async () => {
  await quadrantImage(h.dir, 'quad40.png', 40, 40);
  // 100×100: 25 red rows over 75 blue ones, so each fit crops or stretches it differently.
  await bandImage(h.dir, 'bands.png', 100, [[RED, 25], [BLUE, 75]]);
});
after(() => h.dispose());

const still = async (name: string, clips: object[], opts: { background?: string; tracks?: object[][] } = {}): Promise<Picture> => {
  const tracks = opts.tracks ?? [clips];
  const out = await h.render(name, {
    output: { ...TINY, format: 'png' }, background: opts.background ?? BG,
    tracks: tracks.map((c) => ({ clips: c })),
  });
  return decodePicture(out.video.path);
};
const image = (src: string, extra: object = {}) => ({ asset: { type: 'image', src }, start: 0, length: 1, ...extra });

describe('fit', () => {
  test('cover fills the frame and crops the overflow (scaled to 320×320, centred: 10 red rows show)', async () => {
    const p = await still('fit-cover', [image('bands.png', { fit: 'cover' })]);
    // Scaled ×3.2 to 320×320 and centred: rows −70…10 are red, the rest blue; no background anywhere.
    expectColour(p, 160, 4, RED, 'the last of the red band');
    expectColour(p, 160, 20, BLUE, 'below the cropped red band');
    expectColour(p, 4, 175, BLUE, 'bottom-left corner is covered');
    expectColour(p, 315, 175, BLUE, 'bottom-right corner is covered');
  });

  test('cover is the default for images', async () => {
    const p = await still('fit-default', [image('bands.png')]);
    expectColour(p, 160, 4, RED, 'cropped red band');
    expectColour(p, 160, 20, BLUE, 'blue below it');
  });

  test('contain letterboxes: the whole picture, 180×180 in the middle, transparent bars show what lies beneath', async () => {
    const under = { asset: { type: 'color', color: GREEN }, start: 0, length: 1 };
    const p = await still('fit-contain', [], { tracks: [[under], [image('bands.png', { fit: 'contain' })]] });
    expectColour(p, 160, 30, RED, 'red band (rows 0–45)');
    expectColour(p, 160, 60, BLUE, 'blue band');
    expectColour(p, 75, 30, RED, 'left edge of the picture at x = 70');
    expectColour(p, 60, 90, GREEN, 'the left bar shows the track beneath');
    expectColour(p, 260, 90, GREEN, 'the right bar shows the track beneath');
  });

  test('fill stretches to the frame: a quarter of the height is red', async () => {
    const p = await still('fit-fill', [image('bands.png', { fit: 'fill' })]);
    expectColour(p, 5, 38, RED, 'red down to row 45, at the left edge');
    expectColour(p, 315, 38, RED, 'red at the right edge');
    expectColour(p, 160, 52, BLUE, 'blue from row 45');
  });

  test('none keeps the source pixels: 100×100 in the middle of the background', async () => {
    const p = await still('fit-none', [image('bands.png', { fit: 'none' })]);
    expectColour(p, 160, 52, RED, 'red rows 40–65');
    expectColour(p, 160, 100, BLUE, 'blue rows 65–140');
    expectColour(p, 160, 30, BG, 'background above');
    expectColour(p, 100, 90, BG, 'background left of x = 110');
    const box = extentOf(p, (c) => !isColour(c, BG, 60));
    expectNear([box?.x0, box?.y0, box?.width, box?.height], [110, 40, 100, 100], 'the drawn box');
  });
});

describe('position', () => {
  // A 40×40 quadrant picture at its own size: the box's top-left corner for each anchor.
  const corners: Record<string, [number, number]> = {
    topLeft: [0, 0], top: [140, 0], topRight: [280, 0],
    left: [0, 70], center: [140, 70], right: [280, 70],
    bottomLeft: [0, 140], bottom: [140, 140], bottomRight: [280, 140],
  };
  for (const [position, [x, y]] of Object.entries(corners)) {
    test(`${position} puts the box at (${x}, ${y})`, async () => {
      const p = await still(`pos-${position}`, [image('quad40.png', { fit: 'none', position })]);
      expectColour(p, x + 10, y + 10, RED, 'top-left quadrant');
      expectColour(p, x + 30, y + 10, GREEN, 'top-right quadrant');
      expectColour(p, x + 10, y + 30, BLUE, 'bottom-left quadrant');
      expectColour(p, x + 30, y + 30, YELLOW, 'bottom-right quadrant');
      const box = extentOf(p, (c) => !isColour(c, BG, 60));
      expectNear([box?.x0, box?.y0, box?.width, box?.height], [x, y, 40, 40], 'nothing else is drawn');
    });
  }

  test('center is the default', async () => {
    const p = await still('pos-default', [image('quad40.png', { fit: 'none' })]);
    expectColour(p, 150, 80, RED, 'top-left quadrant at the centre');
    expectColour(p, 170, 100, YELLOW, 'bottom-right quadrant at the centre');
  });
});

test('offset shifts by a fraction of the frame: +x right, +y down', async () => {
  const p = await still('offset', [image('quad40.png', { fit: 'none', offset: { x: 0.25, y: -0.25 } })]);
  // Centre box at (140, 70) + (80, −45).
  const box = extentOf(p, (c) => !isColour(c, BG, 60));
  expectNear([box?.x0, box?.y0], [220, 25], 'the drawn box');
  expectColour(p, 230, 35, RED, 'top-left quadrant moved right and up');
});

test('offset works from a corner anchor too', async () => {
  const p = await still('offset-corner', [image('quad40.png', { fit: 'none', position: 'bottomRight', offset: { x: -0.5, y: 0 } })]);
  const box = extentOf(p, (c) => !isColour(c, BG, 60));
  expectNear([box?.x0, box?.y0], [120, 140], 'the drawn box');
});

test('scale multiplies the fitted size about the anchor', async () => {
  const p = await still('scale', [image('quad40.png', { fit: 'none', scale: 2 })]);
  const box = extentOf(p, (c) => !isColour(c, BG, 60));
  expectNear([box?.x0, box?.y0, box?.width, box?.height], [120, 50, 80, 80], 'the drawn box');
  expectColour(p, 140, 70, RED, 'top-left quadrant, doubled');
  expectColour(p, 180, 110, YELLOW, 'bottom-right quadrant, doubled');
});

test('scale on a cover fit grows past the frame and keeps the centre', async () => {
  const p = await still('scale-cover', [image('bands.png', { scale: 0.5 })]);
  // Cover 320×320 × 0.5 = 160×160 centred at (80…240, 10…170): red rows 10–50.
  expectColour(p, 160, 30, RED, 'red band of the half-size picture');
  expectColour(p, 60, 90, BG, 'background beside it');
});

test('opacity blends the clip with what lies beneath', async () => {
  const p = await still('opacity', [{ asset: { type: 'color', color: RED }, start: 0, length: 1, opacity: 0.5 }]);
  expectColour(p, 160, 90, '#ff8080', 'half red over white', 20);
});

test('opacity 0 draws nothing', async () => {
  const p = await still('opacity-0', [{ asset: { type: 'color', color: RED }, start: 0, length: 1, opacity: 0 }]);
  expectColour(p, 160, 90, BG, 'the background alone', 10);
});

describe('rotate', () => {
  const bar = (rotate: number) => ({
    asset: { type: 'shape', shape: 'rectangle', width: 120, height: 20, fill: '#000000' }, start: 0, length: 1, rotate,
  });
  test('90° stands a horizontal bar upright about its centre', async () => {
    const p = await still('rotate-90', [bar(90)]);
    const box = extentOf(p, (c) => c[0] < 100);
    assert.ok(box, 'the bar is drawn');
    assert.ok(Math.abs(box.width - 20) <= 2 && Math.abs(box.height - 120) <= 2, `bar is ${box.width}×${box.height}`);
    assert.ok(Math.abs(box.cx - 160) <= 1.5 && Math.abs(box.cy - 90) <= 1.5, `centred at (${box.cx}, ${box.cy})`);
  });
  test('positive angles turn clockwise: at 45° the right end goes down', async () => {
    const p = await still('rotate-45', [bar(45)]);
    expectColour(p, 160 + 35, 90 + 35, '#000000', 'lower right of the centre');
    expectColour(p, 160 - 35, 90 - 35, '#000000', 'upper left of the centre');
    expectColour(p, 160 + 35, 90 - 35, BG, 'upper right stays clear');
  });
  // ffmpeg's rotate copies the edge pixel into the pixel beyond it: a turned picture came out one
  // whole pixel larger on each side (122×22, 5 % more area than the bar has).
  test('a turned picture keeps its size: 180° covers exactly 120×20, 30° covers the bar\'s area', async () => {
    const p = await still('rotate-180', [bar(180)]);
    const box = extentOf(p, (c) => c[0] < 128);
    assert.ok(box && box.width === 120 && box.height === 20, `bar is ${box?.width}×${box?.height}`);
    const turned = await still('rotate-30', [bar(30)]);
    let covered = 0;
    for (let i = 0; i < turned.data.length; i += 3) covered += (255 - turned.data[i + 1]) / 255;
    assert.ok(Math.abs(covered - 120 * 20) <= 40, `the bar covers ${covered.toFixed(0)} px², not ${120 * 20}`);
  });
  test('a turned picture has no dark fringe: a white bar at 30° on white leaves the frame white', async () => {
    const p = await still('rotate-30-white', [{ ...bar(30), asset: { type: 'shape', shape: 'rectangle', width: 120, height: 20, fill: '#ffffff' } }]);
    let darkest = 255;
    for (let i = 1; i < p.data.length; i += 3) darkest = Math.min(darkest, p.data[i]);
    assert.ok(darkest >= 235, `a dark edge round the bar: green down to ${darkest}`);
  });
});

test('background shows where no clip covers the frame', async () => {
  const p = await still('background', [image('quad40.png', { fit: 'none' })], { background: '#3366cc' });
  expectColour(p, 20, 20, '#3366cc', 'top-left corner');
  expectColour(p, 300, 160, '#3366cc', 'bottom-right corner');
});

test('background defaults to black', async () => {
  const out = await h.render('background-default', { output: { ...TINY, format: 'png' }, tracks: [{ clips: [image('quad40.png', { fit: 'none' })] }] });
  expectColour(await decodePicture(out.video.path), 20, 20, '#000000', 'uncovered corner', 8);
});

describe('drawing order', () => {
  const colour = (color: string, start = 0, extra: object = {}) => ({ asset: { type: 'color', color }, start, length: 1, ...extra });
  test('a later track is drawn over an earlier one', async () => {
    const p = await still('order-tracks', [], { tracks: [[colour(RED)], [colour(BLUE, 0, { scale: 0.5 })]] });
    expectColour(p, 160, 90, BLUE, 'the second track in the middle');
    expectColour(p, 20, 20, RED, 'the first track around it');
  });
  test('on one track, the clip that starts later is on top, whatever its place in the list', async () => {
    const late = { ...colour(BLUE, 0.5, { scale: 0.5 }), length: 1 };
    const out = await h.render('order-start', {
      output: { ...TINY, format: 'png', frame: 0.8 }, background: BG,
      tracks: [{ clips: [late, colour(RED, 0, { length: 2 })] }],
    });
    const p = await decodePicture(out.video.path);
    expectColour(p, 160, 90, BLUE, 'the later-starting clip, listed first, covers the middle');
    expectColour(p, 20, 20, RED, 'the earlier clip around it');
  });
});
