/**
 * A clip's `width` × `height` on video and image assets, through shotstack-sdk against montage
 * serve: the picture is fitted into a box of that many pixels, placed by `position` (Shotstack's
 * positioning guide: crop fills the box and cuts the overflow, centred; contain keeps the whole
 * picture, centred in the box; none keeps the source's pixels, cut to the box), the service reading
 * the source's size when the Edit is submitted. Decoded from the rendered PNG.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { renderToFile, sdkSuite, type Refusal } from './support/sdk-rig.ts';
import { segmentVideo } from '../support/media-fixtures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { decodePicture, extentOf, patch, type Picture } from '../support/decoded-pictures.ts';

const rig = sdkSuite('shotstack-box', async (dir) => {
  // 200 × 100 red; 100 × 200 green with white bands of 40 px at the top and bottom (a centred crop to a square drops them).
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=200x100', '-frames:v', '1', join(dir, 'wide.png'));
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=lime:s=100x200,drawbox=x=0:y=0:w=100:h=40:color=white:t=fill,drawbox=x=0:y=160:w=100:h=40:color=white:t=fill', '-frames:v', '1', join(dir, 'tall.png'));
  await segmentVideo(dir, 'blue.mp4', { width: 160, height: 90, colours: ['#0000ff', '#0000ff'] });
}, { env: { MONTAGE_MAX_ASSETS: '3' } });

const near = (a: number, b: number, tol = 1.5) => Math.abs(a - b) <= tol;
const box = (p: Picture, match: (c: readonly number[]) => boolean) => extentOf(p, match)!;

describe('Shotstack clip width and height through shotstack-sdk against montage serve', () => {
  it('fits images and videos into their boxes: contain centred in the box, crop cut to it, none cut to it', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const url = rig.mediaUrl;
    const edit = {
      timeline: { background: '#000000', tracks: [{ clips: [
        { asset: { type: 'image', src: `${url}/wide.png` }, start: 0, length: 1, width: 80, height: 80, fit: 'contain', position: 'topLeft' },
        { asset: { type: 'image', src: `${url}/tall.png` }, start: 0, length: 1, width: 80, height: 80, position: 'bottomRight' },
        { asset: { type: 'video', src: `${url}/blue.mp4` }, start: 0, length: 1, width: 100, height: 60, fit: 'none', position: 'left' },
      ] }] },
      output: { format: 'png', size: { width: 320, height: 180 } },
    };
    const p = await decodePicture(await renderToFile(rig.api, edit, join(rig.dir, 'boxes.png')));
    // contain: the 2:1 picture is 80 × 40, in the middle of its 80 × 80 box at the top-left corner.
    const red = box(p, (c) => c[0] > 200 && c[1] < 60 && c[2] < 60);
    assert.ok(near(red.x0, 0) && near(red.y0, 20) && near(red.width, 80) && near(red.height, 40), `contain: ${JSON.stringify(red)}`);
    // crop (the default): 80 × 80 at the bottom-right, all green: the white bands were cut off.
    const green = box(p, (c) => c[1] > 200 && c[0] < 60 && c[2] < 60);
    assert.ok(near(green.x0, 240) && near(green.y0, 100) && near(green.width, 80) && near(green.height, 80), `crop: ${JSON.stringify(green)}`);
    assert.ok(!extentOf(p, (c) => c[0] > 200 && c[1] > 200 && c[2] > 200), 'no white band shows');
    // none: the source's own pixels (160 × 90) cut to the 100 × 60 box, at the left edge, centred vertically.
    const blue = box(p, (c) => c[2] > 200 && c[0] < 60 && c[1] < 60);
    assert.ok(near(blue.x0, 0) && near(blue.y0, 60) && near(blue.width, 100) && near(blue.height, 60), `none: ${JSON.stringify(blue)}`);
    assert.deepEqual([...patch(p, 160, 90)].map((v) => v < 20), [true, true, true], 'the middle of the frame stays black');
  });

  it('refuses a stretching "cover" box of another shape than the frame, and a source it cannot read, at their paths', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const url = rig.mediaUrl;
    await assert.rejects(rig.api.postRender({
      timeline: { tracks: [{ clips: [
        { asset: { type: 'image', src: `${url}/wide.png` }, start: 0, length: 1, width: 80, height: 80, fit: 'cover' },
        { asset: { type: 'image', src: `${url}/missing.png` }, start: 0, length: 1, width: 80, height: 80 },
      ] }] },
      output: { format: 'png', size: { width: 320, height: 180 } },
    }), (e: Refusal) => {
      const details = e.response.body.response.details;
      assert.deepEqual(details.map((d) => d.path), ['/timeline/tracks/0/clips/0/fit', '/timeline/tracks/0/clips/1/asset/src']);
      assert.match(details[0].message, /use "crop".*or "contain"/);
      assert.match(details[1].message, /need the source's size/);
      return true;
    });
  });

  it('reads no source when more boxed sources than MONTAGE_MAX_ASSETS are sent: one refusal at the tracks', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const url = rig.mediaUrl;
    // Four different sources with a box, against a limit of 3: each would be a download and a probe at submit.
    const clips = ['wide.png', 'tall.png', 'blue.mp4', 'wide.png?again'].map((f) => (
      { asset: { type: f.endsWith('.mp4') ? 'video' : 'image', src: `${url}/${f}` }, start: 0, length: 1, width: 80, height: 80 }));
    await assert.rejects(rig.api.postRender({ timeline: { tracks: [{ clips }] }, output: { format: 'png', size: { width: 320, height: 180 } } }), (e: Refusal) => {
      const details = e.response.body.response.details;
      assert.deepEqual(details.map((d) => d.path), ['/timeline/tracks']);
      assert.match(details[0].message, /4 different video and image sources have a clip width or height; this service accepts at most 3/);
      return true;
    });
  });
});
