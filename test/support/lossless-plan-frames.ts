/**
 * Test support: a render plan's graph run with its encoder swapped for lossless FFV1, and the frames
 * decoded to RGB, so two plans (a cut and its whole-box reference) can be compared pixel for pixel
 * without x264 in between.
 */
import { buildFfmpegArgs } from '../../src/render/ffmpeg-args.ts';
import { runFfmpeg } from '../../src/render/run-ffmpeg.ts';
import type { RenderPlan } from '../../src/render/plan-render.ts';
import { decodeFrames, type Picture } from './decoded-pictures.ts';
import { FFMPEG } from './ffmpeg-tools.ts';

/** The frames of `plan`'s video, written losslessly to `out` (.mkv) and decoded. */
export const losslessPlanFrames = async (plan: RenderPlan, out: string): Promise<Picture[]> => {
  const args = buildFfmpegArgs(plan);
  const at = args.indexOf('[vout]');
  const frames = args.indexOf('-frames:v', at);
  const lossless = [...args.slice(0, at + 1), ...(frames > 0 ? args.slice(frames, frames + 2) : []), '-c:v', 'ffv1', '-f', 'matroska', '-y', out];
  await runFfmpeg({ ffmpegPath: FFMPEG, args: lossless, sideFiles: plan.sideFiles, durationSeconds: plan.duration });
  return decodeFrames(out);
};
