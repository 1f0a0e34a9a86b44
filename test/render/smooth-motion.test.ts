/**
 * Sub-pixel smooth pans (issue 12, "Ken Burns judders"): a thin line on a generated still is tracked
 * frame by frame (its luma-weighted centroid) through each pan. It must advance every frame, never
 * step back, and stay within 1/3 px of the ideal path (a straight line at the pan's speed).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, luma, pixel, type Picture } from '../support/decoded-pictures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { EFFECT_ZOOM } from '../../src/render/ken-burns.ts';
import { keyframeCurve } from '../../src/render/keyframe-curve.ts';
import { inProgress, outProgress } from '../../src/render/transitions/transition-effects.ts';

const h = createRenderHarness('smooth-motion');
after(() => h.dispose());

const OUTPUT = { width: 320, height: 180, fps: 30, quality: 'high' } as const;
const SECONDS = 2;

before(async () => {
  // 1920×1080 black with a 2 px white vertical line at x = 958–959 and a horizontal one at y = 538–539.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=black:s=1920x1080:d=1', '-vf',
    'drawbox=x=958:y=0:w=2:h=1080:c=white:t=fill,drawbox=x=0:y=538:w=1920:h=2:c=white:t=fill', '-frames:v', '1', join(h.dir, 'lines.png'));
  // Off-centre lines (x = 1400–1411, y = 800–811), so that a zoom about the centre moves them: 2 px wide
  // once fitted, so that the centroid's threshold clips no faint edge (a 1/3 px line's edge fades
  // below it as the line crosses a pixel, and its centroid then stalls, whatever draws it).
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=black:s=1920x1080:d=1', '-vf',
    'drawbox=x=1400:y=0:w=12:h=1080:c=white:t=fill,drawbox=x=0:y=800:w=1920:h=12:c=white:t=fill', '-frames:v', '1', join(h.dir, 'off-centre.png'));
  // Lines near the right and bottom edges (x = 1770–1781, y = 900–911), where a zoom's scale error shows most.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=black:s=1920x1080:d=1', '-vf',
    'drawbox=x=1770:y=0:w=12:h=1080:c=white:t=fill,drawbox=x=0:y=900:w=1920:h=12:c=white:t=fill', '-frames:v', '1', join(h.dir, 'near-edges.png'));
  // The same lines as a transparent still's only opaque pixels (white everywhere, alpha 1 on the lines):
  // what shows of it is its alpha.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=1920x1080:d=1', '-f', 'lavfi', '-i', 'color=c=black:s=1920x1080:d=1', '-filter_complex',
    '[1]drawbox=x=1770:y=0:w=12:h=1080:c=white:t=fill,drawbox=x=0:y=900:w=1920:h=12:c=white:t=fill,format=gray[m];[0]format=rgb24[c];[c][m]alphamerge,format=rgba',
    '-frames:v', '1', join(h.dir, 'near-edges-alpha.png'));
});

/** Luma-weighted centroid (pixel-centre coordinates) of the line across a band away from the other line. */
const centroid = (p: Picture, axis: 'x' | 'y'): number => {
  let sum = 0;
  let weight = 0;
  const along = axis === 'x' ? p.width : p.height;
  for (let i = 0; i < along; i++) {
    let l = 0;
    // A band of 40 rows (or columns) a quarter of the way in, clear of the crossing line.
    for (let j = 20; j < 60; j++) l += luma(axis === 'x' ? pixel(p, i, j) : pixel(p, j, i));
    const w = Math.max(0, l / 40 - 16);
    sum += w * i;
    weight += w;
  }
  return sum / weight;
};

const STILL = 0.05;

/**
 * Monotone in `direction`, and within `tolerance` of the ideal path from the first to the last
 * frame: a straight line, or `curve` (the motion's own curve, any scale: only its shape counts).
 */
