/**
 * Animated text and word captions whose motion crosses a chunk boundary render the same frames
 * chunked as unchunked, and a range render (what a distributed worker does) gives the same frames
 * as that part of the whole: each picture is chosen by clip time on the output's frame grid.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import { createLocalSrcResolver } from '../../src/cli/local-src-resolver.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { EMPTY_ALLOW_LIST } from '../../src/assets/allow-list.ts';
import { decodeFrames, pixel, type Picture } from '../support/decoded-pictures.ts';

const h = createRenderHarness('anim-chunks');
after(() => h.dispose());

// 30 fps: two chunks meet at frame 60 (2.0 s), a keyframe-interval boundary.
const COMPOSITION = {
  output: { width: 320, height: 180, fps: 30, quality: 'high', duration: 4 },
  tracks: [
    { clips: [{ asset: { type: 'color', color: '#203040' }, start: 0, length: 4 }] },
    { clips: [{ asset: { type: 'text', text: 'Across the seam', font: { size: 28 }, animation: { in: { style: 'slideUp', by: 'letter', duration: 0.9 }, out: { style: 'pop' } } },
      start: 1.63, length: 2.2, position: 'top', offset: { y: 0.1 }, transition: { in: 'fade', duration: 0.3 } }] },
    { clips: [{ asset: { type: 'captions', font: { size: 18 }, highlight: { style: 'karaoke' }, animation: { in: { style: 'fade', by: 'word', duration: 0.4 } },
      words: [{ text: 'words', start: 1.8, end: 2.03 }, { text: 'over', start: 2.03, end: 2.13 }, { text: 'the', start: 2.13, end: 2.2 }, { text: 'boundary', start: 2.2, end: 2.7 }] },
      // From 0: both parts draw this clip from their first frame (their side files must not clash).
      start: 0, length: 3.6 }] },
  ],
};

const renderWith = async (name: string, raw: object, chunks: number) => {
  const { composition } = h.engine.validate(raw);
  const workDir = mkdtempSync(join(h.dir, `work-${name}-`));
  const outputPath = join(h.dir, `${name}.mp4`);
  const fetcher = new SafeFetcher({ allowList: EMPTY_ALLOW_LIST });
  await h.engine.render({ composition, workDir, outputPath, chunks, resolveSrc: createLocalSrcResolver({ baseDir: h.dir, workDir, fetcher }) });
  return decodeFrames(outputPath);
};

/** Mean absolute difference of two pictures over a region, per channel value. */
const regionDiff = (a: Picture, b: Picture, y0: number, y1: number) => {
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = 0; x < a.width; x++) {
    const [p, q] = [pixel(a, x, y), pixel(b, x, y)];
    sum += Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) + Math.abs(p[2] - q[2]);
    n += 3;
  }
  return sum / n;
};

test('chunked and unchunked renders of animated text and captions across the seam give the same frames', async () => {
  const whole = await renderWith('whole', COMPOSITION, 1);
  const chunked = await renderWith('chunked', COMPOSITION, 2);
  assert.equal(chunked.length, whole.length);
  assert.equal(whole.length, 120);
  // Neighbouring frames of the animation differ clearly (so a frame off would show)…
  const step = regionDiff(whole[59], whole[60], 0, 90);
  assert.ok(step > 1, `the title moves between frames 59 and 60 (mean change ${step.toFixed(2)})`);
  // …while the chunked frames match the unchunked ones within codec noise, title and captions.
  for (let n = 40; n < 90; n++) {
    const top = regionDiff(whole[n], chunked[n], 0, 90);
    const bottom = regionDiff(whole[n], chunked[n], 90, 180);
    assert.ok(top < step / 3 && top < 1.5 && bottom < 1.5, `frame ${n}: title differs by ${top.toFixed(2)}, captions by ${bottom.toFixed(2)}`);
  }
});

test('a range render gives the frames of that part of the whole render', async () => {
  const whole = await renderWith('whole-2', COMPOSITION, 1);
  const part = await renderWith('part', { ...COMPOSITION, output: { ...COMPOSITION.output, range: { start: 2, length: 1 } } }, 1);
  assert.equal(part.length, 30);
  for (let n = 0; n < 30; n++) {
    const d = regionDiff(whole[60 + n], part[n], 0, 180);
    assert.ok(d < 1.5, `frame ${60 + n}: differs by ${d.toFixed(2)}`);
  }
});
