/**
 * What comes out: every format (container, codecs, streams, frame count, size, a sampled colour or
 * tone), the frame size and rate, duration, range, the still frame, poster and thumbnail, and the
 * quality presets, checked by what differs in the files (x264's own options string, palette
 * sizes, bit rates and sizes).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { toneSequenceWav, toneWav } from '../support/media-fixtures.ts';
import { ffmpeg, ffmpegLog } from '../support/ffmpeg-tools.ts';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeFrames, decodePicture, frameAt, isColour, patch, pixel, type Picture } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { probeOutput, rate } from '../support/probe-output.ts';
import { decodeAudio, rmsDb, sineDb, toneDb } from '../support/audio-levels.ts';
import { isMontageError } from '../../src/errors/registry.ts';

const h = createRenderHarness('outputs');
after(() => h.dispose());

const [RED, GREEN, BLUE, WHITE] = ['#ff0000', '#00ff00', '#0000ff', '#ffffff'];
before(async () => {
  await toneWav(h.dir, 'tone.wav', { freq: 440, seconds: 2, amplitude: 0.25 });
  await toneSequenceWav(h.dir, 'two-halves.wav', [[220, 0.5, 0.25], [330, 0.5, 0.25]]);
  // Busy, detailed footage, so encoder settings show in the output.
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=10:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '8', `${h.dir}/busy.mp4`);
});

/** Red for 0.5 s, green, blue, white (2 s), with a 440 Hz tone throughout. */
const timeline = (output: object, extra: object = {}) => ({
  output: { ...TINY, ...output },
  tracks: [
    { clips: [RED, GREEN, BLUE, WHITE].map((color, i) => ({ asset: { type: 'color', color }, start: i * 0.5, length: 0.5 })) },
    { clips: [{ asset: { type: 'audio', src: 'tone.wav' }, start: 0, length: 2 }] },
  ],
  ...extra,
});
const colourOfFrame = (frames: Picture[], t: number, fps: number = TINY.fps) => patch(frameAt(frames, fps, t), 160, 90);
const assertSequence = (frames: Picture[], fps: number = TINY.fps) => {
  for (const [t, c] of [[0.2, RED], [0.7, GREEN], [1.2, BLUE], [1.7, WHITE]] as const) {
    assert.ok(isColour(colourOfFrame(frames, t, fps), c), `${c} at ${t} s, got rgb(${colourOfFrame(frames, t, fps).join(', ')})`);
  }
};
const TONE = sineDb(0.25);

