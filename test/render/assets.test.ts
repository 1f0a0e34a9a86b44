/**
 * Each visual asset type through the engine: video (which second of the source plays when, with
 * trim, speed and "auto" length), images in every accepted format, audio (heard, not seen), shapes
 * and colours; and the problems only the assets reveal, each reported with its JSON Pointer.
 * Text and captions have their own files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { animatedGif, animatedWebp, quadrantImage, segmentVideo, solidImage, toneWav } from '../support/media-fixtures.ts';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, decodePicture, extentOf, frameAt, isColour, luma, patch, type Picture } from '../support/decoded-pictures.ts';
import { expectColour, expectNear } from '../support/picture-asserts.ts';
import { probeOutput } from '../support/probe-output.ts';
import { decodeAudio, rmsDb, toneDb } from '../support/audio-levels.ts';
import { isMontageError } from '../../src/errors/registry.ts';

const h = createRenderHarness('assets');
after(() => h.dispose());
const [RED, GREEN, BLUE, YELLOW] = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];

before(async () => {
  // 3 s at 10 fps, 160×90: red, then green, then blue, one second each.
  await segmentVideo(h.dir, 'rgb.mp4', { width: 160, height: 90, colours: [RED, GREEN, BLUE], tone: 440 });
  for (const ext of ['png', 'jpg', 'webp']) await quadrantImage(h.dir, `quad.${ext}`, 160, 90);
  await animatedGif(h.dir, 'anim.gif', 160, 90, [RED, GREEN, BLUE]);
  await animatedWebp(h.dir, 'anim.webp', 160, 90, [RED, GREEN, BLUE]);
  await animatedWebp(h.dir, 'anim-alpha.webp', 160, 90, ['#0000ff80', GREEN]);
  await solidImage(h.dir, 'half-alpha.png', 160, 90, '#0000ff80');
  await toneWav(h.dir, 'tone.wav', { freq: 440, seconds: 2 });
  writeFileSync(join(h.dir, 'garbage.mp4'), Buffer.from('this is not a video file, only some text\n'.repeat(40)));
});

const video = async (name: string, asset: object, clip: object = {}) => {
  const out = await h.render(name, { output: TINY, tracks: [{ clips: [{ asset: { type: 'video', src: 'rgb.mp4', ...asset }, start: 0, length: 2, ...clip }] }] });
  return { out, frames: await decodeFrames(out.video.path) };
};
const colourAt = (frames: Picture[], t: number, colour: string, what: string) => expectColour(frameAt(frames, TINY.fps, t), 160, 90, colour, `${what} at ${t} s`);

describe('video', () => {
  test('plays the source from its start, scaled to cover the frame', async () => {
    const { frames } = await video('video-plain', {});
    colourAt(frames, 0.1, RED, 'second 0 of the source');
    colourAt(frames, 1.1, GREEN, 'second 1 of the source');
    expectColour(frameAt(frames, 10, 0.5), 5, 5, RED, 'the corner is covered (160×90 scaled ×2)');
  });

  test('trim skips into the source', async () => {
    const { frames } = await video('video-trim', { trim: 1 });
    colourAt(frames, 0.1, GREEN, 'second 1 of the source');
    colourAt(frames, 1.1, BLUE, 'second 2 of the source');
  });

  test('speed 2 plays twice as fast, and "auto" length is the source length over the speed', async () => {
    const { out, frames } = await video('video-speed2', { speed: 2 }, { length: 'auto' });
    assert.equal(frames.length, 15, '3 s of source at 2× is 1.5 s');
    assert.equal(out.summary.duration, 1.5);
    colourAt(frames, 0.2, RED, 'source 0.4 s');
    colourAt(frames, 0.7, GREEN, 'source 1.4 s');
    colourAt(frames, 1.2, BLUE, 'source 2.4 s');
  });

  test('speed 0.5 plays at half speed', async () => {
    const { frames } = await video('video-speed05', { speed: 0.5 });
    colourAt(frames, 1.8, RED, 'source 0.9 s');
  });

  test('"auto" length with trim is what is left of the source', async () => {
    const { out, frames } = await video('video-auto-trim', { trim: 1 }, { length: 'auto' });
    assert.equal(frames.length, 20);
    assert.equal(out.summary.duration, 2);
    const probed = await probeOutput(out.video.path);
    assert.ok(Math.abs(Number(probed.format.duration) - 2) < 0.1, `the file lasts ${probed.format.duration} s`);
  });

  test('its sound is mixed in', async () => {
    const { out } = await video('video-sound', {});
    const a = await decodeAudio(out.video.path);
    assert.ok(toneDb(a, 440, 0.2, 1.8) > -12, `the source's 440 Hz tone is heard: ${toneDb(a, 440, 0.2, 1.8).toFixed(1)} dB`);
  });
});

describe('image', () => {
  for (const ext of ['png', 'jpg', 'webp']) {
    test(`${ext}: decoded with its colours where they belong`, async () => {
      const out = await h.render(`image-${ext}`, { output: { ...TINY, format: 'png' }, tracks: [{ clips: [{ asset: { type: 'image', src: `quad.${ext}` }, start: 0, length: 1 }] }] });
      const p = await decodePicture(out.video.path);
      expectColour(p, 80, 45, RED, 'top-left');
      expectColour(p, 240, 45, GREEN, 'top-right');
      expectColour(p, 80, 135, BLUE, 'bottom-left');
      expectColour(p, 240, 135, YELLOW, 'bottom-right');
    });
  }

  test('gif: the first frame, held for the whole clip', async () => {
    const out = await h.render('image-gif', { output: TINY, tracks: [{ clips: [{ asset: { type: 'image', src: 'anim.gif' }, start: 0, length: 1 }] }] });
    const frames = await decodeFrames(out.video.path);
    for (const t of [0, 0.3, 0.9]) colourAt(frames, t, RED, 'the first frame of the GIF');
  });

  test('animated webp: the first frame, held for the whole clip, as for a GIF', async () => {
    const out = await h.render('image-webp-anim', { output: TINY, tracks: [{ clips: [{ asset: { type: 'image', src: 'anim.webp' }, start: 0, length: 1 }] }] });
    const frames = await decodeFrames(out.video.path);
    for (const t of [0, 0.3, 0.9]) colourAt(frames, t, RED, 'the first frame of the animated WebP');
  });

  test('animated webp with alpha: its first frame shows what lies beneath through it', async () => {
    const out = await h.render('image-webp-anim-alpha', {
      output: { ...TINY, format: 'png' }, background: '#ffffff',
      tracks: [{ clips: [{ asset: { type: 'image', src: 'anim-alpha.webp' }, start: 0, length: 1 }] }],
    });
    expectColour(await decodePicture(out.video.path), 160, 90, '#8080ff', 'half blue over white', 25);
  });

  test('a transparent PNG shows what lies beneath through it', async () => {
    const out = await h.render('image-alpha', {
      output: { ...TINY, format: 'png' }, background: '#ffffff',
      tracks: [{ clips: [{ asset: { type: 'image', src: 'half-alpha.png' }, start: 0, length: 1 }] }],
    });
    expectColour(await decodePicture(out.video.path), 160, 90, '#8080ff', 'half blue over white', 25);
  });
});

test('audio: heard for its clip, never drawn', async () => {
  const out = await h.render('audio-asset', {
    output: TINY, background: '#204060',
    tracks: [{ clips: [{ asset: { type: 'color', color: '#204060' }, start: 0, length: 2 }] },
      { clips: [{ asset: { type: 'audio', src: 'tone.wav' }, start: 0.5, length: 1 }] }],
  });
  const frames = await decodeFrames(out.video.path);
  for (const f of frames) assert.ok(isColour(patch(f, 160, 90), '#204060', 12), 'nothing drawn over the picture');
  const a = await decodeAudio(out.video.path);
  assert.ok(rmsDb(a, 0, 0.45) < -60, 'silent before the clip');
  assert.ok(toneDb(a, 440, 0.6, 1.4) > -12, 'the tone during the clip');
  assert.ok(rmsDb(a, 1.55, 2) < -60, 'silent after it');
});

test('audio: "auto" length is the source length', async () => {
  const out = await h.render('audio-auto', { output: { ...TINY, format: 'wav' }, tracks: [{ clips: [{ asset: { type: 'audio', src: 'tone.wav', trim: 0.5 }, start: 0, length: 'auto' }] }] });
  assert.equal(out.summary.duration, 1.5);
  assert.ok(Math.abs((await decodeAudio(out.video.path)).duration - 1.5) < 0.01);
});

describe('color', () => {
  test('fills the whole frame; #rgb is short for #rrggbb', async () => {
    const out = await h.render('color-short', { output: { ...TINY, format: 'png' }, tracks: [{ clips: [{ asset: { type: 'color', color: '#f80' }, start: 0, length: 1 }] }] });
    const p = await decodePicture(out.video.path);
    for (const [x, y] of [[2, 2], [317, 2], [160, 90], [2, 177], [317, 177]]) expectColour(p, x, y, '#ff8800', 'every part of the frame', 12);
  });
  test('#rrggbbaa is see-through', async () => {
    const out = await h.render('color-alpha', {
      output: { ...TINY, format: 'png' }, background: '#ffffff',
      tracks: [{ clips: [{ asset: { type: 'color', color: '#00000080' }, start: 0, length: 1 }] }],
    });
    expectColour(await decodePicture(out.video.path), 160, 90, '#7f7f7f', 'half black over white', 12);
  });
});

describe('shape', () => {
  const shape = async (name: string, asset: object) => {
    const out = await h.render(name, { output: { ...TINY, format: 'png' }, background: '#000000', tracks: [{ clips: [{ asset: { type: 'shape', ...asset }, start: 0, length: 1 }] }] });
    return decodePicture(out.video.path);
  };
  test('rectangle: width × height px of its fill, centred', async () => {
    const p = await shape('shape-rect', { shape: 'rectangle', width: 100, height: 60, fill: '#00ff00' });
    const box = extentOf(p, (c) => c[1] > 128);
    expectNear([box?.x0, box?.y0, box?.width, box?.height], [110, 60, 100, 60], 'the rectangle');
    expectColour(p, 160, 90, GREEN, 'filled');
  });
  test('rectangle with radius: the corners are cut round', async () => {
    const p = await shape('shape-radius', { shape: 'rectangle', width: 100, height: 60, fill: '#ffffff', radius: 20 });
    assert.ok(luma(patch(p, 113, 63)) < 60, 'the corner is cut');
    assert.ok(luma(patch(p, 160, 62)) > 200, 'the top edge is straight');
    assert.ok(luma(patch(p, 112, 90)) > 200, 'the left edge is straight');
  });
  test('circle: round, filling width × height', async () => {
    const p = await shape('shape-circle', { shape: 'circle', width: 80, height: 80, fill: '#ff0000' });
    const box = extentOf(p, (c) => c[0] > 128);
    expectNear([box?.width, box?.height], [80, 80], 'the circle', 2);
    expectColour(p, 160, 90, RED, 'the centre');
    assert.ok(patch(p, 124, 54)[0] < 40, 'the corner of its box is empty');
    // Area of a circle, not of a square: π/4 of the box.
    assert.ok(Math.abs((box?.count ?? 0) / (80 * 80) - Math.PI / 4) < 0.04, `covers ${(box?.count ?? 0) / 6400} of its box`);
  });
  test('stroke: an outline of the stroke colour and width around the fill', async () => {
    const p = await shape('shape-stroke', { shape: 'rectangle', width: 100, height: 60, fill: '#0000ff', stroke: { color: '#ffff00', width: 8 } });
    expectColour(p, 160, 90, BLUE, 'inside: the fill');
    expectColour(p, 160, 63, YELLOW, 'on the top edge: the stroke');
    expectColour(p, 113, 90, YELLOW, 'on the left edge: the stroke');
    expectColour(p, 160, 45, '#000000', 'well outside: nothing');
  });
  test('fill defaults to white; a transparent fill leaves only the stroke', async () => {
    const plain = await shape('shape-default-fill', { shape: 'circle', width: 100, height: 100 });
    expectColour(plain, 160, 90, '#ffffff', 'default fill', 12);
    const p = await shape('shape-outline', { shape: 'circle', width: 100, height: 100, fill: '#00000000', stroke: { color: '#ff0000', width: 6 } });
    expectColour(p, 160, 90, '#000000', 'hollow: the background shows through', 12);
    expectColour(p, 160, 43, RED, 'the outline at the top');
  });
});

describe('problems that only the assets reveal, each with its pointer', () => {
  const failure = async (name: string, raw: object) => {
    try {
      await h.render(name, raw);
    } catch (e) {
      assert.ok(isMontageError(e), `a MontageError, not a crash: ${e}`);
      return e;
    }
    assert.fail('the render should have failed');
  };
  test('a video src that is not media: MONTAGE_E_ASSET_UNREADABLE at the src', async () => {
    const e = await failure('bad-video', { output: TINY, tracks: [{ clips: [{ asset: { type: 'video', src: 'garbage.mp4' }, start: 0, length: 1 }] }] });
    assert.equal(e.code, 'MONTAGE_E_ASSET_UNREADABLE');
    assert.deepEqual(e.problems.map((p) => p.pointer), ['/tracks/0/clips/0/asset/src']);
  });
  test('a missing file: MONTAGE_E_ASSET_NOT_FOUND naming the path', async () => {
    const e = await failure('missing', { output: TINY, tracks: [{ clips: [{ asset: { type: 'image', src: 'nowhere.png' }, start: 0, length: 1 }] }] });
    assert.equal(e.code, 'MONTAGE_E_ASSET_NOT_FOUND');
    assert.equal(e.problems[0].pointer, '/tracks/0/clips/0/asset/src');
    assert.match(e.problems[0].detail, /nowhere\.png/);
  });
  test('a video asset on a sound-only file: no video stream', async () => {
    const e = await failure('no-video-stream', { output: TINY, tracks: [{ clips: [{ asset: { type: 'video', src: 'tone.wav' }, start: 0, length: 1 }] }] });
    assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.equal(e.problems[0].pointer, '/tracks/0/clips/0/asset/src');
    assert.match(e.problems[0].detail, /no video stream/);
  });
  test('an audio asset on an image: no audio stream, and what to use instead', async () => {
    const e = await failure('no-audio-stream', { output: TINY, tracks: [{ clips: [{ asset: { type: 'audio', src: 'quad.png' }, start: 0, length: 1 }] }] });
    assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.equal(e.problems[0].pointer, '/tracks/0/clips/0/asset/src');
    assert.match(e.problems[0].detail, /no audio stream: use a sound file/);
  });
  test('an animated WebP too large to decode in process: MONTAGE_E_ASSET_UNSUPPORTED with its size, not read', async () => {
    // Only a VP8X header claiming an animated 6000×6000 canvas: refused from the header, nothing decoded.
    const head = Buffer.alloc(30);
    head.write('RIFF', 0, 'latin1'); head.writeUInt32LE(22, 4); head.write('WEBPVP8X', 8, 'latin1'); head.writeUInt32LE(10, 16);
    head[20] = 0x02; head.writeUIntLE(5999, 24, 3); head.writeUIntLE(5999, 27, 3);
    writeFileSync(join(h.dir, 'huge-anim.webp'), head);
    const e = await failure('huge-webp', { output: TINY, tracks: [{ clips: [{ asset: { type: 'image', src: 'huge-anim.webp' }, start: 0, length: 1 }] }] });
    assert.equal(e.code, 'MONTAGE_E_ASSET_UNSUPPORTED');
    assert.equal(e.problems[0].pointer, '/tracks/0/clips/0/asset/src');
    assert.match(e.problems[0].detail, /6000×6000.*first frame as PNG/);
  });
  test('"auto" length on an image', async () => {
    const e = await failure('auto-image', { output: TINY, tracks: [{ clips: [{ asset: { type: 'image', src: 'quad.png' }, start: 0, length: 'auto' }] }] });
    assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.equal(e.problems[0].pointer, '/tracks/0/clips/0/length');
  });
});
