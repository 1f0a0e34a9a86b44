/**
 * Text animation, rendered and decoded: every style by letter, word and line, in and out. White
 * units on black: a unit counts as visible at a frame when its part of the picture (found from a
 * frame where everything rests) has pixels brighter than half white. Slides are seen where the
 * first unit's ink sits, pop by its size, blur by its sharpness.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeFrames, extentOf, luma, pixel, type Picture } from '../support/decoded-pictures.ts';

const h = createRenderHarness('text-anim');
after(() => h.dispose());

const FPS = 20;
const SLOT = 1.5;
const LENGTH = 1.4;
const STYLES = ['typewriter', 'fade', 'slideUp', 'slideDown', 'slideLeft', 'slideRight', 'pop', 'blur'] as const;
const TEXT = { letter: 'HHHHHHHH', word: 'HH HH HH HH', line: 'HH\nHH\nHH' } as const;
const COUNT = { letter: 8, word: 4, line: 3 } as const;
type Unit = keyof typeof TEXT;

/** One render per unit: each style in its own 1.5 s slot, with `in` and `out` (0.6 s each). */
const renderUnit = async (by: Unit): Promise<Picture[]> => {
  const out = await h.render(`anim-${by}`, {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: STYLES.length * SLOT },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: STYLES.length * SLOT }] },
      { clips: STYLES.map((style, k) => ({
        asset: { type: 'text', text: TEXT[by], font: { size: 32 }, animation: { in: { style, by }, out: { style, by } } },
        start: k * SLOT, length: LENGTH,
      })) },
    ],
  });
  return decodeFrames(out.video.path);
};

const at = (frames: Picture[], k: number, t: number) => frames[Math.round((k * SLOT + t) * FPS)];
const bright = (c: readonly number[]) => luma(c as [number, number, number]) > 128;

/** Column (or row) runs that hold ink, merging gaps narrower than `gap` pixels. */
const runs = (p: Picture, axis: 'x' | 'y', gap: number): [number, number][] => {
  const size = axis === 'x' ? p.width : p.height;
  const other = axis === 'x' ? p.height : p.width;
  const ink = Array.from({ length: size }, (_, i) => {
    for (let j = 0; j < other; j++) if (luma(axis === 'x' ? pixel(p, i, j) : pixel(p, j, i)) > 100) return true;
    return false;
  });
  const out: [number, number][] = [];
  ink.forEach((on, i) => {
    if (!on) return;
    const last = out[out.length - 1];
    if (last && i - last[1] <= gap + 1) last[1] = i;
    else out.push([i, i]);
  });
  return out;
};

/** Which units are visible: bright pixels in the middle half of each unit's columns (rows for lines). */
const visible = (p: Picture, units: [number, number][], by: Unit): boolean[] => units.map(([a, b]) => {
  const q = Math.floor((b - a) / 4);
  for (let i = a + q; i <= b - q; i++) for (let j = 0; j < (by === 'line' ? p.width : p.height); j++) {
    if (bright(by === 'line' ? pixel(p, j, i) : pixel(p, i, j))) return true;
  }
  return false;
});

const count = (v: boolean[]) => v.filter(Boolean).length;
const inkBox = (p: Picture) => extentOf(p, (c) => luma(c) > 128);

/** The largest step in brightness between neighbouring pixels of a row, relative to the brightest pixel. */
const sharpness = (p: Picture) => {
  let step = 0;
  let top = 1;
  for (let y = 0; y < p.height; y++) for (let x = 1; x < p.width; x++) {
    const [a, b] = [luma(pixel(p, x - 1, y)), luma(pixel(p, x, y))];
    step = Math.max(step, Math.abs(a - b));
    top = Math.max(top, b);
  }
  return step / top;
};

