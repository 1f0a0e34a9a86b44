/**
 * A sound played `speed` times as fast, pitch kept (ffmpeg's `atempo`, WSOLA), and on time.
 *
 * atempo takes 0.5–2 per instance (it skips sound above 2 in ffmpeg 5.1), so 0.25–4 chains two.
 * Each instance also plays its input early: about ATEMPO_LEAD seconds of its input (measured
 * 14–19 ms over 0.5–2 with click trains), so at speed 0.5 a video's sound led its picture by 28 ms
 * and at 0.25 by 73 ms. Silence of that length, carried through the chain, is put before the sound,
 * and the chain eats it: what plays at the clip's start is the source at `trim` again (within
 * ±11 ms over 0.25–4, measured by the onset of clicks; docs/composition-choices.md, Sound, "Speed").
 */
import { num } from './easing.ts';

const SAMPLE_RATE = 48000;

/** How much of its input one atempo instance plays early, in seconds of that input. */
export const ATEMPO_LEAD = 0.014;

/** The atempo factors for `speed`: each within 0.5–2. */
export const tempoFactors = (speed: number): number[] => {
  const out: number[] = [];
  let s = speed;
  while (s > 2) { out.push(2); s /= 2; }
  while (s < 0.5) { out.push(0.5); s /= 0.5; }
  if (Math.abs(s - 1) > 1e-9) out.push(s);
  return out;
};

/**
 * Seconds of silence to put before the chain's input so that its output is on time: the chain's
 * output is early by Σ ATEMPO_LEAD / (product of the factors from that instance on).
 */
export const tempoLead = (factors: readonly number[]): number => {
  let early = 0; // seconds of output, after each instance
  for (const f of factors) early = (early + ATEMPO_LEAD) / f;
  return early * factors.reduce((p, f) => p * f, 1); // in seconds of input
};

/** The filters that play a 48 kHz sound starting at 0 `speed` times as fast, on time. */
export const tempoFilters = (speed: number): string[] => {
  const factors = tempoFactors(speed);
  if (factors.length === 0) return [];
  const lead = Math.round(tempoLead(factors) * SAMPLE_RATE);
  return [`adelay=delays=${lead}S:all=1`, ...factors.map((f) => `atempo=${num(f)}`)];
};
