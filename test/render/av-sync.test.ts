/**
 * Picture and sound stay together: a source whose white flash and beep start at the same instant
 * is placed with trims and speeds that put the event between output frames, at NTSC and PAL rates,
 * whole and in chunks. The beep must start where the timeline says (to the sample), and the flash
 * on the first output frame at or after it (never a frame early, never later than one frame).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpeg, ffprobe } from '../support/ffmpeg-tools.ts';
import { createRenderHarness } from '../support/render-harness.ts';
import { createLocalSrcResolver } from '../../src/cli/local-src-resolver.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { EMPTY_ALLOW_LIST } from '../../src/assets/allow-list.ts';
import { decodeFrames, luma, patch } from '../support/decoded-pictures.ts';
import { decodeAudio } from '../support/audio-levels.ts';
import { exactFps } from '../../src/render/frame-rate.ts';

const h = createRenderHarness('av-sync');
after(() => h.dispose());

/** In flash.mp4 (30 fps, AAC): frames 30–32 are white, and a 1 kHz beep sounds over [1, 1.1) s. */
const EVENT = 1;

before(async () => {
  await ffmpeg(
    '-f', 'lavfi', '-i', "color=black:s=160x90:r=30:d=3,drawbox=c=white:t=fill:enable='between(t,1,1.09)'",
    '-f', 'lavfi', '-i', "aevalsrc='if(between(t,1,1.1),0.5*sin(2*PI*1000*t),0)':s=48000:d=3",
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', join(h.dir, 'flash.mp4'),
  );
  // A 10 ms click of 1 kHz every 0.5 s, for 8 s.
  await ffmpeg('-f', 'lavfi', '-i', "aevalsrc='if(lt(mod(t,0.5),0.01),0.5*sin(2*PI*1000*t),0)':s=48000:d=8", join(h.dir, 'clicks.wav'));
});

/** Where each clip's event lands on the timeline: start + (EVENT − trim) / speed. */
const CLIPS = [
  { asset: { type: 'video', src: 'flash.mp4', trim: 0.3 }, start: 0.5, length: 2 },
  { asset: { type: 'video', src: 'flash.mp4', trim: 0.5, speed: 0.5 }, start: 2.5, length: 1.5 },
];
const EVENTS = [0.5 + (EVENT - 0.3), 2.5 + (EVENT - 0.5) / 0.5];

const render = async (name: string, fps: number, chunks: number) => {
  const { composition } = h.engine.validate({ output: { width: 160, height: 90, fps, quality: 'draft' }, tracks: [{ clips: CLIPS }] });
  const workDir = mkdtempSync(join(h.dir, `work-${name}-`));
  const outputPath = join(h.dir, `${name}.mp4`);
  await h.engine.render({ composition, workDir, outputPath, chunks, resolveSrc: createLocalSrcResolver({ baseDir: h.dir, workDir, fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }) }) });
  return outputPath;
};

/** The frame indices where the picture turns white. */
const flashes = async (path: string): Promise<number[]> => {
  const white = (await decodeFrames(path)).map((f) => luma(patch(f, 80, 45)) > 128);
  return white.flatMap((w, i) => (w && !white[i - 1] ? [i] : []));
};

/** The times (s) where the sound rises above a tenth of full scale after at least 0.2 s below it. */
const beeps = async (path: string): Promise<number[]> => {
  const a = await decodeAudio(path);
  const out: number[] = [];
  let last = -Infinity;
  a.samples.forEach((x, i) => {
    if (Math.abs(x) < 0.1) return;
    if (i - last > 0.2 * a.rate) out.push(i / a.rate);
    last = i;
  });
  return out;
};

describe('a flash and its beep stay together', () => {
  for (const [fps, chunks] of [[29.97, 1], [23.976, 1], [25, 1], [29.97, 3]] as const) {
    test(`at ${fps} fps${chunks > 1 ? `, in ${chunks} chunks` : ''}: each flash is on the first frame at or after its beep`, async () => {
      const out = await render(`sync-${fps}-${chunks}`, fps, chunks);
      const F = exactFps(fps);
      const expectedFrames = EVENTS.map((t) => Math.ceil(t * F - 1e-6));
      assert.deepEqual(await flashes(out), expectedFrames, `flash frames at ${fps} fps (events at ${EVENTS.join(', ')} s)`);
      const b = await beeps(out);
      assert.equal(b.length, EVENTS.length, `one beep per event: ${b.join(', ')}`);
      assert.ok(Math.abs(b[0] - EVENTS[0]) < 0.001, `beep at ${b[0].toFixed(4)} s, expected ${EVENTS[0]} s`);
    });
  }
});

