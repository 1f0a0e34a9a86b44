/**
 * Sources (issue 12): `extend` (none, freeze, loop) and `reverse` of video, audio `extend: loop`,
 * each the same in a range render as in the whole; sources drawn upright and in proportion (EXIF
 * orientation, rotation metadata, non-square pixels), 10-bit and variable-frame-rate sources on
 * the output's grid; alpha kept from VP9 WebM, ProRes 4444, QuickTime RLE, PNG in MOV and APNG;
 * a mono source at its own level on both channels. Every check decodes the rendered file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { segmentVideo, toneSequenceWav } from '../support/media-fixtures.ts';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeAudio, sineDb, toneDb, rmsDb } from '../support/audio-levels.ts';
import { channelRmsDb } from '../support/channel-levels.ts';
import { decodeFrames, decodePicture, extentOf, frameAt, isColour, luma, patch, type Picture, type Rgb } from '../support/decoded-pictures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { isMontageError } from '../../src/errors/registry.ts';
import {
  ALPHA_SOURCES, alphaVideo, anamorphicVideo, cornerJpeg, pqVideo, rotatedVideo, shortPictureVideo, tenBitVideo, vfrVideo, withExifOrientation,
} from '../support/source-fixtures.ts';

const h = createRenderHarness('sources');
after(() => h.dispose());

const [R, G, B] = ['#ff0000', '#00ff00', '#0000ff'];
const A = 0.25;
const LEVEL = sineDb(A);

before(async () => {
  // 3 s: red, green, blue seconds; a 440 Hz tone in the first second only.
  await segmentVideo(h.dir, 'rgb.mp4', { width: 160, height: 90, colours: [R, G, B], tone: 440, toneLevels: [A, 0, 0] });
  await toneSequenceWav(h.dir, 'two-halves.wav', [[220, 0.5, A], [330, 0.5, A]]);
});

/** The colour letter (R, G, B) of the centre of each frame, or '.' where nothing is drawn. */
const letters = (frames: readonly Picture[]): string => frames.map((f) => {
  const c = patch(f, f.width / 2, f.height / 2);
  if (Math.max(...c) < 100) return '.';
  return 'RGB'[c.indexOf(Math.max(...c))];
}).join('');

const videoClip = (asset: object, length = 5) => ({
  output: { ...TINY, width: 160, height: 90, duration: length },
  tracks: [{ clips: [{ asset: { type: 'video', src: 'rgb.mp4', trim: 0.5, ...asset }, start: 0, length }] }],
});

