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
import { renderToFile, sdkSuite, type Refusal } from './support/sdk-rig.ts';
import { solidImage } from '../support/media-fixtures.ts';
import { decodeFrames } from '../support/decoded-pictures.ts';

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
