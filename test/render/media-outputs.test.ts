/**
 * Outputs (issue 12): `background: "transparent"` (alpha values of webm, mov, png, gif), the mov
 * format (ProRes 422 HQ + PCM, chunked as unchunked), exact NTSC rates, `output.scale` and
 * `output.loudness` (chunked as unchunked). Every check decodes or probes the rendered file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { probeOutput } from '../support/probe-output.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { decodeFrames, extentOf, isColour } from '../support/decoded-pictures.ts';
import { loudness } from '../support/channel-levels.ts';
import { segmentVideo, toneWav } from '../support/media-fixtures.ts';
import { createLocalSrcResolver } from '../../src/cli/local-src-resolver.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { EMPTY_ALLOW_LIST } from '../../src/assets/allow-list.ts';
import { validateComposition } from '../../src/composition/validate-composition.ts';
import { MontageError } from '../../src/errors/registry.ts';

const h = createRenderHarness('media-outputs');
after(() => h.dispose());

before(async () => {
  await segmentVideo(h.dir, 'rgb.mp4', { width: 160, height: 90, colours: ['#ff0000', '#00ff00', '#0000ff', '#ffffff'], tone: 440 });
  await toneWav(h.dir, 'tone.wav', { freq: 440, seconds: 4, amplitude: 0.1 });
});

/** Renders through the engine in `chunks` parts, as `montage render --chunks N` does. */
const renderChunked = async (name: string, raw: object, chunks: number, ext: string) => {
  const { composition } = h.engine.validate(raw);
  const workDir = mkdtempSync(join(h.dir, `work-${name}-`));
  const outputPath = join(h.dir, 'out', `${name}.${ext}`);
  const fetcher = new SafeFetcher({ allowList: EMPTY_ALLOW_LIST });
  await h.engine.render({ composition, workDir, outputPath, chunks, resolveSrc: createLocalSrcResolver({ baseDir: h.dir, workDir, fetcher }) });
  return outputPath;
};

/** RGBA of every frame (libvpx for VP9, whose alpha the native decoder drops). */
const rgbaFrames = async (path: string, vp9 = false) => {
  const { video } = await probeOutput(path);
  const raw = await ffmpeg(...(vp9 ? ['-c:v', 'libvpx-vp9'] : []), '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-');
  const size = video!.width! * video!.height! * 4;
  const frames: Array<(x: number, y: number) => number[]> = [];
  for (let o = 0; o + size <= raw.length; o += size) {
    const f = raw.subarray(o, o + size);
    frames.push((x, y) => { const i = o - o + 4 * (y * video!.width! + x); return [f[i], f[i + 1], f[i + 2], f[i + 3]]; });
  }
  return frames;
};