describe('video extend and reverse', () => {
  // 10 fps; the source after trim 0.5: 5 frames red, 10 green, 10 blue (2.5 s).
  const cases: Array<[string, object, string]> = [
    ['none: nothing once the source has run out', {}, 'RRRRRGGGGGGGGGGBBBBBBBBBB.........................'],
    ['freeze: the last frame holds', { extend: 'freeze' }, 'RRRRRGGGGGGGGGGBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'],
    ['loop: from trim again', { extend: 'loop' }, 'RRRRRGGGGGGGGGGBBBBBBBBBBRRRRRGGGGGGGGGGBBBBBBBBBB'],
    ['reverse: the trimmed part backwards', { reverse: true }, 'BBBBBBBBBBGGGGGGGGGGRRRRR.........................'],
    ['reverse + loop', { reverse: true, extend: 'loop' }, 'BBBBBBBBBBGGGGGGGGGGRRRRRBBBBBBBBBBGGGGGGGGGGRRRRR'],
    ['reverse + freeze: the first frame holds', { reverse: true, extend: 'freeze' }, 'BBBBBBBBBBGGGGGGGGGGRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR'],
  ];
  for (const [name, asset, expected] of cases) {
    test(name, async () => {
      const out = await h.render(`extend-${name.split(':')[0].replace(/\W+/g, '-')}`, videoClip(asset));
      assert.equal(letters(await decodeFrames(out.video.path)), expected);
    });
  }

  test('none with a look: nothing once the source has run out (rounded corners, a mask, a blend, a shadow, a long wipe)', async () => {
    // Each of these joins the clip's frames with a second stream (alphamerge, a blend's lut2, the
    // shadow's repeated copy) that went on to the clip's end: the last frame froze there instead.
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=32x32', '-frames:v', '1', join(h.dir, 'white.png'));
    const looks: Array<[string, object]> = [
      ['radius', { radius: 8 }], ['mask', { mask: { src: 'white.png' } }], ['blend', { blend: 'screen' }],
      ['shadow', { shadow: { color: '#ffffff', blur: 4, x: 2, y: 2 } }], ['wipe', { transition: { in: 'wipeRight', duration: 0.2 } }],
    ];
    for (const [name, look] of looks) {
      const c = videoClip({});
      const clip = { ...c.tracks[0].clips[0], ...look };
      const out = await h.render(`none-${name}`, { ...c, tracks: [{ clips: [clip] }] });
      const seen = letters(await decodeFrames(out.video.path));
      assert.equal(seen.slice(3), 'RRGGGGGGGGGGBBBBBBBBBB.........................', `${name}: ${seen}`);
    }
  });

  test('reverse at a rate other than the source\'s: each frame the source frame just before its instant, across windows and chunks', async () => {
    // 30 fps source, frame k a grey of level 16 + 4k; played backwards at 23.976 fps. The clip is cut
    // into windows (keyed x) and the render into ranges. Each reversed piece took its first frame as
    // its own start and stepped on from there at the source's rate: frames switched up to a source
    // frame late, differently in each window and range (at a window's start 16, 12: three skipped).
    await ffmpeg('-f', 'lavfi', '-i', `color=c=black:s=64x36:r=30:d=2,geq=lum='16+N*4':cb=128:cr=128`, '-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv420p', join(h.dir, 'ramp30.mp4'));
    const F = 24000 / 1001;
    const comp = (range?: object) => ({
      output: { width: 160, height: 90, fps: 23.976, quality: 'high', ...(range ? { range } : {}) },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'ramp30.mp4', reverse: true, trim: 0.3 }, start: 0, length: 1.2,
        keyframes: { x: [{ time: 0.3, value: 0 }, { time: 0.6, value: 0.001 }] } }] }],
    });
    const index = (f: Picture) => Math.round((luma(patch(f, 80, 45)) * 219 / 255) / 4);
    const whole = (await decodeFrames((await h.render('reverse-grid', comp())).video.path)).map(index);
    // Frame n shows the source just before trim + span − t (span 1.2 s): frame ⌈p·30⌉ − 1.
    const want = whole.map((_, n) => Math.ceil((0.3 + 1.2 - n / F) * 30 - 1e-6) - 1);
    assert.deepEqual(whole, want);
    const part = (await decodeFrames((await h.render('reverse-grid-range', comp({ start: 10 / F, length: 15 / F }))).video.path)).map(index);
    assert.deepEqual(part, want.slice(10, 25));
  });

  test('a trim at or past the source\'s end is refused at asset/trim where loop, freeze or reverse must play from it', async () => {
    // loop failed inside ffmpeg ("Invalid argument"); freeze and reverse rendered nothing.
    for (const asset of [{ extend: 'loop' }, { extend: 'freeze' }, { reverse: true }]) {
      await assert.rejects(h.render('trim-past-end', videoClip({ ...asset, trim: 3 })), (e: unknown) =>
        isMontageError(e) && e.code === 'MONTAGE_E_INVALID_COMPOSITION' &&
        e.problems.some((p) => p.pointer === '/tracks/0/clips/0/asset/trim' && /past the end of the source \(3\.00 s long\).*lower trim/.test(p.detail)), JSON.stringify(asset));
    }
    // Plain play past the end still renders as it always did: nothing shows, and now it says so.
    const plain = await h.render('trim-past-end-plain', videoClip({ trim: 3 }, 1));
    assert.equal(letters(await decodeFrames(plain.video.path)), '..........');
    assert.deepEqual(plain.summary.warnings.map((w) => [w.pointer, /past the end of the source \(3\.00 s long\), so this clip shows and plays nothing: lower trim/.test(w.detail)]), [['/tracks/0/clips/0/asset/trim', true]]);
  });
  test('length "auto" of a one-frame video says it is shown as a still, not that it has no duration', async () => {
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=64x36:r=25', '-frames:v', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', join(h.dir, 'one-frame.mp4'));
    const raw = { output: { ...TINY, width: 160, height: 90 }, tracks: [{ clips: [{ asset: { type: 'video', src: 'one-frame.mp4' }, start: 0, length: 'auto' }] }] };
    await assert.rejects(h.render('one-frame-auto', raw), (e: unknown) =>
      isMontageError(e) && e.problems.some((p) => p.pointer === '/tracks/0/clips/0/length' && /a single frame, shown as a still: give the length in seconds/.test(p.detail)));
  });
  test('speed 2 with loop: each pass is twice as fast, still from trim', async () => {
    const out = await h.render('loop-speed', videoClip({ extend: 'loop', speed: 2 }, 3));
    const seen = letters(await decodeFrames(out.video.path));
    // Frame n shows the source 0.2·n s after trim, modulo the 2.5 s pass: frames away from the cuts.
    const expected: Record<number, string> = { 0: 'R', 5: 'G', 10: 'B', 13: 'R', 18: 'G', 22: 'B', 26: 'R' };
    for (const [n, c] of Object.entries(expected)) assert.equal(seen[Number(n)], c, `frame ${n} of ${seen}`);
  });

  test('a range render draws the frames of the whole render (loop and reverse across the cut)', async () => {
    for (const asset of [{ extend: 'loop' }, { reverse: true, extend: 'loop' }, { extend: 'freeze' }]) {
      const whole = letters(await decodeFrames((await h.render('range-whole', videoClip(asset))).video.path));
      const c = videoClip(asset);
      const part = await h.render('range-part', { ...c, output: { ...c.output, range: { start: 1.7, length: 2.5 } } });
      assert.equal(letters(await decodeFrames(part.video.path)), whole.slice(17, 42), JSON.stringify(asset));
    }
  });

  test('sound: loop repeats it from trim, freeze is silent after the end, reverse moves it to the end', async () => {
    const wav = async (name: string, asset: object) => decodeAudio((await h.render(name, {
      output: { ...TINY, format: 'wav', duration: 5 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'rgb.mp4', ...asset }, start: 0, length: 5 }] }],
    })).video.path);
    // The tone is in the source's first second.
    const loop = await wav('snd-loop', { extend: 'loop' });
    assert.ok(toneDb(loop, 440, 3.1, 3.9) > LEVEL - 1.5, `loop: the tone again at 3 s (${toneDb(loop, 440, 3.1, 3.9).toFixed(1)} dB)`);
    const freeze = await wav('snd-freeze', { extend: 'freeze' });
    assert.ok(rmsDb(freeze, 3.1, 4.9) < -60, 'freeze: silent after the source');
    const rev = await wav('snd-rev', { reverse: true });
    assert.ok(toneDb(rev, 440, 2.1, 2.9) > LEVEL - 1.5, `reverse: the tone in the last second of the 3 s played (${toneDb(rev, 440, 2.1, 2.9).toFixed(1)} dB)`);
    assert.ok(toneDb(rev, 440, 0.1, 1.9) < LEVEL - 30, 'reverse: not at the start');
  });

  test('audio extend loop plays the file again from trim', async () => {
    const out = await h.render('audio-loop', {
      output: { ...TINY, format: 'wav', duration: 2.5 },
      tracks: [{ clips: [{ asset: { type: 'audio', src: 'two-halves.wav', trim: 0.5, extend: 'loop' }, start: 0, length: 2.5 }] }],
    });
    const a = await decodeAudio(out.video.path);
    for (const t of [0, 0.5, 1, 1.5, 2]) {
      assert.ok(toneDb(a, 330, t + 0.05, t + 0.45) > LEVEL - 1.5, `the second half again at ${t} s: ${toneDb(a, 330, t + 0.05, t + 0.45).toFixed(1)}`);
    }
  });
  test('audio extend loop repeats at the source\'s exact length, not rounded to the frame grid', async () => {
    // A 1.01 s file starting with a 5 ms click: at 10 fps its passes were cut to 1.0 s, a music
    // loop falling 10 ms behind its beat on every pass.
    await ffmpeg('-f', 'lavfi', '-i', "aevalsrc='if(lt(t,0.005),0.8*sin(2*PI*1000*t),0)':s=48000:d=1.01", join(h.dir, 'click.wav'));
    const out = await h.render('audio-loop-exact', {
      output: { ...TINY, format: 'wav', duration: 4.5 },
      tracks: [{ clips: [{ asset: { type: 'audio', src: 'click.wav', extend: 'loop' }, start: 0, length: 4.5 }] }],
    });
    const { samples, rate } = await decodeAudio(out.video.path);
    const onsets: number[] = [];
    for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i]) > 0.1 && (onsets.length === 0 || i / rate - onsets[onsets.length - 1] > 0.5)) onsets.push(i / rate);
    assert.deepEqual(onsets.map((t) => Math.round(t * 1000)), [0, 1010, 2020, 3030, 4040]);
  });
});

