/**
 * Timeline → RenderPlan: everything one ffmpeg invocation needs (inputs, filter graph, output
 * arguments, side files), as plain data. Golden tests pin plans; only run-ffmpeg.ts executes them.
 */
import { FilterGraph, type PlanInput, type SideFile } from './filter-graph.ts';
import { clipWindows, planVisualClip, type VisualLayer } from './plan-visual-clip.ts';
import { CoveringTiles } from './covering-tiles.ts';
import { planAudio } from './plan-audio.ts';
import { blendOver } from './look/blend.ts';
import { audioCodecArgs, audioTimingFilters, colourTagFilters, gopFrames, hasAudio, hasVideo, isVideoContainer, muxerArgs, videoCodecArgs } from './encoder-settings.ts';
import { num } from './easing.ts';
import { rateOf, timeBaseDen } from './frame-rate.ts';
import { loudnessFilters } from './loudness.ts';
import { MIX_CEILING_FILTER } from './mix-ceiling.ts';
import { baseLayer, finalFormat, isTransparent } from './transparent-output.ts';
import { gifFinalDelay, planGifOutput } from './gif-output.ts';
import { workingPixels } from './working-pixels.ts';
import type { Timeline, TimelineClip } from './timeline.ts';
import type { OutputFormat } from '../composition/schema.ts';

export interface RenderPlan {
  readonly inputs: readonly PlanInput[];
  /** The filter graph, also written to `graphPath` (passed with -filter_complex_script). */
  readonly filterGraph: string;
  readonly graphPath: string;
  readonly outputArgs: readonly string[];
  readonly outputPath: string;
  readonly sideFiles: readonly SideFile[];
  /** Seconds of media the output holds, for progress. */
  readonly duration: number;
  /** Exact number of video frames written, when there is video. */
  readonly frames?: number;
  /** Threads of the filter graph (PlanOptions.filterThreads); ffmpeg's default, one a core, when unset. */
  readonly filterThreads?: number;
}

export interface PlanOptions {
  readonly outputPath: string;
  /** Scratch directory for side files (plain path characters only). */
  readonly workDir: string;
  /** Which streams to produce; default: what the output format holds. */
  readonly streams?: 'both' | 'video' | 'audio';
  /** Encode as this format instead of the timeline's (chunk parts, intermediate audio). */
  readonly format?: OutputFormat;
  /** Encoder threads per process (ffmpeg's default when unset). */
  readonly threads?: number;
  /**
   * Filter graph threads per process, where several processes share the cores (chunk parts, piece
   * processes): slice threads beyond the process's share only wait on each other. ffmpeg's default
   * (one a core) when unset.
   */
  readonly filterThreads?: number;
  /** A GIF that plays once instead of looping (RenderJob.gifPlaysOnce). */
  readonly gifPlaysOnce?: boolean;
  /** Name prefix for side files, so several plans can share one work directory. */
  readonly name?: string;
  /**
   * Cut the video into consecutive pieces, each with its own encoder and file, in one ffmpeg
   * process (the graph is built and the sources decoded once): piece i holds the `frames` frames
   * after those of the pieces before it, and starts at timestamp 0. Each encoder sees only its own
   * piece's frames, so a piece's bytes are those a plan of its range alone would give (piece cache,
   * src/render/render-cached.ts). `outputPath` and `streams` are then ignored.
   */
  readonly pieces?: readonly PlanPiece[];
  /** With `pieces`: also mix the audio of this range (the whole timeline) into this file, in the same process. */
  readonly piecesAudio?: { readonly range: { readonly start: number; readonly end: number }; readonly outputPath: string };
  /**
   * Draw every cover-fitted box whole instead of the window the frame shows (visible-window.ts,
   * source-window.ts): the reference picture that tests and benchmarks compare the cut with.
   */
  readonly wholeBoxes?: boolean;
  /**
   * The mix as it sums (output.loudness's measuring pass): without the ceiling, and as 32-bit float
   * PCM, which holds it above full scale where 16-bit clipped it and read it quieter than it is.
   */
  readonly rawMix?: boolean;
  /**
   * Overlay every layer onto the background, full-frame opaque stills too (no covering tiles,
   * covering-tiles.ts): the reference picture that tests compare the tiles with.
   */
  readonly overlayEveryLayer?: boolean;
}

