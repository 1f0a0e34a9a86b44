/**
 * Shotstack's motion vocabulary as Shotstack draws it, through `shotstack-sdk` against `montage
 * serve`, decoded: transition timings (slides and carousels take 0.5 s, their Fast 0.25 s, zoom
 * 0.4 s), slide transitions that fade while moving slightly (not a fly-in from beyond the frame,
 * which is Shotstack's carousel), and zoom effects at Shotstack's rates (1.3×, Slow 1.1×, Fast 1.7×
 * over the clip). The numbers are those of Shotstack's Studio SDK, which previews Edits as its
 * renderer draws them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { renderToFile, sdkSuite } from './support/sdk-rig.ts';
import { solidImage } from '../support/media-fixtures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { decodeFrames, extentOf, frameAt, patch, type Picture } from '../support/decoded-pictures.ts';

const W = 320;
const H = 180;
const FPS = 20;

const rig = sdkSuite('shotstack-motion', async (dir) => {
  await solidImage(dir, 'red.png', W, H, '#ff0000');
  // A frame-shaped picture: black, with a red square of 80 × 80 in its middle.
  await ffmpeg('-f', 'lavfi', '-i', `color=c=black:s=${W}x${H},drawbox=x=${W / 2 - 40}:y=${H / 2 - 40}:w=80:h=80:color=red:t=fill`, '-frames:v', '1', join(dir, 'square.png'));
});

/** Renders an Edit of these clips (one track each, first on top) over black, and decodes it. */
const render = async (tracks: object[][], name: string): Promise<Picture[]> => {
  const edit = {
    timeline: { background: '#000000', tracks: tracks.map((clips) => ({ clips })) },
    output: { format: 'mp4', size: { width: W, height: H }, fps: FPS },
  };
  return decodeFrames(await renderToFile(rig.api, edit, join(rig.dir, name)));
};

const red = (c: readonly number[]) => c[0] > 100 && c[1] < 80 && c[2] < 80;
const redExtent = (f: Picture) => extentOf(f, red);
/** Where the red is, weighted by how red each pixel is: sub-pixel, whatever the opacity. */
const centroid = (f: Picture) => {
  let [sx, sy, sw] = [0, 0, 0];
  for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) {
    const i = (y * f.width + x) * 3;
    const w = Math.max(0, f.data[i] - Math.max(f.data[i + 1], f.data[i + 2]));
    sx += w * x; sy += w * y; sw += w;
  }
  return { x: sx / sw, y: sy / sw };
};