/** The box of the pixels near `colour`, and whether a `corner`-coloured block sits at its corner. */
const picture = (p: Picture, base: string, corner: string) => {
  const box = extentOf(p, (c) => isColour(c, base, 60) || isColour(c, corner, 60))!;
  const at = (x: number, y: number) => patch(p, x, y);
  const inset = 4;
  return {
    box,
    cornerAt: {
      topLeft: isColour(at(box.x0 + inset, box.y0 + inset), corner, 60),
      topRight: isColour(at(box.x1 - inset, box.y0 + inset), corner, 60),
      bottomLeft: isColour(at(box.x0 + inset, box.y1 - inset), corner, 60),
      bottomRight: isColour(at(box.x1 - inset, box.y1 - inset), corner, 60),
    },
  };
};

describe('a source at another rate than the output', () => {
  // 2 s at 30 fps whose frame N is grey 16 + 7N (N < 30, then again), as WebM (a millisecond clock) and lossless MP4.
  const grey = (n: number) => 16 + 7 * (n % 30);
  before(async () => {
    for (const [name, codec] of [['count30.mp4', ['-c:v', 'libx264', '-qp', '0']], ['count30.webm', ['-c:v', 'libvpx-vp9', '-lossless', '1']]] as const) {
      await ffmpeg('-f', 'lavfi', '-i', "nullsrc=s=160x90:r=30,geq=lum='16+7*mod(N,30)':cb=128:cr=128,format=yuv420p", '-t', '2', ...codec, join(h.dir, name));
    }
  });
  /** The source frame each output frame shows, read back from its grey (RGB from limited-range Y). */
  const shown = (frames: readonly Picture[]) => frames.map((f) => Math.round(patch(f, 80, 45)[0] * 219 / 255 / 7));
  for (const src of ['count30.mp4', 'count30.webm']) {
    for (const fps of [10, 25, 30, 60]) {
      test(`${src} at ${fps} fps: each frame shows the latest source frame at or before its time`, async () => {
        const out = await h.render(`rate-${src}-${fps}`, {
          output: { ...TINY, width: 160, height: 90, fps },
          tracks: [{ clips: [{ asset: { type: 'video', src }, start: 0, length: 0.9 }] }],
        });
        const expected = Array.from({ length: Math.round(0.9 * fps) }, (_, n) => Math.floor((n * 30) / fps + 1e-9) % 30);
        assert.deepEqual(shown(await decodeFrames(out.video.path)), expected);
      });
    }
  }
  test('count30.mp4 at 25 fps from a range that starts between source frames: the same frames as the whole render', async () => {
    // Frame 3 at 25 fps is 0.12 s, between source frames 3 (0.100) and 4 (0.133): a seek to 0.12
    // dropped frame 3, so a range (a chunk) began one source frame ahead of the whole render.
    const out = await h.render('rate-range-25', {
      output: { ...TINY, width: 160, height: 90, fps: 25, range: { start: 0.12, length: 0.4 } },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'count30.mp4' }, start: 0, length: 0.9 }] }],
    });
    const expected = Array.from({ length: 10 }, (_, n) => Math.floor(((n + 3) * 30) / 25 + 1e-9) % 30);
    assert.deepEqual(shown(await decodeFrames(out.video.path)), expected);
  });
  test('count30.mp4 with trim between its frames: straight play and a loop pass (held in memory) both start at the frame at or before trim', async () => {
    const at = async (name: string, extend: string) => shown(await decodeFrames((await h.render(name, {
      output: { ...TINY, width: 160, height: 90, fps: 30 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'count30.mp4', trim: 0.05, extend }, start: 0, length: 2.5 }] }],
    })).video.path));
    // Frame n shows the source at 0.05 + n/30 s: frame floor(1.5 + n), up to the source's end (2 s).
    const plain = await at('trim-between-plain', 'none');
    assert.deepEqual(plain.slice(0, 58), Array.from({ length: 58 }, (_, n) => (n + 1) % 30));
    const loop = await at('trim-between-loop', 'loop');
    assert.deepEqual(loop.slice(0, 58), plain.slice(0, 58));
  });
  test('a video mask at 25 fps in a range that starts between its frames: the same frames as the whole render', async () => {
    const comp = (range?: object) => ({
      output: { ...TINY, width: 160, height: 90, fps: 25, ...(range ? { range } : {}) },
      tracks: [{ clips: [{ asset: { type: 'color', color: '#ffffff' }, start: 0, length: 0.9, mask: { src: 'count30.mp4' } }] }],
    });
    const level = (frames: readonly Picture[]) => frames.map((f) => patch(f, 80, 45)[0]);
    const whole = level(await decodeFrames((await h.render('mask-rate-whole', comp())).video.path));
    const part = level(await decodeFrames((await h.render('mask-rate-range', comp({ start: 0.12, length: 0.4 }))).video.path));
    // Neighbouring source frames differ by 7 grey levels (about 8 in RGB); compression moves a value by 1 or 2.
    part.forEach((v, n) => assert.ok(Math.abs(v - whole[n + 3]) <= 3, `frame ${n + 3}: ${v} in the range, ${whole[n + 3]} in the whole`));
  });
});