export interface PlanPiece { readonly frames: number; readonly outputPath: string }

/** Captions become one layer per cue, each placed like a text clip of the cue's duration. */
const expandCaptions = (clip: TimelineClip): TimelineClip[] =>
  (clip.cues ?? []).flatMap((cue, i) => {
    const start = clip.start + cue.start;
    const end = Math.min(clip.start + clip.length, clip.start + cue.end);
    if (end <= start) return [];
    return [{
      ...clip,
      id: `${clip.id}q${i}`,
      start,
      length: end - start,
      raster: { path: cue.path, width: cue.width, height: cue.height },
      cues: undefined,
      transitionIn: undefined,
      transitionOut: undefined,
      effect: undefined,
      keyframes: {},
    }];
  });

const isVisual = (c: TimelineClip) => c.asset.type !== 'audio';

export const planRender = (tl: Timeline, opts: PlanOptions): RenderPlan => {
  const format = opts.format ?? tl.format;
  const name = opts.name ?? 'main';
  const graph = new FilterGraph(opts.workDir, workingPixels(format));
  const { width: W, height: H, fps: F } = tl.frame;
  const len = tl.range.end - tl.range.start;
  const pieces = opts.pieces;
  const wantVideo = hasVideo(format) && (pieces !== undefined || opts.streams !== 'audio');
  const wantAudio = hasAudio(format) && (pieces ? opts.piecesAudio !== undefined : opts.streams !== 'video');
  const out: string[] = [];
  let frames: number | undefined;

  if (wantVideo) {
    frames = Math.max(1, Math.round(len * F));
    const tbDen = timeBaseDen(F);
    const transparent = isTransparent(tl.background);
    const base = baseLayer(tl.background, graph.pixels);
    // An odd-sized frame drawn in 4:2:0 (a format's working pixels that allows odd sides are RGB,
    // working-pixels.ts; this is a guard) is composited on a canvas one pixel larger, and cut at
    // the end: 4:2:0 frames round an odd side down.
    const even = graph.pixels.evenGrid;
    const canvas = { ...tl.frame, width: even ? W + (W % 2) : W, height: even ? H + (H % 2) : H };
    const cutToFrame = canvas.width !== W || canvas.height !== H ? [`crop=w=${W}:h=${H}:x=0:y=0:exact=1`] : [];
    const background = (n: number) => [
      `color=c=${base.colour}:s=${canvas.width}x${canvas.height}:r=${rateOf(F)}`,
      `trim=end_frame=${n}`, `format=${base.pix}`, `settb=1/${tbDen}`, 'setpts=N*1000',
    ];
    const baseAt = graph.chains.length;
    let prev = graph.chain([], background(frames), 'base');
    // Full-frame opaque stills are the picture where they show, with no background beneath
    // (covering-tiles.ts): not under a transparent background (its alpha is the output's), and not
    // on a canvas larger than the frame.
    let tiles: CoveringTiles | undefined = !opts.overlayEveryLayer && !transparent && cutToFrame.length === 0 ? new CoveringTiles(graph) : undefined;
    const endTiles = () => {
      if (!tiles) return;
      if (tiles.empty) tiles = undefined;
      else {
        // The background is drawn only between the stretches, if anywhere.
        graph.chains[baseAt] = '';
        prev = tiles.join(frames!, tbDen, background);
        tiles = undefined;
      }
    };
    const overlayOnto = (under: string, layer: VisualLayer) => graph.chain([under, layer.label], [
      `overlay=x='${layer.x}':y='${layer.y}':eof_action=pass:repeatlast=0:format=${graph.pixels.overlay}`,
    ], graph.label('v'));
    const layers = tl.clips.filter(isVisual).flatMap((c) => (c.asset.type === 'captions' && !c.sequence ? expandCaptions(c) : [c]));
    for (const clip of layers) {
      for (const window of clipWindows(clip)) {
        const layer = planVisualClip(clip, { frame: tl.frame, range: tl.range, graph, wholeBoxes: opts.wholeBoxes }, window);
        if (!layer) continue;
        if (tiles && !layer.under && !layer.blend) {
          if (layer.covers ? tiles.cover(layer.label, layer.frames) : tiles.drawInside(layer.frames, (under) => overlayOnto(under, layer))) continue;
        }
        endTiles();
        for (const under of layer.under ?? []) {
          prev = graph.chain([prev, under.label], [`overlay=x='${under.x}':y='${under.y}':eof_action=pass:repeatlast=0:format=${graph.pixels.overlay}`], graph.label('v'));
        }
        if (layer.blend) {
          prev = blendOver(graph, prev, { ...layer, ...layer.blend }, canvas, transparent);
          continue;
        }
        prev = overlayOnto(prev, layer);
      }
    }
    endTiles();
    if (format === 'gif') {
      planGifOutput(graph, prev, { quality: tl.quality, transparent, frames, cut: cutToFrame, size: { width: W, height: H } });
    } else if (pieces) {
      const split = pieces.map((_, i) => `psplit${i}`);
      graph.chain([prev], [...cutToFrame, finalFormat(format, transparent), ...colourTagFilters(format), `split=${pieces.length}`], split);
      let first = 0;
      pieces.forEach((p, i) => {
        graph.chain([split[i]], [`trim=start_frame=${first}:end_frame=${first + p.frames}`, 'setpts=PTS-STARTPTS'], `piece${i}`);
        out.push('-map', `[piece${i}]`, ...videoCodecArgs(format, tl.quality, opts.threads, gopFrames(F), transparent),
          '-frames:v', String(p.frames), '-r', rateOf(F), ...muxerArgs(format), p.outputPath);
        first += p.frames;
      });
    } else {
      graph.chain([prev], [...cutToFrame, finalFormat(format, transparent), ...colourTagFilters(format)], 'vout');
    }
    // The graph already ends after exactly `frames` frames (the base is trimmed). -frames:v would
    // close the whole output when reached, cutting the audio short, so it is kept for silent outputs.
    if (!pieces) out.push('-map', '[vout]', ...videoCodecArgs(format, tl.quality, opts.threads, gopFrames(F), transparent), ...(wantAudio ? [] : ['-frames:v', String(frames)]));
    if (!pieces && isVideoContainer(format)) out.push('-r', rateOf(F));
    if (format === 'gif') out.push(...gifFinalDelay(frames, F, len));
  }
  if (wantAudio) {
    const a = planAudio(pieces && opts.piecesAudio ? { ...tl, range: opts.piecesAudio.range } : tl, graph);
    graph.chain([a], [...loudnessFilters(tl.loudnessGain), ...(opts.rawMix ? [] : [MIX_CEILING_FILTER, ...audioTimingFilters(format)])], 'aout');
    out.push('-map', '[aout]', ...(opts.rawMix ? ['-c:a', 'pcm_f32le', '-ar', '48000', '-ac', '2'] : audioCodecArgs(format, tl.quality)));
  }
  if (pieces && opts.piecesAudio) out.push(...muxerArgs(format), opts.piecesAudio.outputPath);
  else if (!pieces) out.push(...muxerArgs(format, { gifPlaysOnce: opts.gifPlaysOnce }), opts.outputPath);

  const filterGraph = graph.toString();
  const graphPath = `${opts.workDir}/${name}.graph.txt`;
  return {
    inputs: graph.inputs,
    filterGraph,
    graphPath,
    outputArgs: out,
    outputPath: opts.outputPath,
    sideFiles: [...graph.sideFiles, { path: graphPath, content: filterGraph }],
    duration: pieces && opts.piecesAudio ? opts.piecesAudio.range.end - opts.piecesAudio.range.start : len,
    frames,
    ...(opts.filterThreads ? { filterThreads: opts.filterThreads } : {}),
  };
};