const expectSmooth = (positions: number[], direction: 1 | -1, what: string, tolerance = 1 / 3, curve?: readonly number[]) => {
  const n = positions.length;
  const c = curve ?? positions.map((_, i) => i);
  const speed = (positions[n - 1] - positions[0]) / (n - 1);
  assert.ok(Math.sign(speed) === direction, `${what} moves the right way: ${speed.toFixed(3)} px/frame`);
  const ideal = (i: number) => positions[0] + ((positions[n - 1] - positions[0]) * (c[i] - c[0])) / (c[n - 1] - c[0]);
  // Every frame advances; where the curve itself all but stops (an easing's ends: an ideal step under
  // STILL px, below what a centroid resolves), it must at least not step back by more than that.
  const back = positions.slice(1).filter((v, i) => {
    const step = (v - positions[i]) * direction;
    return Math.abs(ideal(i + 1) - ideal(i)) >= STILL ? step <= 0 : step < -STILL;
  }).length;
  assert.equal(back, 0, `${what}: every frame advances (steps: ${positions.slice(1).map((v, i) => (v - positions[i]).toFixed(2)).join(' ')})`);
  const worst = Math.max(...positions.map((v, i) => Math.abs(v - ideal(i))));
  assert.ok(worst <= tolerance, `${what}: within ${tolerance.toFixed(2)} px of the ideal path, worst ${worst.toFixed(3)} px`);
};

describe('pans move by fractions of a pixel', () => {
  for (const [effect, axis, direction] of [['panLeft', 'x', -1], ['panRight', 'x', 1], ['panUp', 'y', -1], ['panDown', 'y', 1]] as const) {
    test(`${effect}: the line moves steadily (${SECONDS} s at ${OUTPUT.fps} fps)`, async () => {
      const out = await h.render(`pan-${effect}`, { output: OUTPUT, tracks: [{ clips: [{ asset: { type: 'image', src: 'lines.png' }, start: 0, length: SECONDS, effect }] }] });
      const frames = await decodeFrames(out.video.path);
      assert.equal(frames.length, SECONDS * OUTPUT.fps);
      const positions = frames.map((f) => centroid(f, axis));
      expectSmooth(positions, direction, effect);
      // The whole travel is the overscan: (368 − 320) px across, (206 − 180) px down.
      const travel = Math.abs(positions[positions.length - 1] - positions[0]);
      const full = axis === 'x' ? 48 : 26;
      assert.ok(Math.abs(travel - full * (1 - 1 / (SECONDS * OUTPUT.fps))) < 1, `travels ${travel.toFixed(2)} px`);
    });
  }
});

describe('zooms scale by fractions of a pixel', () => {
  for (const effect of ['zoomIn', 'zoomOut'] as const) {
    test(`${effect}: an off-centre line moves steadily along the zoom's curve`, async () => {
      const out = await h.render(`zoom-${effect}`, { output: { ...OUTPUT, format: 'mov' }, tracks: [{ clips: [{ asset: { type: 'image', src: 'off-centre.png' }, start: 0, length: SECONDS, effect }] }] });
      const frames = await decodeFrames(out.video.path);
      assert.equal(frames.length, SECONDS * OUTPUT.fps);
      // The zoom: 1 → EFFECT_ZOOM (or back) linearly over the clip; a point d px from the centre shows at d·z.
      const z = frames.map((_, n) => { const p = n / (SECONDS * OUTPUT.fps); return effect === 'zoomIn' ? 1 + (EFFECT_ZOOM - 1) * p : EFFECT_ZOOM - (EFFECT_ZOOM - 1) * p; });
      const direction = effect === 'zoomIn' ? 1 : -1;
      for (const axis of ['x', 'y'] as const) {
        const positions = frames.map((f) => centroid(f, axis));
        expectSmooth(positions, direction, `${effect} (${axis})`, 1 / 3, z);
        // The line's middle sits (1406 − 960)/6 px right of the centre at zoom 1 (or (806 − 540)/6 below), EFFECT_ZOOM× that at the other end.
        const d = axis === 'x' ? (1406 - 960) / 6 : (806 - 540) / 6;
        const travel = Math.abs(positions[positions.length - 1] - positions[0]);
        const ideal = d * Math.abs(z[z.length - 1] - z[0]);
        assert.ok(Math.abs(travel - ideal) < 0.5, `${effect} (${axis}) travels ${travel.toFixed(2)} px, ideal ${ideal.toFixed(2)}`);
      }
    });
  }
});

