/**
 * `output.loudness`: two-pass EBU R128 normalization of the whole mix. The first pass measures
 * the mix of the whole timeline (measure-loudness.ts); the second applies one linear gain to it,
 * and a true-peak limiter only where that gain would push peaks above −1 dBTP. One gain for the
 * whole timeline, whatever range is rendered, so chunked and range renders match the whole.
 */
import { num } from './easing.ts';

/** The ceiling for true peaks (dBTP), and the limiter's sample-peak ceiling below it. */
export const TRUE_PEAK_CEILING = -1;
const LIMITER_CEILING_DB = -1.5;

export interface LoudnessMeasure {
  /** Integrated loudness of the mix, LUFS (−Infinity for silence). */
  readonly integrated: number;
  /** True peak of the mix, dBTP. */
  readonly truePeak: number;
}

/** The gain to apply and whether peaks then need limiting; undefined for a silent mix. */
export interface LoudnessGain { readonly gainDb: number; readonly limit: boolean }

export const loudnessGain = (target: number, m: LoudnessMeasure): LoudnessGain | undefined => {
  if (!Number.isFinite(m.integrated) || m.integrated < -70) return undefined;
  const gainDb = target - m.integrated;
  return { gainDb, limit: m.truePeak + gainDb > TRUE_PEAK_CEILING };
};

/** The filters applied to the final mix (`anull` when there is nothing to do). */
export const loudnessFilters = (g: LoudnessGain | undefined): string[] => {
  if (!g) return ['anull'];
  const filters = [`volume=${num(g.gainDb)}dB`];
  // alimiter limits sample peaks; the 0.5 dB below the ceiling covers inter-sample peaks.
  if (g.limit) filters.push(`alimiter=limit=${num(10 ** (LIMITER_CEILING_DB / 20))}:level=0:attack=1:release=50`);
  return filters;
};

/** loudnorm's first-pass JSON (printed last on stderr) as a measurement. */
export const parseLoudnormJson = (stderr: string): LoudnessMeasure => {
  const start = stderr.lastIndexOf('{');
  const j = JSON.parse(stderr.slice(start, stderr.indexOf('}', start) + 1)) as { input_i: string; input_tp: string };
  const n = (s: string) => (s === '-inf' ? -Infinity : Number(s));
  return { integrated: n(j.input_i), truePeak: n(j.input_tp) };
};