describe('formats', () => {
  test('mp4 (the default): H.264 yuv420p + AAC 48 kHz stereo, faststart, every frame', async () => {
    const out = await h.render('fmt-mp4', timeline({}));
    assert.equal(out.video.contentType, 'video/mp4');
    const p = await probeOutput(out.video.path, { countFrames: true });
    assert.match(p.format.format_name, /mp4/);
    // The profile is x264's ceiling: draft (ultrafast) uses no High tools and is marked Constrained
    // Baseline; the presets test checks High at medium.
    assert.deepEqual([p.video?.codec_name, p.video?.pix_fmt, p.video?.width, p.video?.height], ['h264', 'yuv420p', 320, 180]);
    assert.equal(p.video?.nb_read_frames, '20');
    assert.equal(rate(p.video?.r_frame_rate), 10);
    assert.deepEqual([p.audio?.codec_name, p.audio?.sample_rate, p.audio?.channels], ['aac', '48000', 2]);
    const bytes = readFileSync(out.video.path);
    assert.ok(bytes.indexOf('moov') < bytes.indexOf('mdat'), 'the index (moov) comes before the media (mdat): faststart');
    assertSequence(await decodeFrames(out.video.path));
  });

  test('webm: VP9 + Opus', async () => {
    const out = await h.render('fmt-webm', timeline({ format: 'webm' }));
    assert.equal(out.video.contentType, 'video/webm');
    const p = await probeOutput(out.video.path, { countFrames: true });
    assert.match(p.format.format_name, /webm/);
    assert.deepEqual([p.video?.codec_name, p.video?.pix_fmt, p.video?.nb_read_frames], ['vp9', 'yuv420p', '20']);
    assert.deepEqual([p.audio?.codec_name, p.audio?.sample_rate, p.audio?.channels], ['opus', '48000', 2]);
    assertSequence(await decodeFrames(out.video.path));
    assert.ok(toneDb(await decodeAudio(out.video.path), 440, 0.2, 1.8) > TONE - 2, 'the tone is in it');
  });
  test('webm with nothing that sounds (colour clips only, also at -14 LUFS): every frame and a silent Opus track', async () => {
    // Such a graph has sources only; libopus refused the silence source's 1024-sample frames.
    for (const loudness of [undefined, -14]) {
      const out = await h.render(`fmt-webm-silent${loudness ?? ''}`, { output: { ...TINY, format: 'webm', ...(loudness ? { loudness } : {}) },
        tracks: [timeline({}).tracks[0]] });
      const p = await probeOutput(out.video.path, { countFrames: true });
      assert.deepEqual([p.video?.codec_name, p.video?.nb_read_frames, p.audio?.codec_name], ['vp9', '20', 'opus']);
      assertSequence(await decodeFrames(out.video.path));
      assert.ok(rmsDb(await decodeAudio(out.video.path), 0.1, 1.9) < -90, 'silence');
    }
  });

  test('gif: a looping animation, no sound', async () => {
    const out = await h.render('fmt-gif', timeline({ format: 'gif' }));
    assert.equal(out.video.contentType, 'image/gif');
    const p = await probeOutput(out.video.path, { countFrames: true });
    assert.equal(p.video?.codec_name, 'gif');
    assert.equal(p.video?.nb_read_frames, '20');
    assert.equal(p.audio, undefined);
    const bytes = readFileSync(out.video.path);
    const ext = bytes.indexOf('NETSCAPE2.0');
    assert.ok(ext > 0, 'has the looping extension');
    assert.deepEqual([...bytes.subarray(ext + 11, ext + 15)], [3, 1, 0, 0], 'loop count 0: forever');
    assertSequence(await decodeFrames(out.video.path));
  });

  test('gif is limited to 30 fps', () => {
    assert.throws(() => h.engine.validate(timeline({ format: 'gif', fps: 31 })), (e: unknown) => isMontageError(e) && e.problems.some((p) => p.pointer === '/output/fps'));
  });

  test('mp3: sound only, 48 kHz stereo', async () => {
    const out = await h.render('fmt-mp3', timeline({ format: 'mp3' }));
    assert.equal(out.video.contentType, 'audio/mpeg');
    const p = await probeOutput(out.video.path);
    assert.equal(p.video, undefined);
    assert.deepEqual([p.audio?.codec_name, p.audio?.sample_rate, p.audio?.channels], ['mp3', '48000', 2]);
    assert.ok(Math.abs(Number(p.format.duration) - 2) < 0.1, `${p.format.duration} s`);
    assert.ok(toneDb(await decodeAudio(out.video.path), 440, 0.2, 1.8) > TONE - 1.5);
  });

  test('wav: PCM 16-bit, 48 kHz stereo, exactly the timeline long', async () => {
    const out = await h.render('fmt-wav', timeline({ format: 'wav' }));
    assert.equal(out.video.contentType, 'audio/wav');
    const p = await probeOutput(out.video.path);
    assert.equal(p.video, undefined);
    assert.deepEqual([p.audio?.codec_name, p.audio?.sample_rate, p.audio?.channels], ['pcm_s16le', '48000', 2]);
    assert.equal((await decodeAudio(out.video.path)).samples.length, 96000);
  });

  test('png: one RGB frame, at output.frame', async () => {
    const out = await h.render('fmt-png', timeline({ format: 'png', frame: 1.2 }));
    assert.equal(out.video.contentType, 'image/png');
    const p = await probeOutput(out.video.path, { countFrames: true });
    assert.deepEqual([p.video?.codec_name, p.video?.pix_fmt, p.video?.nb_read_frames, p.video?.width, p.video?.height], ['png', 'rgb24', '1', 320, 180]);
    assert.equal(p.audio, undefined);
    expectColour(await decodePicture(out.video.path), 160, 90, BLUE, 'the frame at 1.2 s', 2);
    assert.equal(out.summary.duration, 0);
  });

  test('jpg: one full-range 4:4:4 JPEG frame, at output.frame', async () => {
    const out = await h.render('fmt-jpg', timeline({ format: 'jpg', frame: 0.7 }));
    assert.equal(out.video.contentType, 'image/jpeg');
    const p = await probeOutput(out.video.path);
    assert.deepEqual([p.video?.codec_name, p.video?.pix_fmt, p.video?.width], ['mjpeg', 'yuvj444p', 320]);
    expectColour(await decodePicture(out.video.path), 160, 90, GREEN, 'the frame at 0.7 s');
  });
});

