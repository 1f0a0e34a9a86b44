/**
 * Sound: the soundtrack (trim, volume, loop, fades, ducking) and each clip's own sound (trim, speed,
 * volume, fades, muted), measured on the rendered file. Most renders are WAV (lossless, fast); tones
 * of known frequency tell the sources apart in the mix (Goertzel), and levels are compared in dB.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentVideo, toneSequenceWav, toneWav } from '../support/media-fixtures.ts';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodeAudio, rmsDb, sineDb, toneDb, type DecodedAudio } from '../support/audio-levels.ts';
import { probeOutput } from '../support/probe-output.ts';

const h = createRenderHarness('audio');
after(() => h.dispose());

const A = 0.25; // every tone's peak amplitude
const LEVEL = sineDb(A); // ≈ −15 dBFS
const SILENT = -60;

before(async () => {
  await toneWav(h.dir, 'music.wav', { freq: 220, seconds: 4, amplitude: A });
  await toneWav(h.dir, 'voice.wav', { freq: 1000, seconds: 1, amplitude: A });
  // 0.5 s at 220 Hz then 0.5 s at 330 Hz: which half plays shows where a loop or trim begins.
  await toneSequenceWav(h.dir, 'two-halves.wav', [[220, 0.5, A], [330, 0.5, A]]);
  // 1 s at 220 Hz then 1 s at 330 Hz.
  await toneSequenceWav(h.dir, 'two-seconds.wav', [[220, 1, A], [330, 1, A]]);
  // 3 s of video with a 440 Hz tone in its first second only.
  await segmentVideo(h.dir, 'beep.mp4', { width: 160, height: 90, colours: ['#ff0000', '#00ff00', '#0000ff'], tone: 440, toneLevels: [A, 0, 0] });
});

/** Renders a WAV of `duration` seconds: the soundtrack and clips given. */
const wav = async (name: string, opts: { soundtrack?: object; clips?: object[]; duration: number }): Promise<DecodedAudio> => {
  const out = await h.render(name, {
    output: { ...TINY, format: 'wav', duration: opts.duration },
    ...(opts.soundtrack ? { soundtrack: opts.soundtrack } : {}),
    tracks: [{ clips: opts.clips ?? [{ asset: { type: 'color', color: '#000000' }, start: 0, length: opts.duration }] }],
  });
  const a = await decodeAudio(out.video.path);
  assert.ok(Math.abs(a.duration - opts.duration) < 0.002, `the sound lasts the ${opts.duration} s of the timeline: ${a.duration}`);
  return a;
};
const near = (actual: number, expected: number, what: string, tolerance = 1) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(2)} dB, expected ${expected.toFixed(2)} ± ${tolerance}`);

describe('soundtrack', () => {
  test('plays under the whole timeline at its own level', async () => {
    const a = await wav('st-plain', { soundtrack: { src: 'music.wav' }, duration: 2 });
    near(toneDb(a, 220, 0.1, 0.9), LEVEL, 'first second');
    near(toneDb(a, 220, 1.1, 1.9), LEVEL, 'second second');
  });

  test('volume scales it (0.5 = −6 dB)', async () => {
    const a = await wav('st-volume', { soundtrack: { src: 'music.wav', volume: 0.5 }, duration: 1 });
    near(toneDb(a, 220, 0.1, 0.9), LEVEL - 6.02, 'half volume');
  });

  test('trim starts it later in the file', async () => {
    const a = await wav('st-trim', { soundtrack: { src: 'two-seconds.wav', trim: 1 }, duration: 1 });
    near(toneDb(a, 330, 0.1, 0.9), LEVEL, 'the second half of the file from the start');
    assert.ok(toneDb(a, 220, 0.1, 0.9) < LEVEL - 30, 'not the first half');
  });

  test('loops by default to fill the timeline', async () => {
    const a = await wav('st-loop', { soundtrack: { src: 'two-halves.wav' }, duration: 2.5 });
    near(toneDb(a, 220, 1.05, 1.45), LEVEL, 'the first half again at 1 s');
    near(toneDb(a, 330, 1.55, 1.95), LEVEL, 'the second half again at 1.5 s');
    near(toneDb(a, 220, 2.05, 2.45), LEVEL, 'and a third pass at 2 s');
  });

  test('with trim, later passes play the whole file', async () => {
    const a = await wav('st-loop-trim', { soundtrack: { src: 'two-halves.wav', trim: 0.5 }, duration: 1.5 });
    near(toneDb(a, 330, 0.05, 0.45), LEVEL, 'the trimmed first pass');
    near(toneDb(a, 220, 0.55, 0.95), LEVEL, 'the second pass from the start of the file');
    near(toneDb(a, 330, 1.05, 1.45), LEVEL, 'then its second half');
  });

  test('loop: false plays once, then silence', async () => {
    const a = await wav('st-once', { soundtrack: { src: 'two-halves.wav', loop: false }, duration: 2 });
    near(toneDb(a, 330, 0.55, 0.95), LEVEL, 'the file plays');
    assert.ok(rmsDb(a, 1.05, 1.95) < SILENT, `silence after it: ${rmsDb(a, 1.05, 1.95)}`);
  });

  test('is cut at the end of the timeline', async () => {
    const a = await wav('st-cut', { soundtrack: { src: 'music.wav' }, duration: 1 });
    near(toneDb(a, 220, 0.8, 0.99), LEVEL, 'plays to the very end');
  });

  test('fadeIn rises from silence over the timeline\'s start', async () => {
    const a = await wav('st-fade-in', { soundtrack: { src: 'music.wav', fadeIn: 1 }, duration: 2 });
    const steps = [[0, 0.1], [0.2, 0.3], [0.45, 0.55], [0.7, 0.8]].map(([s, e]) => toneDb(a, 220, s, e));
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] > steps[i - 1] + 1, `rises: ${steps.map((d) => d.toFixed(1))}`);
    assert.ok(steps[0] < LEVEL - 15, 'starts near silence');
    near(toneDb(a, 220, 0.45, 0.55), LEVEL - 6.02, 'half the amplitude half way (linear)', 1);
    near(toneDb(a, 220, 1.1, 1.9), LEVEL, 'full level after it');
  });

  test('fadeOut falls to silence at the timeline\'s end, not at the end of each loop', async () => {
    const a = await wav('st-fade-out', { soundtrack: { src: 'two-halves.wav', fadeOut: 0.5 }, duration: 2 });
    near(toneDb(a, 330, 0.6, 0.95), LEVEL, 'the first pass ends at full level');
    near(toneDb(a, 220, 1.05, 1.45), LEVEL, 'the second pass starts at full level');
    const steps = [[1.5, 1.6], [1.7, 1.8], [1.9, 2]].map(([s, e]) => toneDb(a, 330, s, e));
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] < steps[i - 1] - 1, `falls: ${steps.map((d) => d.toFixed(1))}`);
    assert.ok(steps[2] < LEVEL - 12, 'nearly silent at the end');
  });
});

describe('ducking', () => {
  const voice = { asset: { type: 'audio', src: 'voice.wav' }, start: 1, length: 1 };
  test('duck multiplies the soundtrack while a clip speaks (0.25 = −12 dB), ramping around it', async () => {
    const a = await wav('duck', { soundtrack: { src: 'music.wav', duck: 0.25 }, clips: [voice], duration: 3 });
    near(toneDb(a, 220, 0.1, 0.7), LEVEL, 'full before the voice');
    near(toneDb(a, 220, 1.05, 1.95), LEVEL + 20 * Math.log10(0.25), 'ducked while it speaks', 1);
    near(toneDb(a, 1000, 1.05, 1.95), LEVEL, 'the voice at its own level');
    // The ramp begins 0.25 s before the voice, so the music is already down when it starts…
    const early = toneDb(a, 220, 0.8, 0.9);
    assert.ok(early > LEVEL - 11 && early < LEVEL - 1, `going down before the voice: ${early.toFixed(1)}`);
    near(toneDb(a, 220, 1.0, 1.1), LEVEL - 12.04, 'fully ducked as the voice begins', 1);
    // …and recovers over 0.25 s after it ends.
    near(toneDb(a, 220, 2.3, 2.9), LEVEL, 'recovered after it');
    const mid = toneDb(a, 220, 2.08, 2.17);
    assert.ok(mid > LEVEL - 11 && mid < LEVEL - 1, `part way back during the ramp: ${mid.toFixed(1)}`);
  });

  test('a video clip with sound ducks it; a muted one does not', async () => {
    const video = (muted: boolean) => ({ asset: { type: 'video', src: 'beep.mp4', muted }, start: 1, length: 1 });
    const loud = await wav('duck-video', { soundtrack: { src: 'music.wav', duck: 0.25 }, clips: [video(false)], duration: 2.5 });
    near(toneDb(loud, 220, 1.05, 1.95), LEVEL - 12.04, 'ducked under the video\'s sound', 1);
    const muted = await wav('duck-muted', { soundtrack: { src: 'music.wav', duck: 0.25 }, clips: [video(true)], duration: 2.5 });
    near(toneDb(muted, 220, 1.05, 1.95), LEVEL, 'not ducked under a muted video');
  });

  test('without duck the soundtrack and a clip simply add, each at its own level', async () => {
    const a = await wav('no-duck', { soundtrack: { src: 'music.wav' }, clips: [voice], duration: 2.5 });
    near(toneDb(a, 220, 1.05, 1.95), LEVEL, 'the music, unchanged under the voice');
    near(toneDb(a, 1000, 1.05, 1.95), LEVEL, 'the voice, not normalized down');
  });
});

describe('audio clip', () => {
  const clip = (asset: object, extra: object = {}) => ({ asset: { type: 'audio', ...asset }, start: 0.5, length: 1, ...extra });
  test('plays from its start for its length', async () => {
    const a = await wav('clip-plain', { clips: [clip({ src: 'two-seconds.wav' })], duration: 2 });
    assert.ok(rmsDb(a, 0, 0.45) < SILENT, 'silent before');
    near(toneDb(a, 220, 0.55, 1.45), LEVEL, 'the file from its start');
    assert.ok(rmsDb(a, 1.55, 2) < SILENT, 'silent after its length');
  });
  test('trim skips into the file', async () => {
    const a = await wav('clip-trim', { clips: [clip({ src: 'two-seconds.wav', trim: 1 })], duration: 2 });
    near(toneDb(a, 330, 0.55, 1.45), LEVEL, 'the second second of the file');
  });
  test('volume scales it (2 = +6 dB, 0.5 = −6 dB)', async () => {
    const a = await wav('clip-volume', { clips: [clip({ src: 'voice.wav', volume: 2 }, { start: 0 }), clip({ src: 'music.wav', volume: 0.5 }, { start: 0 })], duration: 1 });
    near(toneDb(a, 1000, 0.1, 0.9), LEVEL + 6.02, 'volume 2');
    near(toneDb(a, 220, 0.1, 0.9), LEVEL - 6.02, 'volume 0.5');
  });
  test('speed 2 plays it in half the time ("auto" length halves), at the same pitch', async () => {
    const out = await h.render('clip-speed', { output: { ...TINY, format: 'wav' }, tracks: [{ clips: [{ asset: { type: 'audio', src: 'two-seconds.wav', speed: 2 }, start: 0, length: 'auto' }] }] });
    assert.equal(out.summary.duration, 1);
    const a = await decodeAudio(out.video.path);
    near(toneDb(a, 220, 0.05, 0.45), LEVEL, 'the first second of the file in the first half second', 1.5);
    near(toneDb(a, 330, 0.55, 0.95), LEVEL, 'the second in the second', 1.5);
  });
  test('fadeIn and fadeOut ramp the clip\'s own start and end', async () => {
    const a = await wav('clip-fades', { clips: [clip({ src: 'music.wav', fadeIn: 0.4, fadeOut: 0.4 }, { start: 0, length: 2 })], duration: 2 });
    near(toneDb(a, 220, 0.18, 0.22), LEVEL - 6.02, 'half way up at 0.2 s', 1.5);
    near(toneDb(a, 220, 0.6, 1.4), LEVEL, 'full between the fades');
    near(toneDb(a, 220, 1.78, 1.82), LEVEL - 6.02, 'half way down at 1.8 s', 1.5);
    assert.ok(toneDb(a, 220, 1.95, 2) < LEVEL - 15, 'nearly silent at its end');
    assert.ok(toneDb(a, 220, 0, 0.05) < LEVEL - 15, 'nearly silent at its start');
  });

  test('fadeOut ends where the sound does when the source runs out before the clip', async () => {
    // voice.wav lasts 1 s; the clip 2 s: the fade once fell at 1.6–2 s, after the sound had stopped.
    const a = await wav('clip-fade-short', { clips: [clip({ src: 'voice.wav', fadeOut: 0.4 }, { start: 0, length: 2 })], duration: 2 });
    near(toneDb(a, 1000, 0.1, 0.5), LEVEL, 'full before the fade');
    near(toneDb(a, 1000, 0.78, 0.82), LEVEL - 6.02, 'half way down at 0.8 s', 1.5);
    assert.ok(toneDb(a, 1000, 0.95, 1) < LEVEL - 15, 'nearly silent as the source ends');
  });
});

describe('video clip sound', () => {
  const beep = (asset: object = {}, extra: object = {}) => ({ asset: { type: 'video', src: 'beep.mp4', ...asset }, start: 0, length: 2, ...extra });
  test('is heard where the source has it', async () => {
    const a = await wav('video-sound', { clips: [beep()], duration: 2 });
    near(toneDb(a, 440, 0.1, 0.9), LEVEL, 'the source\'s first second', 1);
    assert.ok(rmsDb(a, 1.1, 1.9) < SILENT, 'the silent second stays silent');
  });
  test('muted drops it', async () => {
    const a = await wav('video-muted', { clips: [beep({ muted: true })], duration: 2 });
    assert.ok(rmsDb(a, 0, 2) < -90, `silent: ${rmsDb(a, 0, 2)}`);
  });
  test('volume scales it', async () => {
    const a = await wav('video-volume', { clips: [beep({ volume: 0.5 })], duration: 2 });
    near(toneDb(a, 440, 0.1, 0.9), LEVEL - 6.02, 'half volume', 1);
  });
  test('trim moves the sound with the picture', async () => {
    const a = await wav('video-trim', { clips: [beep({ trim: 0.5 })], duration: 2 });
    near(toneDb(a, 440, 0.05, 0.45), LEVEL, 'the rest of the tone', 1);
    assert.ok(rmsDb(a, 0.6, 1.4) < SILENT, 'silence from 0.5 s');
  });
  test('speed 2 plays the sound in half the time', async () => {
    const a = await wav('video-speed', { clips: [beep({ speed: 2 }, { length: 1.5 })], duration: 1.5 });
    near(toneDb(a, 440, 0.05, 0.45), LEVEL, 'the tone for its first half second', 1.5);
    assert.ok(rmsDb(a, 0.6, 1.4) < SILENT, 'silence after 0.5 s');
  });
  test('in an MP4 the sound is AAC, 48 kHz stereo, as long as the picture', async () => {
    const out = await h.render('video-mp4', { output: TINY, tracks: [{ clips: [beep()] }] });
    const p = await probeOutput(out.video.path);
    assert.equal(p.audio?.codec_name, 'aac');
    assert.equal(p.audio?.sample_rate, '48000');
    assert.equal(p.audio?.channels, 2);
    assert.ok(Math.abs(Number(p.audio?.duration) - Number(p.video?.duration)) < 0.05, `audio ${p.audio?.duration} s, video ${p.video?.duration} s`);
    const a = await decodeAudio(out.video.path);
    near(toneDb(a, 440, 0.1, 0.9), LEVEL, 'the tone survives AAC', 1.5);
  });
});

describe('the mix', () => {
  test('loud sounds that together pass full scale are limited, not clipped; a mix within it is untouched', async () => {
    // Three tones peaking at −2.5 dBFS each sum to +6 dBFS: a WAV clipped them hard (a sixth of the
    // samples flat at full scale, the distortion only 16 dB below the tones).
    for (const f of [220, 330, 440]) await toneWav(h.dir, `hot-${f}.wav`, { freq: f, seconds: 3, amplitude: 0.75 });
    const clip = (f: number) => ({ asset: { type: 'audio', src: `hot-${f}.wav` }, start: 0, length: 3 });
    const a = await wav('mix-hot', { clips: [clip(220), clip(330), clip(440)], duration: 3 });
    const tones = [220, 330, 440].reduce((p, f) => p + 10 ** (toneDb(a, f, 0.5, 2.5) / 10), 0);
    const total = 10 ** (rmsDb(a, 0.5, 2.5) / 10);
    const residual = 10 * Math.log10(Math.max(total - tones, 1e-12) / total);
    assert.ok(residual < -30, `what is not the three tones (distortion): ${residual.toFixed(1)} dB below the mix`);
    // One tone alone, within full scale, keeps its exact level.
    const one = await wav('mix-one', { clips: [clip(220)], duration: 3 });
    near(toneDb(one, 220, 0.5, 2.5), sineDb(0.75), 'a tone within full scale', 0.05);
  });
});
