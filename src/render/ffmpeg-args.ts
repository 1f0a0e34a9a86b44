/**
 * RenderPlan → the ffmpeg argument vector. Every input is preceded by the input policy (local
 * files only, ordinary demuxers only); progress goes to stdout as key=value lines.
 */
import { inputGuardArgs } from '../assets/ffmpeg-input-policy.ts';
import type { RenderPlan } from './plan-render.ts';

export const buildFfmpegArgs = (plan: RenderPlan): string[] => [
  '-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats',
  ...plan.inputs.flatMap((i) => [...inputGuardArgs(), ...i.options, '-i', i.path]),
  ...(plan.filterThreads ? ['-filter_complex_threads', String(plan.filterThreads)] : []),
  '-filter_complex_script', plan.graphPath,
  ...plan.outputArgs,
];
