/**
 * Ken Burns effects and colour filters, rendered and measured. Effects: a black square in the middle
 * of a white picture, whose size (zoom) or place (pan) is measured on the first and last frame of a
 * 1 s clip. Filters: a picture of a red, dark, mid and light grey quadrant, compared with the same
 * picture rendered without the filter.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { quadrantImage } from '../support/media-fixtures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, decodePicture, extentOf, luma, patch, type Picture, type Rgb } from '../support/decoded-pictures.ts';

const h = createRenderHarness('effects');
after(() => h.dispose());

before(async () => {
  // 320×180 white with an 80×80 black square in the middle.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=320x180:d=1,drawbox=x=120:y=50:w=80:h=80:color=black:t=fill,format=rgb24',
    '-frames:v', '1', `${h.dir}/target.png`);
  await quadrantImage(h.dir, 'greys.png', 320, 180, ['#ff0000', '#404040', '#808080', '#c0c0c0']);
});

const square = (p: Picture) => {
  const box = extentOf(p, (c) => luma(c) < 80);
  assert.ok(box, 'the square is in the picture');
  return box;
};

describe('effect (Ken Burns), linear over the whole clip', () => {
  const run = async (effect: string) => {
    const out = await h.render(`fx-${effect}`, { output: TINY, tracks: [{ clips: [{ asset: { type: 'image', src: 'target.png' }, start: 0, length: 1, effect }] }] });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, 10);
    return { first: square(frames[0]), middle: square(frames[5]), last: square(frames[9]) };
  };

  test('zoomIn scales 1 → 1.15 about the centre: the square grows from 80 px towards 92', async () => {
    const { first, middle, last } = await run('zoomIn');
    assert.ok(Math.abs(first.width - 80) <= 2, `starts at its size: ${first.width}`);
    assert.ok(Math.abs(last.width - 80 * (1 + 0.15 * 0.9)) <= 2, `9/10 of the way at the last frame: ${last.width}`);
    assert.ok(first.width < middle.width && middle.width < last.width, 'grows steadily');
    assert.ok(Math.abs(last.cx - 160) <= 2 && Math.abs(last.cy - 90) <= 2, `stays centred: (${last.cx}, ${last.cy})`);
  });

  test('zoomOut scales 1.15 → 1: the square shrinks from 92 px towards 80', async () => {
    const { first, middle, last } = await run('zoomOut');
    assert.ok(Math.abs(first.width - 92) <= 2, `starts enlarged: ${first.width}`);
    assert.ok(Math.abs(last.width - 80 * (1.15 - 0.15 * 0.9)) <= 2, `nearly back at the last frame: ${last.width}`);
    assert.ok(first.width > middle.width && middle.width > last.width, 'shrinks steadily');
  });

  // Pans travel across the 15 % overscan: 48 px across, 27 px down, over the whole clip.
  const pans: Array<[string, 'cx' | 'cy', number]> = [['panLeft', 'cx', -48], ['panRight', 'cx', 48], ['panUp', 'cy', -27], ['panDown', 'cy', 27]];
  for (const [effect, axis, travel] of pans) {
    test(`${effect} moves the picture ${Math.abs(travel)} px ${axis === 'cx' ? (travel < 0 ? 'left' : 'right') : (travel < 0 ? 'up' : 'down')} over the clip`, async () => {
      const { first, middle, last } = await run(effect);
      const moved = last[axis] - first[axis];
      assert.ok(Math.abs(moved - 0.9 * travel) <= 3, `moved ${moved} px by the last frame (expected ${0.9 * travel})`);
      assert.ok(Math.abs(middle[axis] - first[axis] - 0.5 * travel) <= 3, `linear: half way at the middle frame (${middle[axis] - first[axis]})`);
      const other = axis === 'cx' ? 'cy' : 'cx';
      assert.ok(Math.abs(last[other] - first[other]) <= 1, 'no drift on the other axis');
      assert.ok(Math.abs(first.width - 92) <= 2, `the picture is overscanned 15 %: ${first.width}`);
    });
  }
});

test('effect, transition and keyframes combine: zooming in while fading in and moving right', async () => {
  const out = await h.render('fx-combined', { output: TINY, background: '#ffffff', tracks: [{ clips: [{
    asset: { type: 'image', src: 'target.png' }, start: 0, length: 2, effect: 'zoomIn',
    transition: { in: 'fade', duration: 0.5 }, keyframes: { x: [{ time: 0, value: -0.25 }, { time: 2, value: 0.25 }] },
  }] }] });
  const frames = await decodeFrames(out.video.path);
  // Over white, the only dark thing is the square (grey while the picture fades in).
  const sq = (i: number, below = 80) => {
    const b = extentOf(frames[i], (c) => luma(c) < below);
    assert.ok(b, `the square in frame ${i}`);
    return b;
  };
  assert.ok(luma(patch(frames[1], sq(1, 230).cx, sq(1, 230).cy)) > 150, 'faint while fading in (0.1 s)');
  assert.ok(luma(patch(frames[6], sq(6).cx, sq(6).cy)) < 30, 'solid after the fade');
  const [a, b] = [sq(5), sq(19)];
  assert.ok(Math.abs(b.cx - a.cx - 0.7 * 160) <= 3, `moved right with the keyframes: ${a.cx} → ${b.cx}`);
  assert.ok(b.height - a.height > 6, `and grew with the effect: ${a.height} → ${b.height} px`);
});

describe('filter', () => {
  const still = async (name: string, filter?: string) => {
    const out = await h.render(name, { output: { ...TINY, format: 'png' }, tracks: [{ clips: [{ asset: { type: 'image', src: 'greys.png' }, start: 0, length: 1, ...(filter ? { filter } : {}) }] }] });
    const p = await decodePicture(out.video.path);
    return { p, red: patch(p, 80, 45), dark: patch(p, 240, 45), mid: patch(p, 80, 135), light: patch(p, 240, 135) };
  };
  let plain: Awaited<ReturnType<typeof still>>;
  before(async () => { plain = await still('filter-none'); });
  const spread = (c: Rgb) => Math.max(...c) - Math.min(...c);

  test('grayscale takes the colour out and keeps the lightness', async () => {
    const f = await still('filter-grayscale', 'grayscale');
    assert.ok(spread(f.red) <= 8, `red became a grey: rgb(${f.red.join(', ')})`);
    assert.ok(Math.abs(luma(f.red) - luma(plain.red)) < 40 && luma(f.red) > 30, `about as light as red: ${luma(f.red)}`);
    assert.ok(Math.abs(luma(f.mid) - luma(plain.mid)) <= 6, 'greys stay as they were');
  });

  test('sepia tints greys warm (red > green > blue)', async () => {
    const f = await still('filter-sepia', 'sepia');
    const [r, g, b] = f.mid;
    assert.ok(r > g + 10 && g > b + 10, `mid grey became rgb(${f.mid.join(', ')})`);
    assert.ok(spread(plain.mid) <= 4, 'it was neutral before');
  });

  test('blur softens the edge between quadrants and leaves flat areas alone', async () => {
    const f = await still('filter-blur', 'blur');
    // Three pixels left of the red|dark edge at x = 160 (a patch of columns 155…159): pure red
    // without the filter, mixed with it. The blur's sigma is 3 px on every channel of a still
    // (drawn in RGB); drawn in 4:2:0 its colour was blurred twice as far, reaching 4 px and more.
    const near = (q: typeof f) => patch(q.p, 157, 45);
    assert.ok(near(plain)[0] > 230, `sharp without blur: rgb(${near(plain).join(', ')})`);
    assert.ok(near(f)[0] < 225, `softened with blur: rgb(${near(f).join(', ')})`);
    assert.ok(f.red[0] > 230 && f.red[1] < 20, 'the middle of the quadrant is still red');
  });

  test('brighten lifts every level', async () => {
    const f = await still('filter-brighten', 'brighten');
    for (const k of ['dark', 'mid', 'light'] as const) assert.ok(luma(f[k]) > luma(plain[k]) + 15, `${k}: ${luma(plain[k])} → ${luma(f[k])}`);
  });

  test('darken lowers every level', async () => {
    const f = await still('filter-darken', 'darken');
    for (const k of ['dark', 'mid', 'light'] as const) assert.ok(luma(f[k]) < luma(plain[k]) - 15, `${k}: ${luma(plain[k])} → ${luma(f[k])}`);
  });

  test('contrast pushes darks darker and lights lighter, mid grey about where it was', async () => {
    const f = await still('filter-contrast', 'contrast');
    assert.ok(luma(f.dark) < luma(plain.dark) - 12, `dark: ${luma(plain.dark)} → ${luma(f.dark)}`);
    assert.ok(luma(f.light) > luma(plain.light) + 12, `light: ${luma(plain.light)} → ${luma(f.light)}`);
    assert.ok(Math.abs(luma(f.mid) - luma(plain.mid)) < 12, `mid: ${luma(plain.mid)} → ${luma(f.mid)}`);
  });

  test('invert turns red to cyan and dark grey to light', async () => {
    const f = await still('filter-invert', 'invert');
    assert.ok(f.red[0] < 30 && f.red[1] > 220 && f.red[2] > 220, `red became rgb(${f.red.join(', ')})`);
    assert.ok(Math.abs(luma(f.dark) - (255 - luma(plain.dark))) < 12, `dark ${luma(plain.dark)} → ${luma(f.dark)}`);
  });

  // Drawn on the still's one frame before the zoom repeats it (plan-visual-clip.ts): the colours of
  // every frame must still be the filter's, at the start of the zoom and at its end.
  test('on a zooming still, every frame gets the filter\'s colours (sepia, invert, contrast)', async () => {
    for (const filter of ['sepia', 'invert', 'contrast'] as const) {
      const out = await h.render(`filter-zoom-${filter}`, { output: TINY, tracks: [{ clips: [{ asset: { type: 'image', src: 'greys.png' }, start: 0, length: 1, effect: 'zoomIn', filter }] }] });
      const frames = await decodeFrames(out.video.path);
      const once = await still(`filter-${filter}-ref`, filter);
      for (const i of [0, frames.length - 1]) {
        for (const k of ['red', 'mid', 'light'] as const) {
          // Patches well inside each quadrant, which the 15 % zoom about the centre keeps inside it.
          const at = { red: [60, 35], mid: [60, 145], light: [260, 145] }[k] as [number, number];
          const got = patch(frames[i], at[0], at[1]);
          const want = patch(once.p, at[0], at[1]);
          assert.ok(got.every((v, c) => Math.abs(v - want[c]) <= 12), `${filter}, frame ${i}, ${k}: rgb(${got.join(', ')}), the filtered still rgb(${want.join(', ')})`);
        }
      }
    }
  });
});