describe('background: "transparent"', () => {
  // A 160×90 frame: an opaque red box at the top left, a half-transparent green one at the top right.
  const comp = (format: string) => ({
    output: { ...TINY, format, width: 160, height: 90, duration: 0.5 },
    background: 'transparent',
    tracks: [{ clips: [
      { asset: { type: 'shape', shape: 'rectangle', width: 60, height: 40, fill: '#ff0000' }, start: 0, length: 0.5, position: 'topLeft' },
      { asset: { type: 'shape', shape: 'rectangle', width: 60, height: 40, fill: '#00ff0080' }, start: 0, length: 0.5, position: 'topRight' },
    ] }],
  });
  const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a}, expected ${b} ± ${tol}`);

  for (const [format, codec, pix] of [['webm', 'vp9', undefined], ['mov', 'prores', 'yuva444p'], ['png', 'png', 'rgba'], ['gif', 'gif', undefined]] as const) {
    test(`${format}: clear where nothing is drawn, opaque over the box${format === 'gif' ? ' (a GIF pixel is clear or not)' : ', half over the half-clear box'}`, async () => {
      const out = await h.render(`transparent-${format}`, comp(format));
      const { video } = await probeOutput(out.video.path);
      assert.equal(video?.codec_name, codec);
      if (pix) assert.ok(video?.pix_fmt?.startsWith(pix), `pixel format ${video?.pix_fmt}`);
      if (format === 'webm') {
        const tags = JSON.parse((await import('node:child_process')).execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream_tags=alpha_mode', '-of', 'json', out.video.path]).toString());
        assert.equal(tags.streams[0].tags?.alpha_mode, '1', 'the WebM alpha_mode tag');
      }
      const [first] = await rgbaFrames(out.video.path, format === 'webm');
      near(first(80, 80)[3], 0, 2, 'alpha below the boxes');
      near(first(20, 15)[3], 255, 2, 'alpha of the opaque box');
      assert.ok(isColour(first(20, 15).slice(0, 3) as unknown as [number, number, number], '#ff0000', 40), `red: ${first(20, 15)}`);
      if (format !== 'gif') near(first(140, 15)[3], 128, 6, 'alpha of the half-clear box');
    });
  }

  test('a format without alpha is refused with the way out', () => {
    for (const format of ['mp4', 'jpg']) {
      assert.throws(() => validateComposition({ ...comp(format) }), (e: MontageError) => {
        const p = e.problems;
        return p.some((x) => x.pointer === '/background' && /webm/.test(x.detail) && /mov/.test(x.detail));
      });
    }
  });
});

describe('mov', () => {
  const comp = {
    output: { ...TINY, format: 'mov', width: 160, height: 90, duration: 4 },
    tracks: [{ clips: [{ asset: { type: 'video', src: 'rgb.mp4' }, start: 0, length: 4 }] }],
  };
  test('ProRes 422 HQ with 24-bit PCM; chunked in 2 parts, the same frames and sound', async () => {
    const one = await h.render('mov-one', comp);
    const p = await probeOutput(one.video.path, { countFrames: true });
    assert.deepEqual([p.video?.codec_name, p.video?.profile, p.video?.pix_fmt], ['prores', 'HQ', 'yuv422p10le']);
    assert.deepEqual([p.audio?.codec_name, p.audio?.sample_rate, p.audio?.channels], ['pcm_s24le', '48000', 2]);
    assert.equal(p.video?.nb_read_frames, '40');
    const two = await renderChunked('mov-two', comp, 2, 'mov');
    const q = await probeOutput(two, { countFrames: true });
    assert.deepEqual([q.video?.codec_name, q.video?.profile, q.video?.nb_read_frames, q.audio?.codec_name], ['prores', 'HQ', '40', 'pcm_s24le']);
    const [a, b] = [await decodeFrames(one.video.path), await decodeFrames(two)];
    for (const i of [0, 19, 20, 39]) assert.ok(a[i].data.equals(b[i].data), `frame ${i} the same (ProRes frames are independent)`);
  });
});

describe('exact NTSC rates', () => {
  for (const [fps, rate] of [[23.976, '24000/1001'], [29.97, '30000/1001'], [59.94, '60000/1001']] as const) {
    test(`${fps} is ${rate}: the encoder's rate, ffprobe's r_frame_rate, the frame count`, async () => {
      // 1001/1000 s is exactly 24, 30 or 60 frames at the NTSC rate.
      const seconds = 1.001;
      const out = await h.render(`ntsc-${fps}`, {
        output: { ...TINY, fps, duration: seconds },
        tracks: [{ clips: [{ asset: { type: 'video', src: 'rgb.mp4' }, start: 0, length: seconds }] }],
      });
      const p = await probeOutput(out.video.path, { countFrames: true });
      assert.equal(p.video?.r_frame_rate, rate);
      assert.equal(p.video?.avg_frame_rate, rate);
      assert.equal(Number(p.video?.nb_read_frames), Number(rate.split('/')[0]) / 1000);
    });
  }

  test('29.97 chunked: the parts join into the same frame count and rate', async () => {
    const comp = { output: { ...TINY, fps: 29.97, duration: 4 }, tracks: [{ clips: [{ asset: { type: 'video', src: 'rgb.mp4' }, start: 0, length: 4 }] }] };
    const p = await probeOutput(await renderChunked('ntsc-chunked', comp, 2, 'mp4'), { countFrames: true });
    assert.equal(p.video?.r_frame_rate, '30000/1001');
    assert.equal(p.video?.nb_read_frames, String(Math.round(4 * 30000 / 1001)));
  });
});

describe('output.scale', () => {
  test('0.5 is the same video at half the size: frame, a shape, its padding from the edge', async () => {
    const comp = (scale?: number) => ({
      output: { format: 'png', width: 320, height: 180, ...(scale ? { scale } : {}) },
      background: '#000000',
      tracks: [{ clips: [
        { asset: { type: 'shape', shape: 'rectangle', width: 100, height: 60, fill: '#ffffff', stroke: { color: '#ff0000', width: 10 } }, start: 0, length: 1, position: 'topLeft', offset: { x: 0.1, y: 0.1 } },
      ] }],
    });
    const boxes = [];
    for (const s of [undefined, 0.5]) {
      const out = await h.render(`scale-${s ?? 1}`, comp(s));
      const [pic] = await decodeFrames(out.video.path);
      boxes.push({ size: [pic.width, pic.height], red: extentOf(pic, (c) => c[0] > 150 && c[1] < 100)!, white: extentOf(pic, (c) => c[0] > 200 && c[1] > 200 && c[2] > 200)! });
    }
    const [full, half] = boxes;
    assert.deepEqual(full.size, [320, 180]);
    assert.deepEqual(half.size, [160, 90]);
    assert.ok(Math.abs(half.red.width - full.red.width / 2) <= 1, `stroked box ${half.red.width} vs ${full.red.width}`);
    assert.ok(Math.abs(half.red.x0 - full.red.x0 / 2) <= 1, `left edge ${half.red.x0} vs ${full.red.x0}`);
    assert.ok(Math.abs(half.red.y0 - full.red.y0 / 2) <= 1, `top edge ${half.red.y0} vs ${full.red.y0}`);
    // The stroke (10 px → 5 px) is what lies between the red edge and the white fill.
    assert.ok(Math.abs((half.white.x0 - half.red.x0) - (full.white.x0 - full.red.x0) / 2) <= 1, 'the stroke width halves');
  });

  test('a scale that leaves a frame side outside 16–3840 px is refused at /output/scale', () => {
    assert.throws(() => validateComposition({ output: { width: 1280, height: 720, scale: 4 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#000' }, start: 0, length: 1 }] }] }),
      (e: MontageError) => e.problems.some((p) => p.pointer === '/output/scale'));
  });
});

describe('output.loudness', () => {
  const comp = (target: number) => ({
    output: { ...TINY, format: 'mp4', duration: 4, loudness: target },
    tracks: [{ clips: [
      { asset: { type: 'video', src: 'rgb.mp4', volume: 0.3 }, start: 0, length: 4 },
      { asset: { type: 'audio', src: 'tone.wav' }, start: 1, length: 3 },
    ] }],
  });
  test('−16 LUFS within ±0.5 LU, true peak ≤ −1 dBTP, the same chunked as unchunked', async () => {
    const one = await h.render('loud-one', comp(-16));
    const two = await renderChunked('loud-two', comp(-16), 2, 'mp4');
    for (const [what, path] of [['unchunked', one.video.path], ['chunked', two]] as const) {
      const m = await loudness(path);
      assert.ok(Math.abs(m.integrated - -16) <= 0.5, `${what}: ${m.integrated} LUFS`);
      assert.ok(m.truePeak <= -1 + 0.2, `${what}: true peak ${m.truePeak} dBTP`);
    }
    const [a, b] = [await loudness(one.video.path), await loudness(two)];
    assert.ok(Math.abs(a.integrated - b.integrated) <= 0.1, `chunked ${b.integrated} vs unchunked ${a.integrated}`);
  });

  test('dynamic sound (loud bursts over a quiet bed, like speech) meets the target as BS.1770 gates it, within ±0.2 LU', async () => {
    // loudnorm's first-pass reading, which the gain once came from, is 0.5–0.6 LU louder than the
    // gated BS.1770 measure on such sound: the mix came out at −16.6 LUFS for −16.
    await ffmpeg('-f', 'lavfi', '-i', "sine=f=300:d=8,volume='if(lt(mod(t,1),0.3),1,0.05)*(0.3+0.1*floor(t))':eval=frame", '-ac', '2', join(h.dir, 'bursts.wav'));
    const out = await h.render('loud-bursts', { output: { format: 'wav', loudness: -16 }, tracks: [{ clips: [{ asset: { type: 'audio', src: 'bursts.wav' }, start: 0, length: 8 }] }] });
    const m = await loudness(out.video.path);
    assert.ok(Math.abs(m.integrated - -16) <= 0.2, `${m.integrated} LUFS`);
  });

  test('noise raised 33 dB into the limiter keeps its true peak (4× oversampled) at or below −1 dBTP, and meets the target', async () => {
    // The limiter once worked on 48 kHz samples: their peaks stayed at −1.5 dBFS while the peaks
    // between them read −0.8 dBTP.
    await ffmpeg('-f', 'lavfi', '-i', "anoisesrc=d=6:c=pink:a=0.05:r=48000:seed=7,volume=eval=frame:volume='0.3+0.7*abs(sin(t*3))'", '-ac', '2', join(h.dir, 'quiet-noise.wav'));
    const out = await h.render('loud-noise', { output: { format: 'wav', loudness: -9 }, tracks: [{ clips: [{ asset: { type: 'audio', src: 'quiet-noise.wav' }, start: 0, length: 6 }] }] });
    const m = await loudness(out.video.path);
    assert.ok(m.truePeak <= -1, `true peak ${m.truePeak} dBTP`);
    // The limiting lowers the loudness (−9.7 LUFS from one gain): the gain is raised by what it took.
    assert.ok(Math.abs(m.integrated - -9) <= 0.3, `${m.integrated} LUFS`);
  });

  test('a mix that sums past full scale is measured as it is, not clipped: a quiet target is met', async () => {
    // Three tones at volume 2 peak near +9 dBFS together; the measuring pass, written as 16-bit PCM,
    // clipped them and read them quieter, so −23 LUFS came out at −18.2.
    for (const f of [220, 330, 440]) await ffmpeg('-f', 'lavfi', '-i', `sine=f=${f}:r=48000:d=3,volume=6`, '-ac', '2', '-c:a', 'pcm_f32le', join(h.dir, `hot-${f}.wav`));
    const clips = [220, 330, 440].map((f) => ({ asset: { type: 'audio', src: `hot-${f}.wav`, volume: 2 }, start: 0, length: 3 }));
    const out = await h.render('loud-hot-mix', { output: { format: 'wav', loudness: -23 }, tracks: clips.map((c) => ({ clips: [c] })) });
    const m = await loudness(out.video.path);
    assert.ok(Math.abs(m.integrated - -23) <= 0.2, `${m.integrated} LUFS`);
  });

  test('a loud target that would clip is limited to −1 dBTP', async () => {
    const out = await h.render('loud-limited', { ...comp(-6), output: { ...comp(-6).output, format: 'wav' } });
    const m = await loudness(out.video.path);
    assert.ok(m.truePeak <= -0.8, `true peak ${m.truePeak} dBTP`);
  });
});
