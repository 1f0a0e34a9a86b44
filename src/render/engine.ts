/**
 * The render engine: the one implementation of the RenderEngine port. Prepares the timeline
 * (I/O), plans (pure), runs ffmpeg, then makes the poster and thumbnail from the result.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { ChunkRange, CompositionSummary, JoinJob, RenderEngine, RenderJob, RenderOutputs, RenderedFile } from '../ports/render-engine.ts';
import type { Composition } from '../composition/schema.ts';
import { validateComposition } from '../composition/validate-composition.ts';
import { summarizeComposition } from '../composition/summarize-composition.ts';
import { inputGuardArgs } from '../assets/ffmpeg-input-policy.ts';
import { probeKeyframes } from '../assets/probe-keyframes.ts';
import { runFfprobe } from '../assets/run-ffprobe.ts';
import type { ReadKeyframes } from './source-keyframes.ts';
import { prepareTimeline } from './prepare-timeline.ts';
import { glyphWarnings } from './raster/glyph-warnings.ts';
import { planRender } from './plan-render.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { runFfmpeg } from './run-ffmpeg.ts';
import { withinTimeLimit } from './render-deadline.ts';
import { createContentHashes } from './content-hashes.ts';
import { ENGINE_VERSION } from './engine-version.ts';
import { rememberInputs } from './remembered-inputs.ts';
import { CHUNKABLE, planChunked, planJoin, splitRange } from './chunk-plan.ts';
import { graphThreads } from './filter-threads.ts';
import { autoChunkCount } from './auto-chunks.ts';
import { CONTENT_TYPES, hasAudio, hasVideo, isStill } from './encoder-settings.ts';
import { scaleComposition } from '../composition/scale-composition.ts';
import { exactFps } from './frame-rate.ts';
import type { OutputFormat } from '../composition/schema.ts';
import { sidecarFrameArgs, type SidecarFrame } from './sidecar-frame.ts';
import { isTransparent } from './transparent-output.ts';
import { MontageError } from '../errors/registry.ts';
import { inSpan } from '../telemetry/trace-context.ts';

// The piece cache and loudness measurement load when a render uses them: a plain render starts without them.
const pieceCacheModules = () => Promise.all([import('./render-cached.ts'), import('./render-cached-range.ts')]);
/** Formats the piece cache serves: ProRes (mov) pieces would fill it at ~50 MB a second of 1080p. */
export const CACHEABLE: ReadonlySet<OutputFormat> = new Set(['mp4', 'webm']);
import type { Timeline } from './timeline.ts';

