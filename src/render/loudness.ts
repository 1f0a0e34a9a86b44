/**
 * `output.loudness`: two-pass EBU R128 normalization of the whole mix. The first pass measures
 * the mix of the whole timeline (measure-loudness.ts); the second applies one linear gain to it,
 * and a true-peak limiter only where that gain would push peaks above −1 dBTP. One gain for the
 * whole timeline, whatever range is rendered, so chunked and range renders match the whole.
 * Where the limiter is needed, measure-loudness.ts measures the limited mix again and raises the
 * gain by what the limiting took off.
 */
import { num } from './easing.ts';

/** The ceiling for true peaks (dBTP), and the limiter's ceiling below it (at 4× the sample rate). */
export const TRUE_PEAK_CEILING = -1;
const LIMITER_CEILING_DB = -1.5;
/** BS.1770's true peak is the peak of the signal oversampled 4×: the limiter works at that rate. */
const OVERSAMPLED_RATE = 4 * 48000;

export interface LoudnessMeasure {
  /** Integrated loudness of the mix, LUFS (−Infinity for silence). */
  readonly integrated: number;
  /** True peak of the mix, dBTP. */
  readonly truePeak: number;
}

/** The gain to apply and whether peaks then need limiting; undefined for a silent mix. */
export interface LoudnessGain { readonly gainDb: number; readonly limit: boolean }

export const loudnessGain = (target: number, m: LoudnessMeasure): LoudnessGain | undefined => {
  // ebur128 reads −70 LUFS, its floor, for silence and for sound too short to measure (< 0.4 s).
  if (!Number.isFinite(m.integrated) || m.integrated <= -70) return undefined;
  const gainDb = target - m.integrated;
  return { gainDb, limit: m.truePeak + gainDb > TRUE_PEAK_CEILING };
};

/** The filters applied to the final mix (`anull` when there is nothing to do). */
export const loudnessFilters = (g: LoudnessGain | undefined): string[] => {
  if (!g) return ['anull'];
  const filters = [`volume=${num(g.gainDb)}dB`];
  // alimiter limits sample peaks: at 48 kHz the peaks between samples passed it (pink noise
  // limited to −1.5 dBFS read −0.8 dBTP), so it limits the 4× oversampled signal, which is what
  // a true-peak meter reads; the 0.5 dB below the ceiling covers the resampling back to 48 kHz.
  // `latency=1` takes out its look-ahead delay (the attack), which put the sound 1 ms late.
  if (g.limit) {
    filters.push(`aresample=${OVERSAMPLED_RATE}`, `alimiter=limit=${num(10 ** (LIMITER_CEILING_DB / 20))}:level=0:attack=1:release=50:latency=1`, 'aresample=48000');
  }
  return filters;
};

/**
 * The integrated loudness and true peak from the summary that ffmpeg's `ebur128` filter prints at
 * the end (0.1 LU steps). Its integrated loudness is BS.1770's gated measure; loudnorm's first-pass
 * `input_i` read 0.5–0.6 LU louder than it on dynamic sound (speech-like bursts, a keyframed fade),
 * so a normalized mix missed its target by that much as every BS.1770 meter reads it.
 */
export const parseEbur128Summary = (stderr: string): LoudnessMeasure => {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const value = (re: RegExp) => {
    const m = re.exec(summary);
    if (!m) throw new Error('no ebur128 summary in the output');
    return m[1] === '-inf' ? -Infinity : Number(m[1]);
  };
  return { integrated: value(/\bI:\s+(-inf|-?[\d.]+) LUFS/), truePeak: value(/True peak:\s+Peak:\s+(-inf|-?[\d.]+) dBFS/) };
};