describe('a sound played faster or slower stays on time', () => {
  // atempo (WSOLA) played its input early: a click at speed 0.25 sounded 70 ms before its place,
  // 28 ms at 0.5, 15 ms at 4. Each click's energy centroid is compared with where it belongs.
  for (const [speed, tolerance] of [[0.25, 0.015], [0.5, 0.006], [2, 0.006], [4, 0.007]] as const) {
    test(`speed ${speed}: the clicks sound where start + (source time − trim) / speed puts them (mean within ${tolerance * 1000} ms)`, async () => {
      const [start, trim] = [0.3, 0.25];
      const length = Math.min(7.5 / speed, 16);
      const out = await h.render(`clicks-${speed}`, {
        output: { format: 'wav', duration: start + length },
        tracks: [{ clips: [{ asset: { type: 'audio', src: 'clicks.wav', speed, trim }, start, length }] }],
      });
      const a = await decodeAudio(out.video.path);
      const shifts: number[] = [];
      for (let s = 0.5; start + (s + 0.3 - trim) / speed < start + length; s += 0.5) {
        const at = start + (s + 0.005 - trim) / speed; // the click's middle
        const [lo, hi] = [Math.round((at - 0.2 / speed) * a.rate), Math.round((at + 0.2 / speed) * a.rate)];
        let [e, et] = [0, 0];
        for (let i = lo; i < hi; i++) { const x = a.samples[i] ** 2; e += x; et += x * i / a.rate; }
        shifts.push(et / e - at);
      }
      const mean = shifts.reduce((x, y) => x + y, 0) / shifts.length;
      assert.ok(shifts.length >= 5, `clicks measured: ${shifts.length}`);
      assert.ok(Math.abs(mean) <= tolerance, `clicks ${(mean * 1000).toFixed(1)} ms from their place on average (${shifts.map((x) => (x * 1000).toFixed(0)).join(', ')})`);
    });
  }
});

test('a video whose sound starts after its picture keeps that gap: the beep stays on the flash', async () => {
  // flash.mp4's sound moved 0.2 s later by stream copy (its audio stream starts at about 0.18 s),
  // with a beep written 0.2 s early: in the file, beep and flash are together at 1 s. The gap was
  // dropped, so the beep played about 180 ms ahead of the flash.
  await ffmpeg('-f', 'lavfi', '-i', "aevalsrc='if(between(t,0.8,0.9),0.5*sin(2*PI*1000*t),0)':s=48000:d=2.8", '-c:a', 'aac', join(h.dir, 'early-beep.m4a'));
  await ffmpeg('-i', join(h.dir, 'flash.mp4'), '-itsoffset', '0.2', '-i', join(h.dir, 'early-beep.m4a'), '-map', '0:v', '-map', '1:a', '-c', 'copy', join(h.dir, 'late-sound.mp4'));
  const { composition } = h.engine.validate({ output: { width: 160, height: 90, fps: 30, quality: 'draft' }, tracks: [{ clips: [{ asset: { type: 'video', src: 'late-sound.mp4' }, start: 0, length: 3 }] }] });
  const out = await h.render('late-sound', composition);
  assert.deepEqual(await flashes(out.video.path), [30]);
  const b = await beeps(out.video.path);
  assert.ok(b.length === 1 && Math.abs(b[0] - 1) < 0.01, `beep at ${b.map((t) => t.toFixed(3)).join(', ')} s, flash at 1 s`);
});

describe('webm: the picture and the sound start together', () => {
  // Opus's pre-skip (6.5 ms) made the muxer start every stream 7 ms late to keep the audio's first
  // timestamp at 0, so the first frame showed 7 ms after the first sound (vp9 start_time 0.007).
  for (const chunks of [1, 2]) {
    test(`${chunks === 1 ? 'whole' : 'in 2 chunks'}: the first frame at 0, the first decoded sound at 0 (within 1 ms)`, async () => {
      // A 44.1 kHz source, resampled to Opus's 48 kHz.
      await ffmpeg('-f', 'lavfi', '-i', 'sine=f=440:d=2:r=44100', '-ac', '2', join(h.dir, 'tone44.wav'));
      const { composition } = h.engine.validate({
        output: { format: 'webm', width: 160, height: 90, fps: 30, quality: 'draft' },
        tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length: 2 }] }, { clips: [{ asset: { type: 'audio', src: 'tone44.wav' }, start: 0, length: 2 }] }],
      });
      const workDir = mkdtempSync(join(h.dir, `work-webm-${chunks}-`));
      const outputPath = join(h.dir, `webm-start-${chunks}.webm`);
      await h.engine.render({ composition, workDir, outputPath, chunks, resolveSrc: createLocalSrcResolver({ baseDir: h.dir, workDir, fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }) }) });
      const firstPts = async (stream: 'v' | 'a') => Number((await ffprobe('-select_streams', stream, '-show_frames', '-read_intervals', '%+#1',
        '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', outputPath)).toString().trim().split('\n')[0]);
      const [v, a] = [await firstPts('v'), await firstPts('a')];
      assert.ok(Math.abs(v) < 0.001, `the first frame at ${v} s`);
      assert.ok(Math.abs(a) < 0.001, `the first sound (after Opus's pre-skip) at ${a} s`);
      const duration = Number((await ffprobe('-show_entries', 'format=duration', '-of', 'csv=p=0', outputPath)).toString());
      assert.ok(duration >= 2 && duration <= 2.025, `the file lasts the timeline (2 s and Opus's last packet): ${duration} s`);
      assert.equal((await decodeAudio(outputPath)).samples.length, 96000, 'every sample of the sound, none more');
    });
  }
});