describe('frame (stills)', () => {
  test('defaults to 0', async () => {
    expectColour(await decodePicture((await h.render('frame-default', timeline({ format: 'png' }))).video.path), 160, 90, RED, 'the first frame', 2);
  });
  test('at or past the end is refused when the timeline\'s length is known', () => {
    assert.throws(() => h.engine.validate(timeline({ format: 'png', frame: 2 })), (e: unknown) => isMontageError(e) && e.problems.some((p) => p.pointer === '/output/frame'));
  });
  test('past the end of an "auto" timeline, clamped to the last frame once the media is probed', async () => {
    const still = (frame: number) => ({ output: { ...TINY, format: 'png', frame }, tracks: [{ clips: [{ asset: { type: 'video', src: 'busy.mp4' }, start: 0, length: 'auto' }] }] });
    const [late, last] = [await h.render('frame-late', still(60)), await h.render('frame-last', still(0.9))];
    const [a, b] = [await decodePicture(late.video.path), await decodePicture(last.video.path)];
    assert.ok(a.data.equals(b.data), 'the same picture as the last frame (0.9 s)');
  });
});

describe('size, rate and length', () => {
  test('width and height set the frame size', async () => {
    const out = await h.render('size', timeline({ width: 240, height: 136 }));
    const p = await probeOutput(out.video.path);
    assert.deepEqual([p.video?.width, p.video?.height], [240, 136]);
  });
  test('odd sizes are refused for mp4 and webm, with the pointer', () => {
    assert.throws(() => h.engine.validate(timeline({ width: 321 })), (e: unknown) => isMontageError(e) && e.problems.some((p) => p.pointer === '/output/width'));
  });
  test('odd sizes for png and gif keep every pixel, and a moving blended clip renders at them', async () => {
    // A 4:2:0 colour source rounded 33×33 down to 32×32; a frame-sized blend canvas then no longer
    // matched the frame, and the render failed.
    const still = await h.render('odd-png', { output: { format: 'png', width: 33, height: 33 }, background: BLUE,
      tracks: [{ clips: [{ asset: { type: 'color', color: RED }, start: 0, length: 1, scale: 0.5, position: 'topLeft' }] }] });
    const png = await decodePicture(still.video.path);
    assert.deepEqual([png.width, png.height], [33, 33]);
    for (const [x, y] of [[32, 32], [32, 0], [0, 32]]) assert.ok(isColour(pixel(png, x, y), BLUE, 4), `the background at (${x}, ${y}), got ${pixel(png, x, y)}`);
    expectColour(png, 4, 4, RED, 'the clip', 4);
    const moving = await h.render('odd-gif', {
      output: { format: 'gif', width: 321, height: 181, fps: 10 }, background: BLUE,
      tracks: [{ clips: [{ asset: { type: 'color', color: RED }, start: 0, length: 1, scale: 0.5, blend: 'screen',
        keyframes: { x: [{ time: 0, value: -0.2 }, { time: 1, value: 0.2 }] } }] }],
    });
    const frames = await decodeFrames(moving.video.path);
    assert.deepEqual([frames.length, frames[0].width, frames[0].height], [10, 321, 181]);
    expectColour(frames[5], 160, 90, '#ff00ff', 'red screened over blue', 8);
    assert.ok(isColour(pixel(frames[5], 320, 180), BLUE, 8), `the background in the last pixel, got ${pixel(frames[5], 320, 180)}`);
  });
  test('fps sets the frame rate and count', async () => {
    const out = await h.render('fps', timeline({ fps: 25 }));
    const p = await probeOutput(out.video.path, { countFrames: true });
    assert.equal(rate(p.video?.r_frame_rate), 25);
    assert.equal(p.video?.nb_read_frames, '50');
    assertSequence(await decodeFrames(out.video.path), 25);
  });
  test('the duration is the end of the last clip', async () => {
    const out = await h.render('dur-auto', { output: TINY, tracks: [{ clips: [{ asset: { type: 'color', color: RED }, start: 0.5, length: 1 }] }] });
    assert.equal(out.summary.duration, 1.5);
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, 15);
    expectColour(frames[2], 160, 90, '#000000', 'background before the clip', 12);
  });
  test('output.duration cuts what lies past it', async () => {
    const out = await h.render('dur-cut', timeline({ duration: 1 }));
    const p = await probeOutput(out.video.path, { countFrames: true });
    assert.equal(p.video?.nb_read_frames, '10');
    assert.ok(Math.abs(Number(p.audio?.duration) - 1) < 0.05, `the sound is cut too: ${p.audio?.duration}`);
  });
  test('output.duration longer than the clips shows the background after them', async () => {
    const out = await h.render('dur-long', timeline({ duration: 2.5 }, { background: '#808080' }));
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, 25);
    expectColour(frames[23], 160, 90, '#808080', 'background after the last clip', 12);
  });
});

