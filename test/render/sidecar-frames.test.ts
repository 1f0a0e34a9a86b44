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
