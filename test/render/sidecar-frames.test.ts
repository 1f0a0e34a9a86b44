/**
 * The poster and thumbnail of a transparent output (src/render/sidecar-frame.ts): a JPEG holds no
 * alpha, so the frame is laid over black with each pixel weighted by its alpha, the same for every
 * format that holds alpha. Before, alpha was dropped: a 25 % green box came out solid green in a
 * WebM's or MOV's poster, and a GIF's clear parts white where a WebM's were black.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodePicture, regionMean } from '../support/decoded-pictures.ts';
import { probeOutput } from '../support/probe-output.ts';

const h = createRenderHarness('sidecar-frames');
after(() => h.dispose());

const comp = (format: string) => ({
  output: { format, width: 96, height: 48, fps: 10, duration: 0.5, poster: { time: 0.2 }, thumbnail: { time: 0.2, width: 48 } },
  background: 'transparent',
  tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 40, height: 40, fill: '#00ff0040' }, start: 0, length: 0.5, position: 'topLeft' }] }],
});

describe('poster and thumbnail of a transparent output', () => {
  for (const format of ['webm', 'mov', 'gif']) {
    test(`${format}: a 25 % green box over black is a quarter green; clear is black`, async () => {
      const out = await h.render(`t-${format}`, comp(format));
      const poster = await decodePicture(out.poster!.path);
      const thumb = await decodePicture(out.thumbnail!.path);
      // Mean of the box's inside (the GIF's alpha is dithered, so a region, not a pixel).
      const box = regionMean(poster, 8, 8, 24, 24);
      assert.ok(box[0] <= 6 && Math.abs(box[1] - 64) <= 8 && box[2] <= 6, `poster, the box: ${box}`);
      const clear = regionMean(poster, 60, 20, 30, 24);
      assert.ok(clear.every((v) => v <= 4), `poster, where nothing is drawn: ${clear}`);
      const small = regionMean(thumb, 4, 4, 12, 12);
      assert.ok(small[0] <= 6 && Math.abs(small[1] - 64) <= 8, `thumbnail, the box: ${small}`);
    });
  }
});

describe('thumbnail size', () => {
  /** A 0.3 s green render of `width`×`height` with a thumbnail `thumb` px wide, and the thumbnail's size. */
  const thumbnailOf = async (name: string, width: number, height: number, thumb: number) => {
    const out = await h.render(name, {
      output: { format: 'mp4', width, height, fps: 10, duration: 0.3, quality: 'draft', thumbnail: { time: 0.1, width: thumb } },
      tracks: [{ clips: [{ asset: { type: 'color', color: '#00ff00' }, start: 0, length: 0.3 }] }],
    });
    const s = (await probeOutput(out.thumbnail!.path)).streams[0];
    return { path: out.thumbnail!.path, size: [s.width, s.height] };
  };

  test('of a very wide frame: at least 2 px high, not 0 (ffmpeg failed with "Picture size 48x0")', async () => {
    // 48 px wide of a 1000×16 frame is 0.77 px high.
    const t = await thumbnailOf('wide-thumb', 1000, 16, 48);
    assert.deepEqual(t.size, [48, 2]);
    const p = await decodePicture(t.path);
    assert.ok(p.data[1] > 200 && p.data[0] < 60, `green: ${[...p.data.subarray(0, 3)]}`);
  });

  test('height follows the aspect ratio, even, as before', async () => {
    assert.deepEqual((await thumbnailOf('thumb-ratio', 320, 180, 101)).size, [101, 56]);
  });
});