export interface EngineOptions {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** Version that keys cached pieces (default: package.json's). */
  readonly engineVersion?: string;
  /** Overrides the `ffmpeg -version` line that keys cached pieces (tests). */
  readonly ffmpegVersion?: string;
}

/** NAME.EXT → NAME.poster.jpg / NAME.thumbnail.jpg beside it. */
export const sidecarPath = (outputPath: string, kind: 'poster' | 'thumbnail'): string =>
  join(dirname(outputPath), `${basename(outputPath, extname(outputPath))}.${kind}.jpg`);

const fileInfo = async (path: string, contentType: string): Promise<RenderedFile> => ({ path, contentType, bytes: (await stat(path)).size });

export const createRenderEngine = (opts: EngineOptions): RenderEngine => {
  // Digests of the inputs that key cached pieces, kept by file identity for this engine's life.
  const hashFile = createContentHashes();
  return {
  validate(raw, merge, opts) {
    const { composition, warnings } = validateComposition(raw, merge, { filled: opts?.filled });
    return { composition, summary: summarizeComposition(composition, [...warnings, ...glyphWarnings(composition)]) };
  },

  async render(job: RenderJob): Promise<RenderOutputs> {
    const jobSignal = job.signal ?? new AbortController().signal;
    const report = job.onProgress ?? (() => {});
    report({ stage: 'preparing', fraction: 0 });
    // A render that keys pieces needs `ffmpeg -version`: asked now, it runs beside the probes
    // (read once per process; its failure is met where the key is made).
    if (job.pieceCache && !opts.ffmpegVersion) void pieceCacheModules().then(([m]) => m.ffmpegVersion(opts.ffmpegPath)).catch(() => {});
    // A whole render through the piece cache keys its pieces by every input file's hash: each is
    // hashed as soon as it is fetched, beside the probes and the drawing of text, not after them
    // (hashFile shares one read between asks). A range's piece (streams: video) hashes only the
    // files its clips show, and other formats key nothing, so neither hashes here.
    const streams = job.streams ?? 'both';
    const wholeCache = streams === 'both' && CACHEABLE.has(job.composition.output.format ?? 'mp4') ? job.pieceCache : undefined;
    // Probes, keyframe lists and hashes of files an earlier render met unchanged come from the memo.
    const memo = job.inputMemo ? rememberInputs(job.inputMemo, { engineVersion: opts.engineVersion ?? ENGINE_VERSION, ffprobePath: opts.ffprobePath, workDir: job.workDir }) : undefined;
    const hash = memo ? memo.hashFile(hashFile) : hashFile;
    const resolveSrc: RenderJob['resolveSrc'] = wholeCache
      ? async (src, pointer, signal) => {
        const path = await job.resolveSrc(src, pointer, signal);
        hash(path).catch(() => {});
        return path;
      }
      : job.resolveSrc;
    const prepared = await prepareTimeline({ composition: job.composition, resolveSrc, workDir: job.workDir, ffprobePath: opts.ffprobePath, signal: jobSignal, rememberProbe: memo?.probe });
    checkLength(prepared, job.composition, job.maxDurationSeconds);
    // The time limit runs from here: downloads and probes have limits of their own.
    const length = isStill(prepared.format) ? 0 : prepared.range.end - prepared.range.start;
    return withinTimeLimit(job.timeLimit, length, jobSignal, async (signal) => {
      // output.loudness: measure the whole mix first (only when this render has sound).
      const tl = prepared.loudness !== undefined && hasAudio(prepared.format) && streams !== 'video'
        ? { ...prepared, loudnessGain: await inSpan('loudness', async () => (await import('./measure-loudness.ts')).measureLoudnessGain(prepared, prepared.loudness!, { ffmpegPath: opts.ffmpegPath, workDir: job.workDir, signal })) }
        : prepared;

      const started = Date.now();
      const onFraction = (f: number) => {
        const elapsed = (Date.now() - started) / 1000;
        report({ stage: 'rendering', fraction: 0.02 + 0.93 * f, etaSeconds: f > 0.02 ? (elapsed / f) * (1 - f) : undefined });
      };
      const chunks = job.chunks === 'auto' ? autoChunkCount(tl, availableParallelism()) : Math.max(1, Math.floor(job.chunks ?? 1));
      let pieces: RenderOutputs['pieces'];
      // A render in pieces starts each piece's read at a keyframe on its first instant (source-keyframes.ts).
      const probed: ReadKeyframes = (path, spans) => probeKeyframes(path, spans, { ffprobePath: opts.ffprobePath, signal });
      const readKeyframes = memo ? memo.readKeyframes(probed) : probed;
      await inSpan('render', async () => {
        if (wholeCache) {
          const [{ renderCached }] = await pieceCacheModules();
          pieces = await renderCached({
            tl, use: wholeCache, outputPath: job.outputPath, workDir: job.workDir, ffmpegPath: opts.ffmpegPath,
            engineVersion: opts.engineVersion ?? ENGINE_VERSION, ffmpegVersion: opts.ffmpegVersion,
            parallel: typeof job.chunks === 'number' ? job.chunks : undefined, threads: job.threads, rendersAtOnce: job.rendersAtOnce,
            piecesPerProcess: wholeCache.piecesPerProcess, signal, onFraction, hashFile: hash,
            readKeyframes,
          });
        } else if (job.pieceCache && streams === 'video' && (tl.format === 'mp4' || tl.format === 'webm')) {
          const [, { renderCachedRange }] = await pieceCacheModules();
          const r = await renderCachedRange({
            tl, use: job.pieceCache, outputPath: job.outputPath, workDir: job.workDir, ffmpegPath: opts.ffmpegPath,
            engineVersion: opts.engineVersion ?? ENGINE_VERSION, ffmpegVersion: opts.ffmpegVersion, threads: job.threads, rendersAtOnce: job.rendersAtOnce,
            signal, onFraction, hashFile: hash,
            readKeyframes,
          });
          pieces = { total: 1, reused: r.reused ? 1 : 0, bytesReused: r.bytesReused, keys: [r.key] };
        } else if (streams === 'both' && chunks > 1 && CHUNKABLE.has(tl.format)) {
          await renderChunked(tl, job, chunks, onFraction, signal, opts.ffmpegPath);
        } else {
          const plan = planRender(tl, { outputPath: job.outputPath, workDir: job.workDir, threads: job.threads, filterThreads: graphThreads(job), streams, gifPlaysOnce: job.gifPlaysOnce });
          await runFfmpeg({ ffmpegPath: opts.ffmpegPath, args: buildFfmpegArgs(plan), sideFiles: plan.sideFiles, durationSeconds: plan.duration, onProgress: onFraction, signal });
        }
      }, { attributes: { 'montage.format': tl.format, 'montage.frames': Math.round((tl.range.end - tl.range.start) * tl.frame.fps), 'montage.streams': streams } });
      if (streams !== 'both') {
        const file = await fileInfo(job.outputPath, streams === 'audio' ? (tl.format === 'mp4' ? 'audio/mp4' : 'audio/webm') : CONTENT_TYPES[tl.format]);
        report({ stage: 'finalizing', fraction: 1 });
        return { video: file, summary: timelineSummary(tl), ...(pieces ? { pieces } : {}) };
      }
      report({ stage: 'finalizing', fraction: 0.96 });
      const extras = await inSpan('poster', () => sidecars(opts.ffmpegPath, job.composition, job.outputPath, tl.format, tl.range.end - tl.range.start, tl.frame.fps, signal));
      const video = await fileInfo(job.outputPath, CONTENT_TYPES[tl.format]);
      report({ stage: 'finalizing', fraction: 1 });
      return { video, ...extras, summary: timelineSummary(tl), ...(pieces ? { pieces } : {}) };
    });
  },

  async planChunks(job): Promise<readonly ChunkRange[]> {
    const signal = job.signal ?? new AbortController().signal;
    const tl = await prepareTimeline({ composition: job.composition, resolveSrc: job.resolveSrc, workDir: job.workDir, ffprobePath: opts.ffprobePath, signal });
    checkLength(tl, job.composition, job.maxDurationSeconds);
    if (job.pieceGrid && CHUNKABLE.has(tl.format)) {
      const { defaultPieceSeconds, fixedPieceGrid } = await import('./piece-grid.ts');
      const g = job.pieceGrid;
      const seconds = g.seconds ?? Math.min(defaultPieceSeconds(tl.frame), g.atMostSeconds ?? Infinity);
      return fixedPieceGrid(tl, seconds).map((r) => ({ index: r.index, start: r.start, length: r.end - r.start, frames: r.frames }));
    }
    const parts = CHUNKABLE.has(tl.format) ? Math.max(1, Math.floor(job.parts)) : 1;
    return splitRange(tl, parts).map((r) => ({ index: r.index, start: r.start, length: r.end - r.start, frames: r.frames }));
  },

  async join(job: JoinJob): Promise<RenderOutputs> {
    const signal = job.signal ?? new AbortController().signal;
    const out = job.composition.output;
    const format = out.format ?? 'mp4';
    if (!CHUNKABLE.has(format)) throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Only mp4, webm and mov renders are joined from parts, not ${format}.`);
    const plan = planJoin(format, job.parts, job.audio, job.outputPath, job.workDir);
    const fps = out.fps ?? 30;
    const duration = (await Promise.all(job.parts.map((p) => probeDuration(opts.ffprobePath, p, signal)))).reduce((a, b) => a + b, 0);
    await runFfmpeg({ ffmpegPath: opts.ffmpegPath, args: plan.args, sideFiles: [{ path: plan.listPath, content: plan.list }], durationSeconds: duration, signal });
    const extras = await sidecars(opts.ffmpegPath, job.composition, job.outputPath, format, duration, fps, signal);
    return {
      video: await fileInfo(job.outputPath, CONTENT_TYPES[format]),
      ...extras,
      summary: { duration, width: scaleComposition(job.composition).output.width ?? 1280, height: scaleComposition(job.composition).output.height ?? 720, fps: exactFps(fps), format, warnings: [] },
    };
  },
  };
};

/**
 * The duration limit once `"auto"` lengths are resolved from the probes: a 2 s file whose header
 * claims 10 hours would otherwise turn a submit-time 0 s into a 10-hour render.
 */
const checkLength = (tl: Timeline, c: Composition, max: number | undefined): void => {
  const length = tl.range.end - tl.range.start;
  if (max === undefined || isStill(tl.format) || length <= max) return;
  const autos = c.tracks.flatMap((t, ti) => t.clips.flatMap((clip, ci) => (clip.length === 'auto' ? [`/tracks/${ti}/clips/${ci}/length`] : [])));
  const detail = `makes the video ${Math.round(length)} s long once the sources are probed; this service renders at most ${max} s. Give the length in seconds or set output.duration.`;
  throw new MontageError('MONTAGE_E_LIMIT_EXCEEDED', `The video would last ${Math.round(length)} s; this service renders at most ${max} s.`,
    { problems: (autos.length ? autos : ['/output/duration']).map((pointer) => ({ pointer, detail })) });
};

/** The poster and thumbnail the composition asks for, cut from the finished output. */
const sidecars = async (
  ffmpegPath: string, c: Composition, outputPath: string, format: OutputFormat, length: number, fps: number, signal: AbortSignal,
): Promise<{ poster?: RenderedFile; thumbnail?: RenderedFile }> => {
  const out = c.output;
  const lastFrame = Math.max(0, length - 1 / fps);
  const transparent = isTransparent(c.background ?? '#000000');
  let poster: RenderedFile | undefined;
  let thumbnail: RenderedFile | undefined;
  if (out.poster && hasVideo(format) && !isStill(format)) {
    const path = sidecarPath(outputPath, 'poster');
    await extractFrame(ffmpegPath, { src: outputPath, dst: path, time: Math.min(out.poster.time, lastFrame), format, transparent }, signal);
    poster = await fileInfo(path, 'image/jpeg');
  }
  if (out.thumbnail && hasVideo(format)) {
    const path = sidecarPath(outputPath, 'thumbnail');
    await extractFrame(ffmpegPath, {
      src: outputPath, dst: path, time: isStill(format) ? 0 : Math.min(out.thumbnail.time, lastFrame), width: out.thumbnail.width, format, transparent,
    }, signal);
    thumbnail = await fileInfo(path, 'image/jpeg');
  }
  return { poster, thumbnail };
};

/** Seconds of a file we rendered ourselves, from its container. */
const probeDuration = async (ffprobePath: string, path: string, signal: AbortSignal): Promise<number> => {
  const r = await runFfprobe(['-v', 'error', ...inputGuardArgs(), '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { ffprobePath, signal });
  if (!r.ok) throw r.error;
  const d = Number(r.stdout.trim());
  if (!Number.isFinite(d)) throw new MontageError('MONTAGE_E_RENDER_FAILED', `A rendered part has no duration: ${basename(path)}.`);
  return d;
};

const timelineSummary = (tl: Timeline): CompositionSummary => ({
  duration: isStill(tl.format) ? 0 : tl.range.end - tl.range.start,
  width: tl.frame.width,
  height: tl.frame.height,
  fps: tl.frame.fps,
  format: tl.format,
  warnings: tl.warnings ?? [],
});

const renderChunked = async (
  tl: Timeline, job: RenderJob, chunks: number, onFraction: (f: number) => void, signal: AbortSignal, ffmpegPath: string,
) => {
  const cores = availableParallelism();
  const threads = job.threads ?? Math.max(1, Math.floor(cores / chunks));
  const plan = planChunked(tl, { outputPath: job.outputPath, workDir: job.workDir, parts: chunks, threads, filterThreads: graphThreads(job, chunks, cores) });
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

/** One JPEG frame of a rendered output (sidecar-frame.ts). */
const extractFrame = (ffmpegPath: string, frame: SidecarFrame, signal: AbortSignal) =>
  runFfmpeg({ ffmpegPath, signal, durationSeconds: 0, args: sidecarFrameArgs(frame) });