describe('Shotstack motion through shotstack-sdk against montage serve', () => {
  it('slide transitions fade in place with a slight move, in 0.5 s (Fast 0.25 s); carousels fly in from beyond the frame', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const clip = (transition: object, start: number) => ({ asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start, length: 1.5, transition });
    const frames = await render([[clip({ in: 'slideLeft' }, 0), clip({ in: 'slideRightFast' }, 2), clip({ in: 'carouselLeft' }, 4)]], 'slides.mp4');
    // slideLeft, 0.25 s in: half faded in, all over the frame (left edge as red as right edge).
    const mid = frameAt(frames, FPS, 0.25);
    const [left, right] = [patch(mid, 20, 90)[0], patch(mid, 300, 90)[0]];
    assert.ok(left > 60 && left < 200 && right > 60 && right < 200, `half faded in at both edges: ${left}, ${right}`);
    assert.ok(Math.abs(left - right) < 40, `faded evenly, not slid in from a side: ${left} vs ${right}`);
    // Done by 0.5 s: the whole frame red, at its place.
    const done = frameAt(frames, FPS, 0.6);
    assert.ok(patch(done, 4, 90)[0] > 230 && patch(done, 316, 90)[0] > 230, 'slideLeft is over by 0.5 s');
    // slideRightFast is over in 0.25 s.
    assert.ok(patch(frameAt(frames, FPS, 2.3), 4, 90)[0] > 230, 'slideRightFast is over by 0.25 s');
    // carouselLeft, 0.25 s in: the clip has come half-way in from beyond the right edge, at full strength.
    const carousel = frameAt(frames, FPS, 4.25);
    assert.ok(patch(carousel, 20, 90)[0] < 40, `carousel: the left part not reached yet (${patch(carousel, 20, 90)[0]})`);
    assert.ok(patch(carousel, 300, 90)[0] > 230, `carousel: the right part fully red (${patch(carousel, 300, 90)[0]})`);
    assert.ok(patch(frameAt(frames, FPS, 4.6), 20, 90)[0] > 230, 'carouselLeft is over by 0.5 s');
  });

  it('a slide moves the clip 2.5 % of the frame the named way: slideUp out rises 4.5 px of 180 in its last 0.5 s', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const frames = await render([[{ asset: { type: 'image', src: `${rig.mediaUrl}/square.png` }, start: 0, length: 2, transition: { out: 'slideUp' } }]], 'slide-up-out.mp4');
    const rest = centroid(frameAt(frames, FPS, 1.4));
    assert.ok(Math.abs(rest.y - 89.5) <= 0.5, `at rest in the middle: ${rest.y}`);
    // 90 % through the slide out, the square (fading) is drawn about 0.9 × 4.5 px higher up (Montage's y down).
    const late = centroid(frameAt(frames, FPS, 1.95));
    const rise = rest.y - late.y;
    assert.ok(rise > 3 && rise < 5.5, `risen by ${rise} px`);
    assert.ok(Math.abs(late.x - rest.x) < 0.5, `not moved sideways: ${late.x} vs ${rest.x}`);
  });

  it('zoomIn grows the clip 1.3× over its length, zoomInFast 1.7×, zoomOutSlow from 1.1×', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const clip = (effect: string, start: number) => ({ asset: { type: 'image', src: `${rig.mediaUrl}/square.png` }, start, length: 2, effect });
    const frames = await render([[clip('zoomIn', 0), clip('zoomInFast', 2), clip('zoomOutSlow', 4)]], 'zooms.mp4');
    const widthAt = (s: number) => redExtent(frameAt(frames, FPS, s))!.width;
    assert.ok(Math.abs(widthAt(0) - 80) <= 2, `zoomIn starts at the picture's size: ${widthAt(0)}`);
    assert.ok(Math.abs(widthAt(1.95) - 80 * 1.3) <= 4, `zoomIn ends near 1.3×: ${widthAt(1.95)} of ${80 * 1.3}`);
    assert.ok(Math.abs(widthAt(3.95) - 80 * 1.7) <= 5, `zoomInFast ends near 1.7×: ${widthAt(3.95)} of ${80 * 1.7}`);
    assert.ok(Math.abs(widthAt(4) - 80 * 1.1) <= 2, `zoomOutSlow starts at 1.1×: ${widthAt(4)} of ${80 * 1.1}`);
    assert.ok(Math.abs(widthAt(5.95) - 80) <= 2, `zoomOutSlow ends at the picture's size: ${widthAt(5.95)}`);
  });

  it('slide effects travel at Shotstack\'s rates: 0.12 of the frame each way (Slow 0.03, Fast 0.2) across a picture enlarged by twice that', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const clip = (effect: string, start: number) => ({ asset: { type: 'image', src: `${rig.mediaUrl}/square.png` }, start, length: 2, effect });
    const frames = await render([[clip('slideLeft', 0), clip('slideLeftFast', 2), clip('slideUpSlow', 4)]], 'slide-effects.mp4');
    const at = (s: number) => ({ c: centroid(frameAt(frames, FPS, s)), e: redExtent(frameAt(frames, FPS, s))! });
    // slideLeft: 1.24× (the 80 px square is 99 px), from 0.12 × 320 = 38.4 px right of the middle to as far left.
    const [a0, a1, a2] = [at(0), at(1), at(1.95)];
    assert.ok(Math.abs(a0.e.width - 99.2) <= 3, `slideLeft enlarges 1.24×: ${a0.e.width}`);
    assert.ok(Math.abs(a0.c.x - (159.5 + 38.4)) <= 1.5, `slideLeft starts 38.4 px right: ${a0.c.x}`);
    assert.ok(Math.abs(a1.c.x - 159.5) <= 1.5, `slideLeft is in the middle half-way: ${a1.c.x}`);
    assert.ok(Math.abs(a2.c.x - (159.5 - 38.4 * 0.95)) <= 1.5, `slideLeft near its end: ${a2.c.x}`);
    assert.ok(Math.abs(a1.c.y - 89.5) <= 1, `slideLeft stays level: ${a1.c.y}`);
    // slideLeftFast: 1.4×, ±64 px.
    const [f0, f1] = [at(2), at(3)];
    assert.ok(Math.abs(f0.e.width - 112) <= 3, `slideLeftFast enlarges 1.4×: ${f0.e.width}`);
    assert.ok(Math.abs(f0.c.x - (159.5 + 64)) <= 1.5 && Math.abs(f1.c.x - 159.5) <= 1.5, `slideLeftFast travels 64 px each way: ${f0.c.x}, ${f1.c.x}`);
    // slideUpSlow: 1.06×, from 0.03 × 180 = 5.4 px below the middle upwards.
    const [u0, u1] = [at(4), at(5)];
    assert.ok(Math.abs(u0.e.width - 84.8) <= 3, `slideUpSlow enlarges 1.06×: ${u0.e.width}`);
    assert.ok(Math.abs(u0.c.y - (89.5 + 5.4)) <= 1 && Math.abs(u1.c.y - 89.5) <= 1, `slideUpSlow rises 5.4 px to the middle: ${u0.c.y}, ${u1.c.y}`);
    assert.ok(Math.abs(u0.c.x - 159.5) <= 1, `slideUpSlow does not move sideways: ${u0.c.x}`);
  });

  it('zoom transition: in shrinks from 10× while fading in, out grows to 10× while fading out, in 0.4 s', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const clip = (transition: object, start: number) => ({ asset: { type: 'image', src: `${rig.mediaUrl}/square.png` }, start, length: 1.5, transition });
    const frames = await render([[clip({ in: 'zoom' }, 0), clip({ out: 'zoom' }, 2)]], 'zoom-10x.mp4');
    // Half-way in (0.2 s), the square is still about 7× its size: faint red over the whole frame, corners included.
    const reddish = (c: readonly number[]) => c[0] > 12 && c[0] < 200 && c[1] < 8 && c[2] < 8;
    const mid = frameAt(frames, FPS, 0.2);
    for (const [x, y] of [[4, 4], [316, 4], [4, 176], [316, 176], [160, 90]]) assert.ok(reddish(patch(mid, x, y)), `faint red at ${x},${y} 0.2 s in: ${patch(mid, x, y)}`);
    assert.ok(Math.abs(redExtent(frameAt(frames, FPS, 0.45))!.width - 80) <= 2, 'at its size, opaque, by 0.45 s');
    assert.ok(Math.abs(redExtent(frameAt(frames, FPS, 3.05))!.width - 80) <= 2, 'out: at its size before its last 0.4 s');
    const late = frameAt(frames, FPS, 3.3);
    for (const [x, y] of [[4, 4], [316, 176]]) assert.ok(reddish(patch(late, x, y)), `out: faint red in the corner ${x},${y} 0.2 s into the zoom: ${patch(late, x, y)}`);
  });

  it('zoom transition in takes 0.4 s', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const frames = await render([[{ asset: { type: 'image', src: `${rig.mediaUrl}/square.png` }, start: 0, length: 1.5, transition: { in: 'zoom' } }]], 'zoom-in.mp4');
    const during = redExtent(frameAt(frames, FPS, 0.15));
    assert.ok(!during || Math.abs(during.width - 80) > 6, `zooming at 0.15 s: ${during?.width}`);
    assert.ok(Math.abs(redExtent(frameAt(frames, FPS, 0.45))!.width - 80) <= 2, `at its size by 0.45 s: ${redExtent(frameAt(frames, FPS, 0.45))!.width}`);
  });
});
