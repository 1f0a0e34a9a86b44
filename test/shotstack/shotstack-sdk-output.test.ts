/**
 * Shotstack output options through shotstack-sdk against montage serve, read from the files:
 * `repeat: false` makes a GIF that plays once (no NETSCAPE2.0 loop extension, which every
 * browser needs to loop it), `repeat: true` or none one that loops forever (loop count 0); `bmp`
 * is refused at /output/format with the formats Montage writes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollRender, renderToFile, saveOutput, sdkSuite, type Refusal } from './support/sdk-rig.ts';
import { solidImage } from '../support/media-fixtures.ts';
import { decodeFrames } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';

const rig = sdkSuite('shotstack-output', async (dir) => {
  await solidImage(dir, 'red.png', 80, 45, '#ff0000');
  await solidImage(dir, 'blue.png', 80, 45, '#0000ff');
});

const edit = (output: object) => ({
  timeline: { tracks: [{ clips: [
    { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 0.5 },
    { asset: { type: 'image', src: `${rig.mediaUrl}/blue.png` }, start: 0.5, length: 0.5 },
  ] }] },
  output: { size: { width: 80, height: 44 }, fps: 10, ...output },
});

/** The loop count of a GIF's NETSCAPE2.0 extension, or undefined where it has none (it plays once). */
const loopCount = (gif: Buffer): number | undefined => {
  const at = gif.indexOf('NETSCAPE2.0');
  return at < 0 ? undefined : gif.readUInt16LE(at + 13);
};

describe('Shotstack output options through shotstack-sdk against montage serve', () => {
  it('repeat: false makes a GIF that plays once; repeat: true (and the default) one that loops forever', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const once = await renderToFile(rig.api, edit({ format: 'gif', repeat: false }), join(rig.dir, 'once.gif'));
    const looped = await renderToFile(rig.api, edit({ format: 'gif', repeat: true }), join(rig.dir, 'loop.gif'));
    const plain = await renderToFile(rig.api, edit({ format: 'gif' }), join(rig.dir, 'plain.gif'));
    assert.equal(loopCount(readFileSync(once)), undefined, 'no loop extension: plays once');
    assert.equal(loopCount(readFileSync(looped)), 0, 'loops forever');
    assert.equal(loopCount(readFileSync(plain)), 0, 'loops forever by default');
    // The same picture either way: red, then blue.
    const frames = await decodeFrames(once);
    assert.equal(frames.length, 10);
    assert.ok(frames[0].data[0] > 200 && frames[9].data[2] > 200, 'red, then blue');
  });

  it('a poster and thumbnail capture is a point on the timeline (Shotstack\'s), also when a range is rendered', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    // red 0–1 s, blue 1–2 s, red 2–3 s; the range renders 1–3 s. The captures were taken as
    // seconds into the rendered range, so 1.5 and 1.2 showed the timeline at 2.5 and 2.2 s: red.
    const ranged = (capture: { poster: number; thumbnail: number }) => ({
      timeline: { tracks: [{ clips: [
        { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 1 },
        { asset: { type: 'image', src: `${rig.mediaUrl}/blue.png` }, start: 1, length: 1 },
        { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 2, length: 1 },
      ] }] },
      output: { format: 'mp4', size: { width: 80, height: 44 }, fps: 10, range: { start: 1, length: 2 }, poster: { capture: capture.poster }, thumbnail: { capture: capture.thumbnail, scale: 0.5 } },
    });
    const r = await pollRender(rig.api, (await rig.api.postRender(ranged({ poster: 1.5, thumbnail: 1.2 }))).response.id, { polls: 400 });
    assert.equal(r.status, 'done', r.error);
    const poster = (await decodeFrames(await saveOutput(r.poster!, join(rig.dir, 'ranged-poster.jpg'))))[0]!;
    expectColour(poster, 40, 22, '#0000ff', 'the poster shows the timeline at 1.5 s');
    const thumbnail = (await decodeFrames(await saveOutput(r.thumbnail!, join(rig.dir, 'ranged-thumbnail.jpg'))))[0]!;
    expectColour(thumbnail, 20, 11, '#0000ff', 'the thumbnail shows the timeline at 1.2 s');
    // A capture outside the rendered range cannot be cut from it: refused at its path with the range.
    await assert.rejects(rig.api.postRender(ranged({ poster: 0.5, thumbnail: 3.5 })), (e: Refusal) => {
      const d = e.response.body.response.details;
      assert.deepEqual(d.map((x) => x.path).sort(), ['/output/poster/capture', '/output/thumbnail/capture']);
      assert.match(d[0]!.message, /range \(1–3 s\)/);
      return true;
    });
  });

  it('refuses bmp at /output/format, naming the formats Montage writes', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    await assert.rejects(rig.api.postRender(edit({ format: 'bmp' })), (e: Refusal) => {
      const d = e.response.body.response.details;
      assert.deepEqual(d.map((x) => x.path), ['/output/format']);
      assert.match(d[0].message, /mp4, gif, jpg, png or mp3/);
      return true;
    });
  });
});