describe('range', () => {
  test('renders only that part of the timeline', async () => {
    const out = await h.render('range', timeline({ range: { start: 0.7, length: 0.6 } }));
    const frames = await decodeFrames(out.video.path);
    assert.equal(frames.length, 6);
    assert.ok(Math.abs(out.summary.duration - 0.6) < 1e-9, `${out.summary.duration}`);
    for (const i of [0, 1, 2]) expectColour(frames[i], 160, 90, GREEN, `frame ${i} (timeline ${0.7 + i / 10} s)`);
    for (const i of [3, 4, 5]) expectColour(frames[i], 160, 90, BLUE, `frame ${i} (timeline ${0.7 + i / 10} s)`);
  });
  test('reaching past the end renders up to the end', async () => {
    const out = await h.render('range-late', timeline({ range: { start: 1.5, length: 5 } }));
    assert.equal((await decodeFrames(out.video.path)).length, 5);
  });
  test('the soundtrack in a range is where the whole timeline has it, loops included', async () => {
    const out = await h.render('range-sound', { ...timeline({ format: 'wav', range: { start: 1.2, length: 0.6 } }), soundtrack: { src: 'two-halves.wav' } });
    const a = await decodeAudio(out.video.path);
    assert.ok(Math.abs(a.duration - 0.6) < 0.002, `${a.duration} s`);
    // Timeline 1.2–1.5 s is 0.2–0.5 s into the second pass (220 Hz), 1.5–1.8 s its 330 Hz half.
    assert.ok(toneDb(a, 220, 0.02, 0.28) > TONE - 1.5, 'the first half of the file');
    assert.ok(toneDb(a, 330, 0.32, 0.58) > TONE - 1.5, 'then the second half');
  });
});

describe('poster and thumbnail', () => {
  test('written beside the output as NAME.poster.jpg (full size) and NAME.thumbnail.jpg (given width, height by aspect)', async () => {
    const out = await h.render('sidecars', timeline({ poster: { time: 1.2 }, thumbnail: { time: 0.7, width: 80 } }));
    assert.equal(out.poster?.path, out.video.path.replace(/\.mp4$/, '.poster.jpg'));
    assert.equal(out.thumbnail?.path, out.video.path.replace(/\.mp4$/, '.thumbnail.jpg'));
    const poster = await probeOutput(out.poster!.path);
    assert.deepEqual([poster.video?.codec_name, poster.video?.width, poster.video?.height], ['mjpeg', 320, 180]);
    expectColour(await decodePicture(out.poster!.path), 160, 90, BLUE, 'the poster shows 1.2 s');
    const thumb = await probeOutput(out.thumbnail!.path);
    assert.equal(thumb.video?.width, 80);
    assert.ok([44, 46].includes(thumb.video?.height ?? 0), `height follows the aspect ratio, even: ${thumb.video?.height}`);
    expectColour(await decodePicture(out.thumbnail!.path), 40, 22, GREEN, 'the thumbnail shows 0.7 s');
  });
  test('none unless asked for', async () => {
    const out = await h.render('no-sidecars', timeline({}));
    assert.equal(out.poster, undefined);
    assert.equal(existsSync(out.video.path.replace(/\.mp4$/, '.poster.jpg')), false);
  });
  test('ignored for sound-only formats', async () => {
    const out = await h.render('sidecars-mp3', timeline({ format: 'mp3', poster: { time: 1 }, thumbnail: { time: 1, width: 80 } }));
    assert.equal(out.poster, undefined);
    assert.equal(out.thumbnail, undefined);
  });
  test('a poster time past the end gives the last frame', async () => {
    const out = await h.render('poster-late', timeline({ poster: { time: 30 } }));
    expectColour(await decodePicture(out.poster!.path), 160, 90, WHITE, 'the last frame');
  });
});

/** Mean PSNR (dB) of a rendered video against its source (both 320×180). */
const psnr = async (path: string, reference: string): Promise<number> => {
  const log = await ffmpegLog('-i', path, '-i', reference, '-lavfi', '[0:v][1:v]psnr', '-f', 'null', '-');
  return Number(/PSNR .*average:([\d.]+)/.exec(log)?.[1]);
};