describe('a source whose sound outlasts its picture (2 s of picture, 3 s of sound)', () => {
  // As a player shows it: the last picture frame stays until the file ends.
  const comp = (asset: object, length: number, range?: object) => ({
    output: { ...TINY, width: 160, height: 90, duration: length, ...(range ? { range } : {}) },
    tracks: [{ clips: [{ asset: { type: 'video', src: 'short-picture.mp4', ...asset }, start: 0, length }] }],
  });
  before(async () => { await shortPictureVideo(h.dir, 'short-picture.mp4', 160, 90, [R, G], 3); });

  test('a range that starts after the picture ends draws the frames of the whole render (the last picture held)', async () => {
    const whole = letters(await decodeFrames((await h.render('short-pic-whole', comp({}, 3))).video.path));
    assert.equal(whole, 'RRRRRRRRRRGGGGGGGGGGGGGGGGGGGG');
    const part = letters(await decodeFrames((await h.render('short-pic-range', comp({}, 3, { start: 2.5, length: 0.5 }))).video.path));
    assert.equal(part, whole.slice(25), 'a chunk or range past the picture\'s end drew nothing');
  });

  test('trim past the picture\'s end (not the sound\'s) shows the last picture, as untrimmed play does there', async () => {
    const out = letters(await decodeFrames((await h.render('short-pic-trim', comp({ trim: 2.2 }, 0.8))).video.path));
    assert.equal(out, 'GGGGGGGG');
  });

  test('freeze holds the last picture frame after the file ends', async () => {
    const out = letters(await decodeFrames((await h.render('short-pic-freeze', comp({ extend: 'freeze' }, 4))).video.path));
    assert.equal(out, `${'R'.repeat(10)}${'G'.repeat(30)}`, 'freeze held nothing: it read its frame from the last half second of the sound');
  });
});