describe('zooms drawn without the map (zoom-ratio.ts) stay on the zoom\'s curve out to the edges', () => {
  // 640×360, 2 s: zoom-ratio.ts draws these (swscale at a ratio chosen per frame from stacked copies,
  // src/render/zoom-ratio.test.ts); lines 272 px right of and 123 px below the centre.
  for (const effect of ['zoomIn', 'zoomOut'] as const) {
    test(`${effect} at 640×360: lines near the edges advance every frame, within 1/3 px of the curve`, async () => {
      const out = await h.render(`zoom-edges-${effect}`, { output: { ...OUTPUT, width: 640, height: 360, format: 'mov' }, tracks: [{ clips: [{ asset: { type: 'image', src: 'near-edges.png' }, start: 0, length: SECONDS, effect }] }] });
      const frames = await decodeFrames(out.video.path);
      assert.equal(frames.length, SECONDS * OUTPUT.fps);
      const z = frames.map((_, n) => { const p = n / (SECONDS * OUTPUT.fps); return effect === 'zoomIn' ? 1 + (EFFECT_ZOOM - 1) * p : EFFECT_ZOOM - (EFFECT_ZOOM - 1) * p; });
      for (const axis of ['x', 'y'] as const) {
        const positions = frames.map((f) => centroid(f, axis));
        expectSmooth(positions, effect === 'zoomIn' ? 1 : -1, `${effect} (${axis})`, 1 / 3, z);
        // The lines' middles sit (1776 − 960)/3 px right of the centre (or (906 − 540)/3 below) at zoom 1.
        const d = axis === 'x' ? (1776 - 960) / 3 : (906 - 540) / 3;
        const travel = Math.abs(positions[positions.length - 1] - positions[0]);
        const ideal = d * Math.abs(z[z.length - 1] - z[0]);
        assert.ok(Math.abs(travel - ideal) < 0.5, `${effect} (${axis}) travels ${travel.toFixed(2)} px, ideal ${ideal.toFixed(2)}`);
      }
    });
  }
});

describe('zooms drawn without the map move every plane together, and keep their sharpness', () => {
  const zoomCurve = (n: number) => Array.from({ length: n }, (_, i) => 1 + (EFFECT_ZOOM - 1) * (i / n));
  test('a transparent still: its outline (its alpha) advances every frame, within 1/3 px of the curve', async () => {
    const out = await h.render('zoom-alpha', { output: { ...OUTPUT, width: 640, height: 360, format: 'mov' }, tracks: [{ clips: [{ asset: { type: 'image', src: 'near-edges-alpha.png' }, start: 0, length: SECONDS, effect: 'zoomIn' }] }] });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, SECONDS * OUTPUT.fps);
    // Moved with the colours, not left on whole pixels (which stepped it 0.4–1.7 px and back).
    expectSmooth(frames.map((f) => centroid(f, 'x')), 1, 'the transparent still\'s line', 1 / 3, zoomCurve(frames.length));
  });

  test('a GIF (drawn in planar RGB): red, green and blue stay in register on every frame', async () => {
    const out = await h.render('zoom-gif-planes', { output: { width: 640, height: 360, fps: 15, format: 'gif' }, tracks: [{ clips: [{ asset: { type: 'image', src: 'near-edges.png' }, start: 0, length: SECONDS, effect: 'zoomIn' }] }] });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, SECONDS * 15);
    // Each channel's centroid of the line near the right edge (a band of rows clear of the other line).
    const at = (p: Picture, ch: 0 | 1 | 2) => {
      let sum = 0;
      let weight = 0;
      for (let x = 540; x < 640; x++) {
        let v = 0;
        for (let y = 20; y < 60; y++) v += pixel(p, x, y)[ch];
        const w = Math.max(0, v / 40 - 16);
        sum += w * x;
        weight += w;
      }
      return sum / weight;
    };
    // Planar RGB's planes are all full size and move together (a shift with 4:2:0 weights once moved
    // two of them by half as much, and the colours split by up to 0.3 px).
    const apart = frames.map((f) => Math.max(Math.abs(at(f, 0) - at(f, 1)), Math.abs(at(f, 2) - at(f, 1))));
    assert.ok(Math.max(...apart) <= 0.05, `channels apart by ${apart.map((d) => d.toFixed(2)).join(' ')} px`);
  });
});

