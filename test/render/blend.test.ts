/**
 * Every blend mode, rendered in one still and compared with the W3C compositing formula:
 * result = (1 − αs)·Cb + αs·B(Cb, Cs), in RGB. A backdrop of four colour bands lies under one
 * narrow column per mode; each column is one colour on its upper half and another on its lower,
 * so each mode is measured on four (Cb, Cs) pairs chosen to take both branches of the piecewise
 * modes (Cs and Cb on both sides of ½, Cb under and over ¼ for softLight).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { bandImage } from '../support/media-fixtures.ts';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, decodePicture, extentOf, hex, patch, type Rgb } from '../support/decoded-pictures.ts';
import { BLEND_FUNCTIONS, type SeparableMode } from '../../src/render/look/blend.ts';

const h = createRenderHarness('blend');
after(() => h.dispose());

const BANDS = ['#1a59cc', '#cc3340', '#40b380', '#f2e60d'] as const; // Cb per 45-row band
const CS = ['#3399bf', '#b34d1a'] as const; // Cs of each column's upper and lower half
const MODES = Object.keys(BLEND_FUNCTIONS) as SeparableMode[];
const COLUMN = 20;
const PITCH = 22;

before(async () => {
  await bandImage(h.dir, 'backdrop.png', 320, BANDS.map((c) => [c, 45] as const));
  await bandImage(h.dir, 'column.png', COLUMN, CS.map((c) => [c, 90] as const));
});

/**
 * The spec's value for 8-bit inputs, as an interval: the inputs pass through 8-bit YUV on their
 * way (±3 levels each), so the result may be anything the formula gives within that.
 */
const expected = (mode: SeparableMode, cb: Rgb, cs: Rgb, alpha: number): Array<[number, number]> => cb.map((b, i) => {
  const values: number[] = [];
  for (const db of [-3, 0, 3]) for (const ds of [-3, 0, 3]) {
    const B = Math.min(255, Math.max(0, b + db)) / 255;
    const S = Math.min(255, Math.max(0, cs[i] + ds)) / 255;
    values.push(255 * ((1 - alpha) * B + alpha * BLEND_FUNCTIONS[mode](B, S)));
  }
  return [Math.min(...values) - 4, Math.max(...values) + 4];
});

test('each blend mode matches the W3C formula on known colours, and opacity mixes it with the backdrop', async () => {
  const columns = [...MODES.map((mode) => ({ mode, opacity: 1 })), { mode: 'multiply' as SeparableMode, opacity: 0.5 }];
  const out = await h.render('blend-all', {
    output: { format: 'png', width: 320, height: 180, fps: 10, frame: 0.5 },
    tracks: [
      { clips: [{ asset: { type: 'image', src: 'backdrop.png' }, start: 0, length: 1, fit: 'fill' }] },
      { clips: columns.map((c, i) => ({
        asset: { type: 'image', src: 'column.png' }, start: 0, length: 1, fit: 'none', position: 'left',
        offset: { x: (2 + PITCH * i) / 320 }, blend: c.mode, opacity: c.opacity,
      })) },
    ],
  });
  const p = await decodePicture(out.video.path);
  const failures: string[] = [];
  columns.forEach((c, i) => {
    const x = 2 + PITCH * i + COLUMN / 2;
    BANDS.forEach((band, k) => {
      const y = 45 * k + 22;
      const cb = patch(p, 316, y); // the backdrop as rendered, beside the columns
      const cs = hex(CS[k < 2 ? 0 : 1]);
      const got = patch(p, x, y);
      const want = expected(c.mode, cb, cs, c.opacity);
      if (!got.every((v, j) => v >= want[j][0] && v <= want[j][1])) {
        failures.push(`${c.mode}${c.opacity < 1 ? ` at opacity ${c.opacity}` : ''} on ${band} with ${CS[k < 2 ? 0 : 1]}: got ${got.join(',')}, want ${want.map(([a, b]) => `${Math.round(a)}…${Math.round(b)}`).join(',')}`);
      }
    });
  });
  assert.deepEqual(failures, []);
  // Not vacuous: the columns differ from the backdrop and from each other.
  assert.notDeepEqual(patch(p, 2 + COLUMN / 2, 22), patch(p, 316, 22));
});