describe('every source upright and in proportion', () => {
  test('a JPEG stored 150×240 with EXIF orientation 6 is drawn 240×150, upright, fitted contain into a portrait frame', async () => {
    const stored = await cornerJpeg(h.dir, 'stored.jpg', 160, 256, R, B);
    withExifOrientation(stored, join(h.dir, 'phone.jpg'), 6);
    const out = await h.render('exif', {
      output: { format: 'png', width: 90, height: 160 },
      tracks: [{ clips: [{ asset: { type: 'image', src: 'phone.jpg' }, start: 0, length: 1, fit: 'contain' }] }],
    });
    const p = picture(await decodePicture(out.video.path), R, B);
    // Upright 256×160 in a 90-wide frame: 90×56 (as if still 160×256 it would be 90×144).
    assert.ok(Math.abs(p.box.width - 90) <= 1 && Math.abs(p.box.height - 56) <= 2, `fitted ${p.box.width}×${p.box.height}, expected 90×56`);
    // Orientation 6 turns the stored picture a quarter clockwise: the stored top-left goes top-right.
    assert.deepEqual(p.cornerAt, { topLeft: false, topRight: true, bottomLeft: false, bottomRight: false });
  });

  test('a video with rotation metadata is drawn as players show it, fitted contain into a landscape frame', async () => {
    await rotatedVideo(h.dir, 'portrait.mp4', 160, 96, R, B, 90);
    const out = await h.render('rotated', {
      output: { format: 'png', width: 160, height: 90 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'portrait.mp4' }, start: 0, length: 1, fit: 'contain' }] }],
    });
    const p = picture(await decodePicture(out.video.path), R, B);
    // Upright 96×160 in a 90-high frame: 54×90.
    assert.ok(Math.abs(p.box.height - 90) <= 1 && Math.abs(p.box.width - 54) <= 2, `fitted ${p.box.width}×${p.box.height}, expected 54×90`);
    // A display matrix of +90° (counter-clockwise): the stored top-left corner shows bottom-left.
    assert.deepEqual(p.cornerAt, { topLeft: false, topRight: false, bottomLeft: true, bottomRight: false });
  });

  test('non-square pixels: 80×90 stored with SAR 2:1 shows 160×90', async () => {
    await anamorphicVideo(h.dir, 'anamorphic.mp4', 80, 90, 2, R, B);
    const out = await h.render('sar', {
      output: { format: 'png', width: 320, height: 180 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'anamorphic.mp4' }, start: 0, length: 1, fit: 'contain' }] }],
    });
    const p = picture(await decodePicture(out.video.path), R, B);
    assert.ok(p.box.width >= 318 && p.box.height >= 178, `fills the 16:9 frame: ${p.box.width}×${p.box.height} (square pixels would give 160×180)`);
    assert.ok(p.cornerAt.topLeft, 'not turned');
  });

  test('a 10-bit source comes out in 8-bit yuv420p with its colour', async () => {
    await tenBitVideo(h.dir, 'ten.mp4', 160, 90, '#3366cc');
    const out = await h.render('ten-bit', {
      output: { ...TINY, width: 160, height: 90, duration: 0.5 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'ten.mp4' }, start: 0, length: 0.5 }] }],
    });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, 5);
    const c = patch(frames[2], 80, 45);
    assert.ok(isColour(c, '#3366cc', 12), `colour kept: ${c}`);
  });

  test('an HDR10 (PQ) source is tone-mapped: its mid grey is decoded as light, not drawn as its code value', async () => {
    await pqVideo(h.dir, 'hdr.mp4', 160, 90, 0.5);
    const out = await h.render('hdr', {
      output: { format: 'png', width: 160, height: 90 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'hdr.mp4' }, start: 0, length: 1 }] }],
    });
    const c = patch(await decodePicture(out.video.path), 80, 45);
    // PQ code 0.5 is about 92 cd/m², near SDR white (100): drawn as its code value it would be 128.
    assert.ok(c[0] > 140 && c[0] < 250 && Math.abs(c[0] - c[2]) < 8, `tone-mapped grey: ${c}`);
  });

  test('a variable-frame-rate source lands on the output grid: exact frame count, colours by time', async () => {
    await vfrVideo(h.dir, 'vfr.mkv', 160, 90, [R, G, B]);
    const out = await h.render('vfr', {
      output: { ...TINY, width: 160, height: 90, fps: 25, duration: 3 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'vfr.mkv' }, start: 0, length: 3 }] }],
    });
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, 75);
    // Its last frame is at 2.85 s: the source lasts 2.9 s, and after that nothing shows (extend none).
    assert.equal(letters([0.1, 0.9, 1.1, 1.9, 2.1, 2.8, 2.96].map((t) => frameAt(frames, 25, t))), 'RRGGBB.');
  });
});