for (const by of ['letter', 'word', 'line'] as const) {
  describe(`by ${by}`, () => {
    let frames: Picture[] = [];
    test(`renders every style by ${by}`, async () => {
      frames = await renderUnit(by);
      assert.equal(frames.length, STYLES.length * SLOT * FPS);
    });

    /** The first unit's ink where everything rests. */
    const restBox = (k: number) => {
      const p = at(frames, k, 0.7);
      const first = runs(p, by === 'line' ? 'y' : 'x', by === 'word' ? 8 : 0)[0];
      return by === 'line' ? extentOf(p, (c) => luma(c) > 128, { x: 0, y: first[0], w: p.width, h: first[1] - first[0] + 1 })!
        : extentOf(p, (c) => luma(c) > 128, { x: first[0], y: 0, w: first[1] - first[0] + 1, h: p.height })!;
    };

    STYLES.forEach((style, k) => {
      test(`${style} by ${by}: none, then some, then all units in; the reverse out`, () => {
        const rest = at(frames, k, 0.7);
        const units = runs(rest, by === 'line' ? 'y' : 'x', by === 'word' ? 8 : 0);
        assert.equal(units.length, COUNT[by], `${COUNT[by]} units at rest: ${JSON.stringify(units)}`);
        const n = COUNT[by];
        const seen = (t: number) => visible(at(frames, k, t), units, by);
        assert.equal(count(seen(0)), 0, 'nothing on the first frame');
        const half = seen(0.3);
        const quarter = seen(0.15);
        if (style === 'typewriter') {
          assert.equal(count(half), Math.ceil(n / 2), `about half (unit i of n appears after i/n of the duration) the units at half the duration: ${half}`);
        } else {
          assert.ok(count(half) >= 1 && count(half) < n, `some but not all units at half the duration: ${half}`);
        }
        assert.ok(count(quarter) <= count(half), 'units come in one after another');
        assert.ok(half[0] && !half[n - 1], `in reading order: the first unit first (${half})`);
        assert.equal(count(seen(0.6)), n, 'all units at the end of the duration');
        // Out: over the last 0.6 s, the last unit leaves first, and nothing shows on the last frame.
        const leaving = seen(LENGTH - 0.3);
        assert.ok(count(leaving) >= 1 && count(leaving) < n && leaving[0] && !leaving[n - 1], `out in reverse order: ${leaving}`);
        assert.equal(count(seen(LENGTH - 1 / FPS)), 0, 'gone on the last frame');
      });
    });

    test(`slides by ${by}: the first unit comes from below, above, the right and the left`, () => {
      const moving = (style: string) => {
        const k = STYLES.indexOf(style as (typeof STYLES)[number]);
        return { now: inkBox(at(frames, k, 0.05))!, rest: restBox(k) };
      };
      const up = moving('slideUp');
      assert.ok(up.now.cy > up.rest.cy + 1.5, `slideUp: below its place while moving (${up.now.cy} vs ${up.rest.cy})`);
      const down = moving('slideDown');
      assert.ok(down.now.cy < down.rest.cy - 1.5, `slideDown: above its place (${down.now.cy} vs ${down.rest.cy})`);
      const left = moving('slideLeft');
      assert.ok(left.now.cx > left.rest.cx + 1.5, `slideLeft: right of its place (${left.now.cx} vs ${left.rest.cx})`);
      const right = moving('slideRight');
      assert.ok(right.now.cx < right.rest.cx - 1.5, `slideRight: left of its place (${right.now.cx} vs ${right.rest.cx})`);
    });

    test(`pop by ${by}: the first unit grows with an overshoot; blur by ${by}: comes into focus`, () => {
      const k = STYLES.indexOf('pop');
      const growing = inkBox(at(frames, k, 0.05))!;
      const rest = restBox(k);
      assert.ok(growing.height > rest.height * 1.04, `overshoot: ${growing.height} px tall while popping, ${rest.height} at rest`);
      const b = STYLES.indexOf('blur');
      const soft = sharpness(at(frames, b, 0.05));
      const sharp = sharpness(at(frames, b, 0.7));
      assert.ok(soft < sharp * 0.5, `blurred while coming in (${soft.toFixed(2)}), sharp at rest (${sharp.toFixed(2)})`);
    });
  });
}