test('a moving blended clip (keyframed x, so blended on a frame-sized canvas) follows the same formula where it is', async () => {
  // The column moves 0.2 of the frame right per second; at 0.5 s its left edge is at 2 + 32 px.
  const out = await h.render('blend-moving', {
    output: { format: 'png', width: 320, height: 180, fps: 10, frame: 0.5 },
    tracks: [
      { clips: [{ asset: { type: 'image', src: 'backdrop.png' }, start: 0, length: 1, fit: 'fill' }] },
      { clips: [{ asset: { type: 'image', src: 'column.png' }, start: 0, length: 1, fit: 'none', position: 'left', blend: 'difference',
        keyframes: { x: [{ time: 0, value: 2 / 320 }, { time: 1, value: 2 / 320 + 0.2 }] } }] },
    ],
  });
  const p = await decodePicture(out.video.path);
  const failures: string[] = [];
  BANDS.forEach((band, k) => {
    const y = 45 * k + 22;
    const cb = patch(p, 316, y);
    const got = patch(p, 2 + 32 + COLUMN / 2, y);
    const want = expected('difference', cb, hex(CS[k < 2 ? 0 : 1]), 1);
    if (!got.every((v, j) => v >= want[j][0] && v <= want[j][1])) failures.push(`on ${band}: got ${got.join(',')}, want ${want.map(([a, b]) => `${Math.round(a)}…${Math.round(b)}`).join(',')}`);
    assert.deepEqual(patch(p, 2 + COLUMN / 2, y), cb, `where the column was at 0 s, only the backdrop (${band})`);
  });
  assert.deepEqual(failures, []);
});

test('a still blended clip reaching out of the frame is blended on its part inside, the same as on a frame-sized canvas', async () => {
  // The column, 240 px tall in a 180 px frame, hangs 10 px off the left edge and out at the top:
  // fixed, it is blended on its part inside the frame only; keyframed with the same x on both
  // keys (constant, but planned as moving) it is blended on a frame-sized canvas. Both must agree.
  await bandImage(h.dir, 'tall.png', COLUMN, CS.map((c) => [c, 120] as const));
  const render = (name: string, x: object) => h.render(name, {
    output: { format: 'png', width: 320, height: 180, fps: 10, frame: 0.5 },
    tracks: [
      { clips: [{ asset: { type: 'image', src: 'backdrop.png' }, start: 0, length: 1, fit: 'fill' }] },
      { clips: [{ asset: { type: 'image', src: 'tall.png' }, start: 0, length: 1, fit: 'none', position: 'topLeft', blend: 'screen', offset: { y: -30 / 180 }, ...x }] },
    ],
  });
  const [fixed, canvas] = [
    await decodePicture((await render('blend-out-fixed', { offset: { x: -10 / 320, y: -30 / 180 } })).video.path),
    await decodePicture((await render('blend-out-canvas', { keyframes: { x: [{ time: 0, value: -10 / 320 }, { time: 1, value: -10 / 320 }] } })).video.path),
  ];
  for (const [x, y] of [[5, 10], [5, 80], [5, 170], [30, 90], [200, 90]]) {
    assert.deepEqual(patch(fixed, x, y), patch(canvas, x, y), `at ${x},${y}`);
  }
  // Not vacuous: the column's visible part is blended (screen lightens), beside it the backdrop.
  const cb = patch(fixed, 316, 22);
  const want = expected('screen', cb, hex(CS[0]), 1);
  const got = patch(fixed, 5, 22);
  assert.ok(got.every((v, j) => v >= want[j][0] && v <= want[j][1]), `screen at 5,22: got ${got.join(',')}, want ${want.map(([a, b]) => `${Math.round(a)}…${Math.round(b)}`).join(',')}`);
});