describe('a zoom keeps its sharpness from frame to frame', () => {
  // Every frame is shrunk from a copy larger than the zoom (zoom-ratio.ts), so its detail is as sharp
  // on one frame as on the next. The zoompan route shifted each frame by a bilinear convolution of a
  // different fraction, which softened the picture by a different amount every frame: on this
  // texture its gradient energy jumped by up to 43 % between frames. The map (bilinear, enlarging)
  // jumps by up to 8.8 %, this route by 0.8 % (docs/benchmarks.md, "A zoom by a chosen ratio").
  test('a textured still zooming in at 640×360: the frames\' detail changes smoothly', async () => {
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=gray:s=1920x1080:d=1', '-vf', 'noise=alls=80:allf=u,boxblur=1:1',
      '-frames:v', '1', join(h.dir, 'texture.png'));
    const out = await h.render('zoom-texture', { output: { ...OUTPUT, width: 640, height: 360, format: 'mov' }, tracks: [{ clips: [{ asset: { type: 'image', src: 'texture.png' }, start: 0, length: SECONDS, effect: 'zoomIn' }] }] });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, SECONDS * OUTPUT.fps);
    // Mean luma gradient over the middle 320×180, per frame.
    const energy = frames.map((f) => {
      let e = 0;
      for (let y = 91; y < 270; y++) for (let x = 161; x < 480; x++) {
        const v = luma(pixel(f, x, y));
        e += Math.abs(v - luma(pixel(f, x - 1, y))) + Math.abs(v - luma(pixel(f, x, y - 1)));
      }
      return e / (319 * 179);
    });
    // Each frame against the mean of its neighbours: the zoom's own change is slow and smooth.
    const jumps = energy.slice(1, -1).map((e, i) => Math.abs(e - (energy[i] + energy[i + 2]) / 2) / e);
    const worst = Math.max(...jumps);
    assert.ok(worst < 0.02, `sharpness jumps by up to ${(100 * worst).toFixed(2)} % between frames (${energy.map((e) => e.toFixed(2)).join(' ')})`);
  });
});

describe('keyframed moves and sizes, and slides, move by fractions of a pixel', () => {
  const MOV = { ...OUTPUT, format: 'mov' } as const;
  const track = async (name: string, clip: object, axis: 'x' | 'y' = 'x') => {
    const out = await h.render(name, { output: MOV, tracks: [{ clips: [{ start: 0, length: SECONDS, ...clip }] }] });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, SECONDS * OUTPUT.fps);
    return frames.map((f) => centroid(f, axis));
  };
  const times = Array.from({ length: SECONDS * OUTPUT.fps }, (_, n) => n / OUTPUT.fps);

  test('a keyframed x move (eased): the line follows the keyframes\' curve', async () => {
    const keys = [{ time: 0, value: -0.1, easing: 'easeInOut' }, { time: SECONDS, value: 0.1 }];
    const positions = await track('keyframed-x', { asset: { type: 'image', src: 'off-centre.png' }, keyframes: { x: keys } });
    const curve = keyframeCurve(keys as never);
    expectSmooth(positions, 1, 'keyframed x', 1 / 3, times.map((t) => curve.at(t)));
    // 0.2 of the frame's width, less the last frame's share.
    const ideal = OUTPUT.width * (curve.at(times[times.length - 1]) - curve.at(0));
    assert.ok(Math.abs(positions[positions.length - 1] - positions[0] - ideal) < 0.5, `travels ${(positions[positions.length - 1] - positions[0]).toFixed(2)} px, ideal ${ideal.toFixed(2)}`);
  });

  test('a keyframed y move (eased): the line follows the keyframes\' curve', async () => {
    const keys = [{ time: 0, value: 0.05, easing: 'easeOut' }, { time: SECONDS, value: -0.05 }];
    const positions = await track('keyframed-y', { asset: { type: 'image', src: 'off-centre.png' }, keyframes: { y: keys } }, 'y');
    const curve = keyframeCurve(keys as never);
    expectSmooth(positions, -1, 'keyframed y', 1 / 3, times.map((t) => curve.at(t)));
    const ideal = OUTPUT.height * (curve.at(times[times.length - 1]) - curve.at(0));
    assert.ok(Math.abs(positions[positions.length - 1] - positions[0] - ideal) < 0.5, `travels ${(positions[positions.length - 1] - positions[0]).toFixed(2)} px, ideal ${ideal.toFixed(2)}`);
  });

  test('a keyframed scale: an off-centre line moves along the scale curve', async () => {
    const keys = [{ time: 0, value: 0.5 }, { time: SECONDS, value: 0.8 }];
    const positions = await track('keyframed-scale', { asset: { type: 'image', src: 'off-centre.png' }, keyframes: { scale: keys } });
    const curve = keyframeCurve(keys as never);
    const s = times.map((t) => curve.at(t));
    expectSmooth(positions, 1, 'keyframed scale', 1 / 3, s);
    // The line's middle sits (1406 − 960)/6 px right of the centre at scale 1.
    const ideal = ((1406 - 960) / 6) * (s[s.length - 1] - s[0]);
    assert.ok(Math.abs(positions[positions.length - 1] - positions[0] - ideal) < 0.5, `travels ${(positions[positions.length - 1] - positions[0]).toFixed(2)} px, ideal ${ideal.toFixed(2)}`);
  });

  for (const [kind, axis, direction] of [['slideLeft', 'x', -1], ['slideUp', 'y', -1]] as const) {
    test(`${kind} in (its own easing): the line follows the transition's curve`, async () => {
      const positions = await track(`slide-${kind}`, { asset: { type: 'image', src: 'lines.png' }, transition: { in: kind, duration: SECONDS } }, axis);
      const e = inProgress({ kind, duration: SECONDS } as never);
      // Only the frames where the line (at the picture's middle) is well inside the frame.
      const far = (axis === 'x' ? OUTPUT.width : OUTPUT.height) - 10;
      const from = positions.findIndex((p) => p < far);
      assert.ok(from >= 0 && from < positions.length - 10, `the line comes into view (from frame ${from})`);
      expectSmooth(positions.slice(from), direction, kind, 1 / 3, times.slice(from).map((t) => e.at(t)));
    });
  }

  test('slideRight out after resting at a fractional place: no jump where the rest ends and the slide begins', async () => {
    const positions = await track('slide-out-rest', { asset: { type: 'image', src: 'lines.png' }, offset: { x: 0.0031, y: 0 }, transition: { out: 'slideRight', duration: SECONDS / 2 } });
    const e = outProgress({ kind: 'slideRight', duration: SECONDS / 2 } as never, SECONDS / 2);
    const visible = positions.findIndex((p) => !(p < OUTPUT.width - 10));
    const until = visible < 0 ? positions.length : visible;
    assert.ok(until > OUTPUT.fps, `the line stays in view past the rest (until frame ${until})`);
    // At rest: the line's middle (959.5/6 + 0.992 px), within a third of a pixel, the same in every frame.
    const rest = positions.slice(0, OUTPUT.fps);
    assert.ok(Math.max(...rest) - Math.min(...rest) < 0.05, `rests still: ${Math.min(...rest).toFixed(3)}–${Math.max(...rest).toFixed(3)}`);
    assert.ok(Math.abs(rest[0] - (960 / 6 - 0.5 + 0.0031 * OUTPUT.width)) < 1 / 3, `rests at ${rest[0].toFixed(3)}`);
    expectSmooth(positions.slice(0, until), 1, 'slideRight out', 1 / 3, times.slice(0, until).map((t) => e.at(t)));
  });
});