test('animation combines with the clip\'s transition and keyframes', async () => {
  const out = await h.render('combined', {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 2 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 2 }] },
      { clips: [{ asset: { type: 'text', text: 'HHHHHHHH', font: { size: 32 }, animation: { in: { style: 'typewriter', duration: 1 } } },
        start: 0, length: 2, transition: { in: 'fade', duration: 1 }, keyframes: { x: [{ time: 0, value: -0.2 }, { time: 2, value: 0.2 }] } }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  const [half, full] = [frames[10], frames[30]];
  const dim = extentOf(half, (c) => luma(c) > 40)!;
  const all = extentOf(full, (c) => luma(c) > 40)!;
  const peak = (p: Picture) => { let m = 0; for (let i = 0; i < p.data.length; i += 3) m = Math.max(m, p.data[i]); return m; };
  assert.ok(peak(half) > 90 && peak(half) < 170, `half faded in at 0.5 s: peak ${peak(half)}`);
  assert.ok(peak(full) > 220, `fully in at 1.5 s: peak ${peak(full)}`);
  assert.ok(dim.width > all.width * 0.4 && dim.width < all.width * 0.6, `half the letters typed at 0.5 s: ${dim.width} of ${all.width} px`);
  assert.ok(Math.abs(all.x0 - dim.x0 - 64) <= 3, `moved 64 px right by the keyframes between 0.5 and 1.5 s: ${dim.x0} → ${all.x0}`);
});

test('a text of one unit (one line by line, one word by word) moves over the whole duration, in and out', async () => {
  const clip = (text: string, by: string, position: string) => ({
    asset: { type: 'text', text, font: { size: 32 }, animation: { in: { style: 'fade', by, duration: 1.2, easing: 'linear' }, out: { style: 'fade', by, duration: 1.2, easing: 'linear' } } },
    start: 0, length: 4, position,
  });
  const out = await h.render('one-unit', {
    output: { width: 320, height: 180, fps: FPS, quality: 'draft', duration: 4 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 4 }] },
      { clips: [clip('ONE LINE', 'line', 'top'), clip('WORD', 'word', 'bottom')] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  const peak = (t: number, y0: number) => {
    const p = frames[Math.round(t * FPS)];
    let m = 0;
    for (let y = y0; y < y0 + 90; y++) for (let x = 0; x < p.width; x++) m = Math.max(m, luma(pixel(p, x, y)));
    return m;
  };
  for (const [what, y0] of [['one line', 0], ['one word', 90]] as const) {
    // "duration is the time from the first unit's start to the last unit's end": with one unit, all of it.
    const half = peak(0.6, y0);
    assert.ok(half > 90 && half < 170, `${what}: half faded in at half the duration (peak ${half.toFixed(0)})`);
    assert.ok(peak(0.3, y0) < half && half < peak(0.9, y0), `${what}: still fading in through the duration`);
    assert.ok(peak(2, y0) > 230, `${what}: in after the duration`);
    const leaving = peak(4 - 0.6, y0);
    assert.ok(leaving > 90 && leaving < 170, `${what}: half faded out 0.6 s before the end (peak ${leaving.toFixed(0)})`);
  }
});

test('an easing that overshoots far (a Bézier with y up to 10) carries the units past their place, drawn whole', async () => {
  const still = async (name: string, frame: number, animation?: object) => decodeFrames((await h.render(name, {
    output: { width: 320, height: 180, fps: FPS, format: 'png', frame, duration: 2 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 2 }] },
      { clips: [{ asset: { type: 'text', text: 'Slide', font: { size: 24 }, animation }, start: 0, length: 2, position: 'bottom' }] },
    ],
  })).video.path);
  const rest = inkBox((await still('overshoot-rest', 1.5))[0])!;
  // [0.3, 10, 0.7, 10] peaks at about 7.6 halfway: the line rises 6.6 thirds of its height above its place.
  const [p] = await still('overshoot', 0.75, { in: { style: 'slideUp', by: 'line', duration: 1.5, easing: [0.3, 10, 0.7, 10] } });
  const risen = inkBox(p);
  assert.ok(risen, 'the line is drawn at the top of its overshoot, not cut away');
  assert.ok(rest.cy - risen.cy > 40, `risen well above its place: centre ${risen.cy.toFixed(0)}, at rest ${rest.cy.toFixed(0)}`);
  assert.ok(Math.abs(risen.height - rest.height) <= 2 && Math.abs(risen.width - rest.width) <= 2, `whole: ${risen.width}×${risen.height}, at rest ${rest.width}×${rest.height}`);
});

