/**
 * Every transition, in and out, over what lies beneath. A full-frame blue clip sits on a red one;
 * each kind renders once as a 2 s MP4 with `in` over 0–0.8 s and `out` over 1.2–2 s, and the frames
 * part-way through each are sampled: where the blue clip shows and where the red one still does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, frameAt, patch, type Picture } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';

const h = createRenderHarness('transitions');
after(() => h.dispose());

const [RED, BLUE] = ['#ff0000', '#0000ff'];
const FPS = TINY.fps;
const D = 0.8;
const IN_QUARTER = 0.2; // 25 % into `in`
const IN_HALF = 0.4;
const OUT_HALF = 1.6; // 50 % into `out`
const OUT_3Q = 1.8; // 75 % into `out`

const renderKind = async (kind: string, extra: object = {}): Promise<Picture[]> => {
  const out = await h.render(`t-${kind}`, {
    output: TINY,
    tracks: [
      { clips: [{ asset: { type: 'color', color: RED }, start: 0, length: 2 }] },
      { clips: [{ asset: { type: 'color', color: BLUE }, start: 0, length: 2, transition: { in: kind, out: kind, duration: D }, ...extra }] },
    ],
  });
  return decodeFrames(out.video.path);
};

/** Points to sample: [x, y, colour, what]. */
type Expect = ReadonlyArray<readonly [number, number, string, string]>;
const check = (frames: Picture[], t: number, points: Expect) => {
  const p = frameAt(frames, FPS, t);
  for (const [x, y, c, what] of points) expectColour(p, x, y, c, `${what} at ${t} s`);
};

/** Share of the frame's pixels that are the blue clip's. */
const blueShare = (p: Picture): number => {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 3) if (p.data[i + 2] > 160 && p.data[i] < 100) n++;
  return n / (p.width * p.height);
};

const L = 60; const R = 260; const T = 30; const B = 150; const MX = 160; const MY = 90;

// [kind, instant in `in`, what shows then, instant in `out`, what shows then]
const CASES: ReadonlyArray<readonly [string, number, Expect, number, Expect]> = [
  // Wipes: hard-edged, linear; halfway the edge is at the middle.
  ['wipeRight', IN_HALF, [[L, MY, BLUE, 'the left part shows first'], [R, MY, RED, 'the right part is still hidden']],
    OUT_HALF, [[L, MY, RED, 'the left part is hidden first'], [R, MY, BLUE, 'the right part still shows']]],
  ['wipeLeft', IN_HALF, [[R, MY, BLUE, 'the right part shows first'], [L, MY, RED, 'the left part is still hidden']],
    OUT_HALF, [[R, MY, RED, 'the right part is hidden first'], [L, MY, BLUE, 'the left part still shows']]],
  ['wipeDown', IN_HALF, [[MX, T, BLUE, 'the top shows first'], [MX, B, RED, 'the bottom is still hidden']],
    OUT_HALF, [[MX, T, RED, 'the top is hidden first'], [MX, B, BLUE, 'the bottom still shows']]],
  ['wipeUp', IN_HALF, [[MX, B, BLUE, 'the bottom shows first'], [MX, T, RED, 'the top is still hidden']],
    OUT_HALF, [[MX, B, RED, 'the bottom is hidden first'], [MX, T, BLUE, 'the top still shows']]],
  // Slides: in eases out (a quarter in, 58 % of the way: the clip's left edge at x = −135), out eases
  // in (three quarters in, 42 % of the way: x = +135).
  ['slideRight', IN_QUARTER, [[L, MY, BLUE, 'entering from the left'], [R, MY, RED, 'not there yet on the right']],
    OUT_3Q, [[L, MY, RED, 'left behind on the left'], [R, MY, BLUE, 'leaving past the right edge']]],
  ['slideLeft', IN_QUARTER, [[R, MY, BLUE, 'entering from the right'], [L, MY, RED, 'not there yet on the left']],
    OUT_3Q, [[R, MY, RED, 'left behind on the right'], [L, MY, BLUE, 'leaving past the left edge']]],
  ['slideDown', IN_QUARTER, [[MX, T, BLUE, 'entering from the top'], [MX, B, RED, 'not there yet at the bottom']],
    OUT_3Q, [[MX, T, RED, 'left behind at the top'], [MX, B, BLUE, 'leaving past the bottom edge']]],
  ['slideUp', IN_QUARTER, [[MX, B, BLUE, 'entering from the bottom'], [MX, T, RED, 'not there yet at the top']],
    OUT_3Q, [[MX, B, RED, 'left behind at the bottom'], [MX, T, BLUE, 'leaving past the top edge']]],
  // Zoom: 58 % of full size about the centre at both instants (185×104).
  ['zoom', IN_QUARTER, [[MX, MY, BLUE, 'grown part way, centred'], [100, MY, BLUE, 'inside its half width'], [40, MY, RED, 'outside it'], [MX, 20, RED, 'above it']],
    OUT_3Q, [[MX, MY, BLUE, 'shrunk part way, centred'], [100, MY, BLUE, 'inside its half width'], [40, MY, RED, 'outside it'], [MX, 20, RED, 'above it']]],
];

