/**
 * The first pass of `output.loudness`: mix the sound of the whole timeline (the same plan as any
 * audio render, so the measure is of exactly what will be normalized) and measure it with
 * ffmpeg's ebur128 filter (BS.1770 integrated loudness and true peak).
 */
import { execFile } from 'node:child_process';
import { inputGuardArgs } from '../assets/ffmpeg-input-policy.ts';
import { MontageError } from '../errors/registry.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { loudnessGain, parseEbur128Summary, type LoudnessGain } from './loudness.ts';
import { planRender } from './plan-render.ts';
import { runFfmpeg } from './run-ffmpeg.ts';
import type { Timeline } from './timeline.ts';

export const measureLoudnessGain = async (
  tl: Timeline, target: number, opts: { ffmpegPath: string; workDir: string; signal: AbortSignal },
): Promise<LoudnessGain | undefined> => {
  const path = `${opts.workDir}/loudness-pass1.wav`;
  const plan = planRender({ ...tl, range: { start: 0, end: tl.duration }, loudnessGain: undefined }, {
    outputPath: path, workDir: opts.workDir, streams: 'audio', format: 'wav', name: 'loudness-pass1', rawMix: true,
  });
  await runFfmpeg({ ffmpegPath: opts.ffmpegPath, args: buildFfmpegArgs(plan), sideFiles: plan.sideFiles, durationSeconds: plan.duration, signal: opts.signal });
  const stderr = await new Promise<string>((resolve, reject) => {
    execFile(opts.ffmpegPath, ['-hide_banner', '-nostdin', '-nostats', ...inputGuardArgs(), '-i', path,
      '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], { maxBuffer: 1 << 22, signal: opts.signal },
    (err, _out, errText) => (err ? reject(new MontageError('MONTAGE_E_RENDER_FAILED', 'Measuring the loudness of the mix failed.', { cause: err })) : resolve(String(errText))));
  });
  try {
    return loudnessGain(target, parseEbur128Summary(stderr));
  } catch (cause) {
    throw new MontageError('MONTAGE_E_RENDER_FAILED', 'Measuring the loudness of the mix failed.', { cause });
  }
};