describe('alpha kept from every transparent video format', () => {
  const kinds = Object.keys(ALPHA_SOURCES) as Array<keyof typeof ALPHA_SOURCES>;
  test(`${kinds.join(', ')}: a 50 % red source over blue comes out purple, its clear part blue`, async () => {
    for (const kind of kinds) await alphaVideo(h.dir, kind, 64, 48, R, 0.5);
    // Each source in its own cell of a 320×96 frame: 5 cells of 64 px.
    const out = await h.render('alpha-sources', {
      output: { format: 'png', width: 320, height: 96, frame: 0.5 },
      background: B,
      tracks: kinds.map((kind, i) => ({ clips: [{
        asset: { type: 'video', src: ALPHA_SOURCES[kind].file }, start: 0, length: 1, fit: 'none', position: 'topLeft', offset: { x: i / 5, y: 0 },
      }] })),
    });
    const p = await decodePicture(out.video.path);
    const purple: Rgb = [128, 0, 128];
    for (const [i, kind] of kinds.entries()) {
      const c = patch(p, i * 64 + 32, 24);
      assert.ok(isColour(c, purple, 24), `${kind}: half red over blue, got ${c}`);
      assert.ok(isColour(patch(p, i * 64 + 32, 80), B, 10), `${kind}: the frame below it stays blue`);
    }
  });

  test('an animated PNG plays as a video of its own length: length auto, extend loop, none past its end, chunked alike', async () => {
    // Its container states no duration (ffprobe: N/A): "auto" was refused, loop never looped (the
    // last frame held), none held it too, and a chunked render dropped the clip after the source.
    await ffmpeg('-f', 'lavfi', '-i', `color=c=red:s=32x32:r=10:d=0.5[a];color=c=lime:s=32x32:r=10:d=0.5[b];[a][b]concat=n=2:v=1:a=0,format=rgba`,
      '-f', 'apng', '-plays', '0', join(h.dir, 'rg.apng.png'));
    const { probeMedia } = await import('../../src/assets/probe-media.ts');
    const { FFPROBE } = await import('../support/ffmpeg-tools.ts');
    const m = await probeMedia(join(h.dir, 'rg.apng.png'), { ffprobePath: FFPROBE, pointer: '/x' });
    assert.ok(m.duration !== undefined && Math.abs(m.duration - 1) < 0.01, `its duration: ${m.duration}`);
    const comp = (extend: string) => ({
      output: { ...TINY, width: 160, height: 90, duration: 2.5 },
      tracks: [{ clips: [{ asset: { type: 'video', src: 'rg.apng.png', extend }, start: 0, length: 2.5 }] }],
    });
    const render = async (name: string, c: object, chunks = 1) => {
      const { composition } = h.engine.validate(c);
      const { mkdtempSync } = await import('node:fs');
      const { createLocalSrcResolver } = await import('../../src/cli/local-src-resolver.ts');
      const { SafeFetcher } = await import('../../src/assets/safe-fetcher.ts');
      const { EMPTY_ALLOW_LIST } = await import('../../src/assets/allow-list.ts');
      const workDir = mkdtempSync(join(h.dir, `work-${name}-`));
      const outputPath = join(h.dir, `${name}.mp4`);
      await h.engine.render({ composition, workDir, outputPath, chunks, resolveSrc: createLocalSrcResolver({ baseDir: h.dir, workDir, fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }) }) });
      return letters(await decodeFrames(outputPath));
    };
    assert.equal(await render('apng-loop', comp('loop')), 'RRRRRGGGGGRRRRRGGGGGRRRRR');
    assert.equal(await render('apng-none', comp('none')), 'RRRRRGGGGG...............');
    assert.equal(await render('apng-loop-chunked', comp('loop'), 3), 'RRRRRGGGGGRRRRRGGGGGRRRRR');
    const auto = comp('none');
    const out = await h.render('apng-auto', { ...auto, output: { ...auto.output, duration: undefined }, tracks: [{ clips: [{ ...auto.tracks[0].clips[0], length: 'auto' }] }] });
    assert.equal(letters(await decodeFrames(out.video.path)), 'RRRRRGGGGG');
  });

  test('the probe marks hasAlpha, VP9 included (its pixel format says yuv420p)', async () => {
    const { probeMedia } = await import('../../src/assets/probe-media.ts');
    const { FFPROBE } = await import('../support/ffmpeg-tools.ts');
    for (const kind of kinds) {
      const m = await probeMedia(join(h.dir, ALPHA_SOURCES[kind].file), { ffprobePath: FFPROBE, pointer: '/x' });
      assert.equal(m.video?.hasAlpha, true, kind);
    }
    const m = await probeMedia(join(h.dir, 'rgb.mp4'), { ffprobePath: FFPROBE, pointer: '/x' });
    assert.equal(m.video?.hasAlpha, false, 'an H.264 MP4');
  });
});