describe('quality presets: the encoder settings differ', () => {
  const busy = (output: object) => ({ output: { ...TINY, ...output }, tracks: [{ clips: [{ asset: { type: 'video', src: 'busy.mp4' }, start: 0, length: 1 }] }] });

  test('mp4: x264 preset and CRF as the product fixes them (read from x264\'s options in the file)', async () => {
    const want = { draft: ['crf=30.0', 'subme=0', 'cabac=0'], low: ['crf=27.0', 'subme=1', 'me=dia'], medium: ['crf=23.0', 'subme=2', 'me=hex'], high: ['crf=20.0', 'subme=7', 'ref=3'] };
    for (const [quality, options] of Object.entries(want)) {
      const out = await h.render(`q-mp4-${quality}`, busy({ quality }));
      const sei = /options: ([^\0]*)/.exec(readFileSync(out.video.path, 'latin1'))?.[1].split(' ') ?? [];
      for (const o of options) assert.ok(sei.includes(o), `${quality}: ${o} in "${sei.join(' ').slice(0, 120)}…"`);
      if (quality === 'medium') assert.equal((await probeOutput(out.video.path)).video?.profile, 'High');
    }
  });

  test('mp4: quality defaults to medium', async () => {
    const out = await h.render('q-mp4-default', busy({ quality: undefined }));
    assert.ok(readFileSync(out.video.path, 'latin1').includes(' crf=23.0 '), 'CRF 23');
  });

  test('webm: high is closer to the source than draft (lower CRF), and bigger', async () => {
    const [draft, high] = [await h.render('q-webm-draft', busy({ format: 'webm', quality: 'draft' })), await h.render('q-webm-high', busy({ format: 'webm', quality: 'high' }))];
    const [pd, ph] = [await psnr(draft.video.path, `${h.dir}/busy.mp4`), await psnr(high.video.path, `${h.dir}/busy.mp4`)];
    assert.ok(ph > pd + 2, `PSNR draft ${pd.toFixed(1)} dB, high ${ph.toFixed(1)} dB`);
    assert.ok(high.video.bytes > draft.video.bytes, `draft ${draft.video.bytes} B, high ${high.video.bytes} B`);
  });

  test('gif: draft uses at most 64 colours, high up to 256', async () => {
    const colours = async (quality: string) => {
      const frames = await decodeFrames((await h.render(`q-gif-${quality}`, busy({ format: 'gif', quality }))).video.path);
      const set = new Set<number>();
      for (const f of frames) for (let i = 0; i < f.data.length; i += 3) set.add((f.data[i] << 16) | (f.data[i + 1] << 8) | f.data[i + 2]);
      return set.size;
    };
    const [draft, high] = [await colours('draft'), await colours('high')];
    assert.ok(draft <= 64, `draft: ${draft} colours`);
    assert.ok(high > 128 && high <= 256, `high: ${high} colours`);
  });

  test('mp3: a higher bit rate at high than at draft', async () => {
    const br = async (quality: string) => Number((await probeOutput((await h.render(`q-mp3-${quality}`, { ...timeline({ format: 'mp3', quality }), soundtrack: { src: 'two-halves.wav' } })).video.path)).format.bit_rate);
    const [draft, high] = [await br('draft'), await br('high')];
    assert.ok(high > draft * 1.3, `draft ${draft} b/s, high ${high} b/s`);
  });

  test('jpg: a finer quantizer at high makes a bigger file than draft', async () => {
    const [draft, high] = [await h.render('q-jpg-draft', busy({ format: 'jpg', quality: 'draft' })), await h.render('q-jpg-high', busy({ format: 'jpg', quality: 'high' }))];
    assert.ok(high.video.bytes > draft.video.bytes * 1.3, `draft ${draft.video.bytes} B, high ${high.video.bytes} B`);
  });

  test('wav and png are lossless: the preset changes nothing', async () => {
    const [a, b] = [await h.render('q-wav-draft', timeline({ format: 'wav', quality: 'draft' })), await h.render('q-wav-high', timeline({ format: 'wav', quality: 'high' }))];
    assert.ok(readFileSync(a.video.path).equals(readFileSync(b.video.path)), 'the same WAV');
    const [c, d] = [await h.render('q-png-draft', busy({ format: 'png', quality: 'draft' })), await h.render('q-png-high', busy({ format: 'png', quality: 'high' }))];
    assert.ok((await decodePicture(c.video.path)).data.equals((await decodePicture(d.video.path)).data), 'the same pixels');
  });
});
