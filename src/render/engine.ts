/**
 * The render engine: the one implementation of the RenderEngine port. Prepares the timeline
 * (I/O), plans (pure), runs ffmpeg, then makes the poster and thumbnail from the result.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { CompositionSummary, RenderEngine, RenderJob, RenderOutputs, RenderedFile } from '../ports/render-engine.ts';
import { validateComposition } from '../composition/validate-composition.ts';
import { summarizeComposition } from '../composition/summarize-composition.ts';
import { inputGuardArgs } from '../assets/ffmpeg-input-policy.ts';
import { prepareTimeline } from './prepare-timeline.ts';
import { planRender } from './plan-render.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { runFfmpeg } from './run-ffmpeg.ts';
import { CHUNKABLE, planChunked } from './chunk-plan.ts';
import { CONTENT_TYPES, hasVideo, isStill } from './encoder-settings.ts';
import { num } from './easing.ts';
import type { Timeline } from './timeline.ts';

export interface EngineOptions {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
}

/** NAME.EXT → NAME.poster.jpg / NAME.thumbnail.jpg beside it. */
export const sidecarPath = (outputPath: string, kind: 'poster' | 'thumbnail'): string =>
  join(dirname(outputPath), `${basename(outputPath, extname(outputPath))}.${kind}.jpg`);

const fileInfo = async (path: string, contentType: string): Promise<RenderedFile> => ({ path, contentType, bytes: (await stat(path)).size });

export const createRenderEngine = (opts: EngineOptions): RenderEngine => ({
  validate(raw, merge) {
    const { composition, warnings } = validateComposition(raw, merge);
    return { composition, summary: summarizeComposition(composition, warnings) };
  },

  async render(job: RenderJob): Promise<RenderOutputs> {
    const signal = job.signal ?? new AbortController().signal;
    const report = job.onProgress ?? (() => {});
    report({ stage: 'preparing', fraction: 0 });
    const tl = await prepareTimeline({ composition: job.composition, resolveSrc: job.resolveSrc, workDir: job.workDir, ffprobePath: opts.ffprobePath, signal });

    const started = Date.now();
    const onFraction = (f: number) => {
      const elapsed = (Date.now() - started) / 1000;
      report({ stage: 'rendering', fraction: 0.02 + 0.93 * f, etaSeconds: f > 0.02 ? (elapsed / f) * (1 - f) : undefined });
    };
    const chunks = Math.max(1, Math.floor(job.chunks ?? 1));
    if (chunks > 1 && CHUNKABLE.has(tl.format)) {
      await renderChunked(tl, job, chunks, onFraction, signal, opts.ffmpegPath);
    } else {
      const plan = planRender(tl, { outputPath: job.outputPath, workDir: job.workDir, threads: job.threads });
      await runFfmpeg({ ffmpegPath: opts.ffmpegPath, args: buildFfmpegArgs(plan), sideFiles: plan.sideFiles, durationSeconds: plan.duration, onProgress: onFraction, signal });
    }

    report({ stage: 'finalizing', fraction: 0.96 });
    const out = job.composition.output;
    const len = tl.range.end - tl.range.start;
    const lastFrame = Math.max(0, len - 1 / tl.frame.fps);
    let poster: RenderedFile | undefined;
    let thumbnail: RenderedFile | undefined;
    if (out.poster && hasVideo(tl.format) && !isStill(tl.format)) {
      const path = sidecarPath(job.outputPath, 'poster');
      await extractFrame(opts.ffmpegPath, job.outputPath, path, Math.min(out.poster.time, lastFrame), undefined, signal);
      poster = await fileInfo(path, 'image/jpeg');
    }
    if (out.thumbnail && hasVideo(tl.format)) {
      const path = sidecarPath(job.outputPath, 'thumbnail');
      await extractFrame(opts.ffmpegPath, job.outputPath, path, isStill(tl.format) ? 0 : Math.min(out.thumbnail.time, lastFrame), out.thumbnail.width, signal);
      thumbnail = await fileInfo(path, 'image/jpeg');
    }
    const video = await fileInfo(job.outputPath, CONTENT_TYPES[tl.format]);
    report({ stage: 'finalizing', fraction: 1 });
    return { video, poster, thumbnail, summary: timelineSummary(tl) };
  },
});

const timelineSummary = (tl: Timeline): CompositionSummary => ({
  duration: isStill(tl.format) ? 0 : tl.range.end - tl.range.start,
  width: tl.frame.width,
  height: tl.frame.height,
  fps: tl.frame.fps,
  format: tl.format,
  warnings: [],
});

const renderChunked = async (
  tl: Timeline, job: RenderJob, chunks: number, onFraction: (f: number) => void, signal: AbortSignal, ffmpegPath: string,
) => {
  const threads = job.threads ?? Math.max(1, Math.floor(availableParallelism() / chunks));
  const plan = planChunked(tl, { outputPath: job.outputPath, workDir: job.workDir, parts: chunks, threads });
  const totalFrames = plan.parts.reduce((a, p) => a + (p.frames ?? 0), 0);
  const done = plan.parts.map(() => 0);
  const sum = () => done.reduce((a, b) => a + b, 0);
  // Abort the siblings as soon as one part fails, so a failure never waits for the slowest part.
  const local = new AbortController();
  const onAbort = () => local.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all([
      ...plan.parts.map((p, i) => runFfmpeg({
        ffmpegPath, args: buildFfmpegArgs(p), sideFiles: p.sideFiles, durationSeconds: p.duration, signal: local.signal,
        onProgress: (f) => { done[i] = f * (p.frames ?? 0); onFraction((0.97 * sum()) / totalFrames); },
      })),
      plan.audio && runFfmpeg({ ffmpegPath, args: buildFfmpegArgs(plan.audio), sideFiles: plan.audio.sideFiles, durationSeconds: plan.audio.duration, signal: local.signal }),
    ].map((p) => Promise.resolve(p).catch((e) => { local.abort(); throw e; })));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  await runFfmpeg({
    ffmpegPath, args: plan.join.args, sideFiles: [{ path: plan.join.listPath, content: plan.join.list }],
    durationSeconds: tl.range.end - tl.range.start, signal, onProgress: (f) => onFraction(0.97 + 0.03 * f),
  });
};

/** One JPEG frame of a rendered output, full size or scaled to `width` (height follows, even). */
const extractFrame = (ffmpegPath: string, src: string, dst: string, time: number, width: number | undefined, signal: AbortSignal) =>
  runFfmpeg({
    ffmpegPath, signal, durationSeconds: 0,
    args: ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...inputGuardArgs(), '-ss', num(time), '-i', src,
      ...(width ? ['-vf', `scale=${width}:-2`] : []), '-frames:v', '1', '-q:v', '2', '-update', '1', '-f', 'image2', dst],
  });
