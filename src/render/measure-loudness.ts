/**
 * The first pass of `output.loudness`: mix the sound of the whole timeline (the same plan as any
 * audio render, so the measure is of exactly what will be normalized) and measure it with
 * ffmpeg's ebur128 filter (BS.1770 integrated loudness and true peak).
 */
import { execFile } from 'node:child_process';
import { inputGuardArgs } from '../assets/ffmpeg-input-policy.ts';
import { MontageError } from '../errors/registry.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { loudnessGain, parseEbur128Summary, type LoudnessGain, type LoudnessMeasure } from './loudness.ts';
import { planRender } from './plan-render.ts';
import { runFfmpeg } from './run-ffmpeg.ts';
import type { Timeline } from './timeline.ts';

/** Extra passes, where the limiter is needed, that raise the gain by what the limiting took off. */
const MAKEUP_PASSES = 2;
/** Close enough to the target to stop (LU); ebur128 prints 0.1 LU steps. */
const MAKEUP_TOLERANCE = 0.1;

export const measureLoudnessGain = async (
  tl: Timeline, target: number, opts: { ffmpegPath: string; workDir: string; signal: AbortSignal },
): Promise<LoudnessGain | undefined> => {
  let gain = loudnessGain(target, await measureMix(tl, undefined, opts));
  // The limiter lowers the loudness it is given (loud noise raised to −9 LUFS came out at −9.7):
  // measure the limited mix and raise the gain by the shortfall, at most MAKEUP_PASSES times.
  for (let i = 0; gain?.limit && i < MAKEUP_PASSES; i++) {
    const m = await measureMix(tl, gain, opts);
    const short = target - m.integrated;
    if (!Number.isFinite(short) || Math.abs(short) <= MAKEUP_TOLERANCE) break;
    gain = { gainDb: gain.gainDb + short, limit: true };
  }
  return gain;
};

/** The integrated loudness and true peak of the whole timeline's mix, with `gain` applied. */
const measureMix = async (
  tl: Timeline, gain: LoudnessGain | undefined, opts: { ffmpegPath: string; workDir: string; signal: AbortSignal },
): Promise<LoudnessMeasure> => {
  const path = `${opts.workDir}/loudness-pass1.wav`;
  const plan = planRender({ ...tl, range: { start: 0, end: tl.duration }, loudnessGain: gain }, {
    outputPath: path, workDir: opts.workDir, streams: 'audio', format: 'wav', name: 'loudness-pass1', rawMix: !gain,
  });
  await runFfmpeg({ ffmpegPath: opts.ffmpegPath, args: buildFfmpegArgs(plan), sideFiles: plan.sideFiles, durationSeconds: plan.duration, signal: opts.signal });
  const stderr = await new Promise<string>((resolve, reject) => {
    execFile(opts.ffmpegPath, ['-hide_banner', '-nostdin', '-nostats', ...inputGuardArgs(), '-i', path,
      '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], { maxBuffer: 1 << 22, signal: opts.signal },
    (err, _out, errText) => (err ? reject(new MontageError('MONTAGE_E_RENDER_FAILED', 'Measuring the loudness of the mix failed.', { cause: err })) : resolve(String(errText))));
  });
  try {
    return parseEbur128Summary(stderr);
  } catch (cause) {
    throw new MontageError('MONTAGE_E_RENDER_FAILED', 'Measuring the loudness of the mix failed.', { cause });
  }
};
