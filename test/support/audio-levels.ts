/**
 * Sound of a rendered file as samples, and its level in a time window: overall (RMS, in dBFS) or of
 * one frequency (Goertzel), so a test can tell the soundtrack's tone from a clip's under a mix.
 */
import { ffmpeg } from './ffmpeg-tools.ts';

export interface DecodedAudio {
  readonly rate: number;
  /** Mono (the channels averaged), float −1…1. */
  readonly samples: Float32Array;
  /** Seconds. */
  readonly duration: number;
}

export const decodeAudio = async (path: string, rate = 48000): Promise<DecodedAudio> => {
  const b = await ffmpeg('-i', path, '-map', '0:a:0', '-f', 'f32le', '-ac', '1', '-ar', String(rate), '-');
  const copy = Buffer.from(b); // aligned for Float32Array
  const samples = new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
  return { rate, samples, duration: samples.length / rate };
};

const window = (a: DecodedAudio, start: number, end: number): Float32Array => {
  const s = Math.max(0, Math.round(start * a.rate));
  const e = Math.min(a.samples.length, Math.round(end * a.rate));
  if (e - s < 16) throw new RangeError(`window ${start}–${end} s is outside the ${a.duration.toFixed(3)} s of audio`);
  return a.samples.subarray(s, e);
};

const db = (x: number) => (x <= 1e-10 ? -200 : 20 * Math.log10(x));

/** RMS level of [start, end) seconds in dBFS (a full-scale sine is −3 dB; silence −200). */
export const rmsDb = (a: DecodedAudio, start: number, end: number): number => {
  const w = window(a, start, end);
  let s = 0;
  for (const x of w) s += x * x;
  return db(Math.sqrt(s / w.length));
};

/** Level of one frequency in [start, end) seconds, as the RMS (dBFS) of a sine of that amplitude. */
export const toneDb = (a: DecodedAudio, freq: number, start: number, end: number): number => {
  const w = window(a, start, end);
  const k = (2 * Math.PI * freq) / a.rate;
  let re = 0;
  let im = 0;
  for (let n = 0; n < w.length; n++) { re += w[n] * Math.cos(k * n); im -= w[n] * Math.sin(k * n); }
  const amplitude = (2 * Math.hypot(re, im)) / w.length;
  return db(amplitude / Math.SQRT2);
};

/** Level of a sine of peak `amplitude` in dBFS RMS, for expectations. */
export const sineDb = (amplitude: number): number => db(amplitude / Math.SQRT2);