for (const [kind, tIn, inExpect, tOut, outExpect] of CASES) {
  describe(kind, () => {
    let frames: Picture[] = [];
    before(async () => { frames = await renderKind(kind); });
    test(`in: hidden at the first frame, part-way at ${tIn} s, whole once done`, () => {
      check(frames, 0, [[L, MY, RED, 'nothing of the clip'], [R, MY, RED, 'nothing of the clip'], [MX, MY, RED, 'nothing of the clip']]);
      check(frames, tIn, inExpect);
      check(frames, 1, [[L, T, BLUE, 'the whole clip'], [R, B, BLUE, 'the whole clip']]);
    });
    test(`out: part-way at ${tOut} s, then less and less of the clip until the last frame`, () => {
      check(frames, tOut, outExpect);
      assert.equal(frames.length, 20);
      const shown = [1.2, 1.4, 1.6, 1.8, 1.9].map((t) => blueShare(frameAt(frames, FPS, t)));
      assert.ok(shown[0] > 0.97, `whole at the start of out: ${shown[0]}`);
      for (let i = 1; i < shown.length; i++) assert.ok(shown[i] < shown[i - 1], `the clip shrinks away: ${shown.map((v) => v.toFixed(2))}`);
    });
    test('in: more and more of the clip shows, frame by frame', () => {
      const shown = [0, 0.1, 0.2, 0.4, 0.6, 0.8].map((t) => blueShare(frameAt(frames, FPS, t)));
      assert.ok(shown[0] < 0.001, `nothing of the clip at the first frame: ${shown[0]}`);
      for (let i = 1; i < shown.length; i++) assert.ok(shown[i] > shown[i - 1], `the clip grows in: ${shown.map((v) => v.toFixed(2))}`);
      assert.ok(shown[5] > 0.97, `whole once in is done: ${shown[5]}`);
    });
  });
}

describe('fade', () => {
  let frames: Picture[] = [];
  before(async () => { frames = await renderKind('fade'); });
  test('in: linear opacity ramp over the clip beneath (red → half → blue)', () => {
    check(frames, 0, [[MX, MY, RED, 'transparent at the first frame']]);
    check(frames, IN_HALF, [[MX, MY, '#800080', 'half way']]);
    check(frames, 1, [[MX, MY, BLUE, 'opaque after']]);
  });
  test('out: linear opacity ramp back down', () => {
    check(frames, OUT_HALF, [[MX, MY, '#800080', 'half way']]);
    check(frames, 1.9, [[MX, MY, '#e0001f', 'seven eighths faded']]);
  });
});

test('duration defaults to 0.5 s', async () => {
  const out = await h.render('t-default-duration', {
    output: TINY,
    tracks: [{ clips: [{ asset: { type: 'color', color: BLUE }, start: 0, length: 1, transition: { in: 'wipeRight' } }] }],
  });
  const frames = await decodeFrames(out.video.path);
  check(frames, 0.2, [[50, MY, BLUE, '0.2 s of 0.5: the left 40 % shows'], [200, MY, '#000000', 'the rest is the background']]);
  check(frames, 0.5, [[300, MY, BLUE, 'done at 0.5 s']]);
});

test('a crossfade: two overlapping clips, the later fading in over the earlier', async () => {
  const out = await h.render('t-crossfade', {
    output: TINY,
    tracks: [{ clips: [
      { asset: { type: 'color', color: RED }, start: 0, length: 1.5 },
      { asset: { type: 'color', color: BLUE }, start: 0.5, length: 1.5, transition: { in: 'fade', duration: 1 } },
    ] }],
  });
  const frames = await decodeFrames(out.video.path);
  check(frames, 0.4, [[MX, MY, RED, 'before the overlap']]);
  check(frames, 1.0, [[MX, MY, '#800080', 'half way through the overlap']]);
  check(frames, 1.6, [[MX, MY, BLUE, 'after it']]);
});

test('in and out transitions longer than the clip are scaled down so they never overlap', async () => {
  const out = await h.render('t-squeezed', {
    output: TINY,
    tracks: [{ clips: [{ asset: { type: 'color', color: BLUE }, start: 0, length: 1, transition: { in: 'fade', out: 'fade', duration: 1 } }] }],
  });
  const frames = await decodeFrames(out.video.path);
  // Each takes 0.5 s: opaque at the seam, half way a quarter in.
  check(frames, 0.5, [[MX, MY, BLUE, 'fully in where in ends and out begins']]);
  check(frames, 0.2, [[MX, MY, '#000066', '40 % faded in']]);
});

describe('wipe levels', () => {
  // The wipe's mask was drawn in video-range gray (16–235): the shown part came out 92 % opaque and
  // the hidden part 6 %, so every wiped frame dimmed the clip and let it show through where hidden.
  for (const kind of ['wipeRight', 'wipeUp']) {
    test(`${kind} out: the shown part keeps the clip's colour and the hidden part is the background's`, async () => {
      const out = await h.render(`wipe-levels-${kind}`, {
        output: TINY, background: '#0000ff',
        tracks: [{ clips: [{ asset: { type: 'color', color: '#ffffff' }, start: 0, length: 2, transition: { out: kind, duration: 1 } }] }],
      });
      const frames = await decodeFrames(out.video.path);
      const f = frames[15];
      // wipeRight out hides the left part first; wipeUp out the bottom part.
      const [shown, hidden] = kind === 'wipeRight' ? [patch(f, 280, 90), patch(f, 40, 90)] : [patch(f, 160, 20), patch(f, 160, 160)];
      shown.forEach((v) => assert.ok(v >= 250, `shown part ${shown} is not the clip's white`));
      assert.ok(hidden[0] <= 6 && hidden[1] <= 6 && hidden[2] >= 245, `hidden part ${hidden} is not the blue background`);
    });
  }
});