export { centroid, expectSmooth };

describe('keyed scale at rest, whole render and a part of it', () => {
  // After its last key the rectangle rests at scale 1.5. The whole render drew that rest from the
  // window's half-size picture sized up by the sub-pixel map (soft edges); a range holding only
  // the rest drew it sharp. The rest is now its own window, drawn sharp in both.
  test('after the last scale key, the whole render and a range of the rest draw the same pixels (ProRes)', async () => {
    const comp = (output: object) => ({
      output: { width: 320, height: 180, fps: 10, ...output }, background: '#303030',
      tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 24, height: 16, fill: '#ff0000' }, start: 0, length: 2,
        keyframes: { scale: [{ time: 0.2, value: 0.3 }, { time: 1, value: 1.5, easing: 'easeInOutQuint' }] } }] }],
    });
    const whole = (await decodeFrames((await h.render('rest-whole', comp({ format: 'mov' }))).video.path))[15];
    const part = (await decodeFrames((await h.render('rest-range', comp({ format: 'mov', range: { start: 1.3, length: 0.5 } }))).video.path))[2];
    // The rectangle is 36×24 about the centre: its left edge at x = 142, its top at y = 78.
    for (const [x, y] of [[140, 90], [141, 90], [142, 90], [143, 90], [160, 76], [160, 77], [160, 78], [160, 79]]) {
      const [a, b] = [pixel(whole, x, y), pixel(part, x, y)];
      assert.ok(a.every((v, i) => Math.abs(v - b[i]) <= 2), `(${x}, ${y}): ${a} in the whole render, ${b} in the range`);
    }
  });
});