test('right-to-left text animates in reading order, from the right, and rests where static text sits', async () => {
  const text = 'مرحبا بالعالم الجميل';
  const out = await h.render('rtl', {
    output: { width: 320, height: 180, fps: 10, quality: 'draft', duration: 2 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#000000' }, start: 0, length: 2 }] },
      { clips: [{ asset: { type: 'text', text, font: { size: 28 }, animation: { in: { style: 'typewriter', by: 'word', duration: 1 } } }, start: 0, length: 2, position: 'top' }] },
      { clips: [{ asset: { type: 'text', text, font: { size: 28 } }, start: 0, length: 2, position: 'bottom' }] },
    ],
  });
  const frames = await decodeFrames(out.video.path);
  const animated = (n: number) => extentOf(frames[n], (c) => luma(c) > 100, { x: 0, y: 0, w: 320, h: 90 })!;
  const still = extentOf(frames[15], (c) => luma(c) > 100, { x: 0, y: 90, w: 320, h: 90 })!;
  const [first, second, all] = [animated(2), animated(5), animated(15)];
  assert.ok(first.x0 > 160, `the first word is the rightmost: ${first.x0}–${first.x1}`);
  assert.ok(second.x0 < first.x0 - 20 && Math.abs(second.x1 - first.x1) <= 1, `the next word appears to its left: ${second.x0}–${second.x1}`);
  assert.ok(Math.abs(all.x0 - still.x0) <= 2 && Math.abs(all.x1 - still.x1) <= 2, `at rest it matches the static text: ${all.x0}–${all.x1} vs ${still.x0}–${still.x1}`);
});

/** Renders `asset` animated (top) and static (bottom) in one lossless still at 0.8 s; the mean luma difference of the two. */
const restDifference = async (name: string, asset: object, animation: object): Promise<number> => {
  const out = await h.render(name, {
    // A lossless still: compression noise would differ where the two copies sit differently in blocks.
    output: { width: 320, height: 180, fps: 10, format: 'png', frame: 0.8, duration: 1 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#808080' }, start: 0, length: 1 }] },
      // Off the edges: a still is drawn on exact rows (RGB), and text anchored flush to the bottom
      // edge loses its lowest antialiased row there, which the other copy keeps.
      { clips: [{ asset: { ...asset, animation }, start: 0, length: 1, position: 'top', offset: { x: 0, y: 0.05 } }] },
      { clips: [{ asset, start: 0, length: 1, position: 'bottom', offset: { x: 0, y: -0.05 } }] },
    ],
  });
  const p = (await decodeFrames(out.video.path))[0];
  const a = extentOf(p, (c) => Math.abs(luma(c) - 128) > 40, { x: 0, y: 0, w: 320, h: 90 })!;
  const b = extentOf(p, (c) => Math.abs(luma(c) - 128) > 40, { x: 0, y: 90, w: 320, h: 90 })!;
  assert.deepEqual([a.width, a.height], [b.width, b.height], 'the same ink box');
  let diff = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) diff += Math.abs(luma(pixel(p, a.x0 + x, a.y0 + y)) - luma(pixel(p, b.x0 + x, b.y0 + y)));
  return diff / (a.width * a.height);
};

test('at rest, animated text is the static text, pixel for pixel (kerning, outlines, joined scripts)', async () => {
  // Achromatic, so the 4:2:0 chroma phase of where each copy sits cannot differ; a black outline on grey.
  const latin = await restDifference('rest-latin', { type: 'text', text: 'Wavy AVATAR', font: { size: 30, color: '#ffffff' }, stroke: { color: '#000000', width: 3 } },
    { in: { style: 'pop', by: 'letter', duration: 0.3 } });
  assert.ok(latin < 0.03, `letters popped in rest where static text draws them: mean luma difference ${latin.toFixed(3)}`);
  const arabic = await restDifference('rest-arabic', { type: 'text', text: 'مرحبا بالعالم', font: { size: 30, color: '#ffffff' } },
    { in: { style: 'typewriter', duration: 0.5 } });
  assert.ok(arabic < 0.03, `Arabic typed letter by letter rests joined, as static text: mean luma difference ${arabic.toFixed(3)}`);
});