describe('every sound at its own level', () => {
  test('a mono tone at −15 dB RMS comes out at −15 dB on each channel, as the same tone in stereo', async () => {
    // The same sine, amplitude A on every channel (pan, not ffmpeg's upmix, which would lower it).
    const sine = `sine=f=440:r=48000:d=1,volume=${A / 0.125}`;
    await ffmpeg('-f', 'lavfi', '-i', sine, '-c:a', 'pcm_s16le', join(h.dir, 'mono.wav'));
    await ffmpeg('-f', 'lavfi', '-i', `${sine},pan=stereo|c0=c0|c1=c0`, '-c:a', 'pcm_s16le', join(h.dir, 'stereo.wav'));
    for (const [name, src] of [['mono', 'mono.wav'], ['stereo', 'stereo.wav']]) {
      for (const as of ['audio', 'soundtrack'] as const) {
        const out = await h.render(`level-${name}-${as}`, {
          output: { ...TINY, format: 'wav', duration: 1 },
          ...(as === 'soundtrack' ? { soundtrack: { src, loop: false } } : {}),
          tracks: [{ clips: [as === 'audio' ? { asset: { type: 'audio', src }, start: 0, length: 1 } : { asset: { type: 'color', color: '#000000' }, start: 0, length: 1 }] }],
        });
        const [l, r] = await channelRmsDb(out.video.path, 0.1, 0.9);
        for (const [side, v] of [['left', l], ['right', r]] as const) {
          assert.ok(Math.abs(v - LEVEL) <= 0.3, `${name} ${as}, ${side}: ${v.toFixed(2)} dB, expected ${LEVEL.toFixed(2)}`);
        }
      }
    }
  });
});