test('a still blended clip fading in (its colours converted once, its alpha per frame) follows the formula at each step of the fade', async () => {
  const out = await h.render('blend-fade', {
    output: { width: 320, height: 180, fps: 10, quality: 'high' },
    tracks: [
      { clips: [{ asset: { type: 'image', src: 'backdrop.png' }, start: 0, length: 2, fit: 'fill' }] },
      { clips: [{ asset: { type: 'image', src: 'column.png' }, start: 0, length: 2, fit: 'none', position: 'left', offset: { x: 100 / 320 },
        blend: 'multiply', opacity: 0.9, transition: { in: 'fade', duration: 1 } }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  assert.equal(frames.length, 20);
  const x = 100 + COLUMN / 2;
  const failures: string[] = [];
  let previous = -1;
  for (const n of [3, 6, 15]) {
    const p = frames[n];
    // The alpha this frame was drawn with, read where the blend moves a value most (the last band's
    // green: 230 under 77 gives 69), then held to on every band.
    const cb3 = patch(p, 316, 157);
    const full3 = BLEND_FUNCTIONS.multiply(cb3[1] / 255, hex(CS[1])[1] / 255) * 255;
    const alpha = (patch(p, x, 157)[1] - cb3[1]) / (full3 - cb3[1]);
    assert.ok(alpha > previous, `frame ${n}: the fade goes on (alpha ${alpha.toFixed(2)} after ${previous.toFixed(2)})`);
    previous = alpha;
    BANDS.forEach((band, k) => {
      const y = 45 * k + 22;
      const [cb, cs, got] = [patch(p, 316, y), hex(CS[k < 2 ? 0 : 1]), patch(p, x, y)];
      const want = expected('multiply', cb, cs, Math.min(1, Math.max(0, alpha)));
      if (!got.every((v, j) => v >= want[j][0] - 3 && v <= want[j][1] + 3)) failures.push(`frame ${n} on ${band}: got ${got.join(',')}, want ${want.map(([a, b]) => `${Math.round(a)}…${Math.round(b)}`).join(',')}`);
    });
  }
  assert.deepEqual(failures, []);
  assert.ok(previous > 0.85 && previous < 0.95, `after the fade, the clip's opacity 0.9 (${previous.toFixed(2)})`);
});

test('at an NTSC rate (29.97) a moving blended clip is drawn on its own frames: its first frame shows, and it does not lag a frame', async () => {
  // A green 32×18 box (scale 0.1 of the frame), difference-blended over white: magenta where it is.
  // It starts at 0.5 s (frame 15 of the 30000/1001 grid) and moves 96 px a second (3.2 px a frame).
  // The blend's frame-sized canvas was timed at 29.97 (not 30000/1001) fps: a hair later than the
  // frame it belongs to, so the overlay showed it one frame late and the first frame not at all.
  const fps = 30000 / 1001;
  const out = await h.render('blend-ntsc', {
    output: { width: 320, height: 180, fps: 29.97, quality: 'high' },
    background: '#ffffff',
    tracks: [{ clips: [{ asset: { type: 'color', color: '#00ff00' }, start: 0.5, length: 1, scale: 0.1, blend: 'difference',
      keyframes: { x: [{ time: 0, value: -0.3 }, { time: 1, value: 0 }] } }] }],
  });
  const frames = await decodeFrames(out.video.path);
  assert.equal(frames.length, 45);
  const magenta = (c: Rgb) => c[0] > 180 && c[1] < 80 && c[2] > 180;
  assert.equal(extentOf(frames[14], magenta), undefined, 'nothing before the clip starts');
  for (const n of [15, 16, 30, 44]) {
    const box = extentOf(frames[n], magenta);
    assert.ok(box, `frame ${n}: the blended box is drawn`);
    // Its centre on frame n: 160 + x(t)·320, x going −0.3 → 0 over the clip's second.
    const want = 160 + (-0.3 + 0.3 * Math.min(1, n / fps - 0.5)) * 320;
    assert.ok(Math.abs(box.cx - want) <= 1.5, `frame ${n}: centre at ${box.cx}, want ${want.toFixed(1)} (a frame is 3.2 px)`);
  }
});

test('in a still (drawn in RGB, no even grid) a blended clip lies on the very pixels the same clip unblended does, at an odd place', async () => {
  // lighten over black is the clip itself: the two renders must match. The blend's box was rounded
  // to 4:2:0's even grid, one pixel up and left of where overlay puts the unblended clip in RGB.
  const render = (name: string, blend: string, offset: object) => h.render(name, {
    output: { format: 'png', width: 333, height: 199 },
    tracks: [{ clips: [{ asset: { type: 'image', src: 'column.png' }, start: 0, length: 1, fit: 'none', position: 'topLeft', offset, blend }] }],
  });
  for (const [name, offset] of [['inside', { x: 9.5 / 333, y: 5.5 / 199 }], ['out-top-left', { x: -5 / 333, y: -7 / 199 }]] as const) {
    const [plain, blended] = [
      await decodePicture((await render(`rgb-odd-${name}-normal`, 'normal', offset)).video.path),
      await decodePicture((await render(`rgb-odd-${name}-lighten`, 'lighten', offset)).video.path),
    ];
    const lit = (c: Rgb) => Math.max(...c) > 60;
    const [a, b] = [extentOf(plain, lit), extentOf(blended, lit)];
    assert.ok(a, `${name}: the clip is drawn`);
    assert.deepEqual(b, a, `${name}: the blended clip's pixels where the plain one's are`);
  }
});
