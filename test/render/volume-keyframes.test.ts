/**
 * (1.1) `volume` keyframes multiply a clip's volume over time: a steady 440 Hz tone (amplitude 0.2)
 * with volume 0.8 and keys 1 → 0.25 (at 1 s, easeInQuad) → 2 (at 2 s) is measured in 100 ms windows
 * and compared with the curve, whole and in a range that starts part-way (the keys keep clip time).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodeAudio, sineDb, toneDb } from '../support/audio-levels.ts';
import { toneWav } from '../support/media-fixtures.ts';
import { ease } from '../../src/render/easing.ts';

const h = createRenderHarness('volume-keyframes');
after(() => h.dispose());
before(async () => { await toneWav(h.dir, 'tone.wav', { freq: 440, seconds: 3, amplitude: 0.2 }); });

const KEYS = [{ time: 0, value: 1, easing: 'easeInQuad' }, { time: 1, value: 0.25 }, { time: 2, value: 2 }];
const gain = (t: number) => 0.8 * (t < 1 ? 1 - 0.75 * ease('easeInQuad', t) : t < 2 ? 0.25 + 1.75 * (t - 1) : 2);
const composition = (range?: object) => ({
  output: { format: 'wav', ...(range ? { range } : {}) },
  tracks: [{ clips: [{ asset: { type: 'audio', src: 'tone.wav', volume: 0.8 }, start: 0.5, length: 2.5, keyframes: { volume: KEYS } }] }],
});

test('the tone\'s level follows the keyframed volume (within 0.5 dB), whole and from a range', async () => {
  const whole = await decodeAudio((await h.render('whole', composition())).video.path);
  const part = await decodeAudio((await h.render('part', composition({ start: 1.3, length: 1.7 }))).video.path);
  for (const t of [0.1, 0.5, 0.8, 1.2, 1.5, 1.8, 2.2]) {
    const want = sineDb(0.2 * gain(t));
    const got = toneDb(whole, 440, 0.5 + t - 0.05, 0.5 + t + 0.05);
    assert.ok(Math.abs(got - want) < 0.5, `clip time ${t} s: ${got.toFixed(2)} dB, the curve says ${want.toFixed(2)} dB`);
    if (0.5 + t >= 1.35) {
      const fromPart = toneDb(part, 440, 0.5 + t - 0.05 - 1.3, 0.5 + t + 0.05 - 1.3);
      assert.ok(Math.abs(fromPart - got) < 0.3, `the range render agrees at ${t} s: ${fromPart.toFixed(2)} vs ${got.toFixed(2)} dB`);
    }
  }
});

test('an easing that overshoots the keys (easeInOutBack, 0 → 2) is held within 0–2: never a negative, inverted gain', async () => {
  // The signed gain in a 50 ms window: the output projected on the source tone, so that an
  // inverted sound reads negative (its level alone would look right).
  const clip = (keyframes?: object) => ({ output: { format: 'wav' }, tracks: [{ clips: [{ asset: { type: 'audio', src: 'tone.wav' }, start: 0, length: 2, ...(keyframes ? { keyframes } : {}) }] }] });
  const out = await decodeAudio((await h.render('overshoot', clip({ volume: [{ time: 0, value: 0, easing: 'easeInOutBack' }, { time: 2, value: 2 }] }))).video.path);
  const ref = await decodeAudio((await h.render('overshoot-ref', clip())).video.path);
  const signedGain = (t: number) => {
    const [s, e] = [Math.round((t - 0.025) * 48000), Math.round((t + 0.025) * 48000)];
    let [dot, norm] = [0, 0];
    for (let i = s; i < e; i++) { dot += out.samples[i] * ref.samples[i]; norm += ref.samples[i] * ref.samples[i]; }
    return dot / norm;
  };
  for (const t of [0.3, 0.5]) {
    assert.ok(2 * ease('easeInOutBack', t / 2) < -0.1, 'the curve itself dips below 0 here');
    assert.ok(Math.abs(signedGain(t)) < 0.02, `silent where the curve dips below 0, at ${t} s: gain ${signedGain(t).toFixed(3)}`);
  }
  assert.ok(2 * ease('easeInOutBack', 0.85) > 2.1 && Math.abs(signedGain(1.7) - 2) < 0.03, `held at 2 where the curve rises past it: ${signedGain(1.7).toFixed(3)}`);
});

test('a fast keyframed fade rises smoothly (1 ms steps, no 21 ms stairs) and a hold jumps on time', async () => {
  // Keys 0 → 1 over 0.1 s (clip time 0.2–0.3), then hold 1 until 0.7, where it jumps to 0.25.
  const keys = [{ time: 0.2, value: 0 }, { time: 0.3, value: 1, easing: 'hold' }, { time: 0.7, value: 0.25 }];
  const out = await decodeAudio((await h.render('fast-fade', { output: { format: 'wav', duration: 1.5 }, tracks: [{ clips: [{ asset: { type: 'audio', src: 'tone.wav' }, start: 0.3, length: 1.2, keyframes: { volume: keys } }] }] })).video.path);
  // The gain read as the RMS of five periods of the tone (11.4 ms).
  const period = Math.round(48000 / 440 * 5);
  const rms = (at: number) => {
    const s = Math.round(at * 48000);
    let e = 0;
    for (let i = s; i < s + period; i++) e += out.samples[i] ** 2;
    return Math.sqrt(e / period) * Math.SQRT2 / 0.2; // as a gain
  };
  // Along the ramp (timeline 0.5–0.6), the gain at each step of 5 ms matches the line within 0.04;
  // in 21 ms stairs it was up to 0.2 off.
  for (let t = 0.51; t < 0.58; t += 0.005) {
    const want = (t + 0.0057 - 0.5) / 0.1; // the window's middle
    assert.ok(Math.abs(rms(t) - want) < 0.04, `gain at ${t.toFixed(3)} s: ${rms(t).toFixed(3)}, the line says ${want.toFixed(3)}`);
  }
  assert.ok(Math.abs(rms(0.985) - 1) < 0.03 && Math.abs(rms(1.003) - 0.25) < 0.03, `the hold jumps at 1.0 s: ${rms(0.985).toFixed(3)} → ${rms(1.003).toFixed(3)}`);
});
