/**
 * How many parallel parts a render is split into when its caller leaves it to the engine
 * (`chunks: 'auto'`; `montage render` without `--chunks`). Pure: the timeline and the core count in,
 * a number of parts out (1 = one ffmpeg process, as before).
 *
 * Why: ffmpeg 5.1 runs a whole filter graph on one thread. At 720p30 and below, x264 at the
 * product's draft/low/medium presets needs less than the other cores, so a light render's wall time
 * is the graph thread's (ref-a, 12 s of 720p zooms on 2 Xeon cores: graph 2.7 s alone, 4.4–4.8 s
 * with x264, one core half idle). Parts rendered by separate processes, cut on keyframes and joined
 * without re-encoding (chunk-plan.ts), run one graph a core. At 1080p x264 already fills the cores
 * and the parts' duplicated work makes a render slower (ref-b, 60 s 1080p: 0.96× as fast in 2 parts),
 * so larger or higher-rate outputs, and the slower `high` preset, keep one process.
 * docs/benchmarks.md ("ref-a on 2 Intel cores: parts in parallel") has the figures.
 */
import { gopFrames } from './encoder-settings.ts';
import type { Timeline } from './timeline.ts';

/** The largest picture rate (pixels a second) split automatically: 1280×720 at 30 fps. */
export const AUTO_CHUNK_MAX_PIXEL_RATE = 1280 * 720 * 30;
/** Each automatic part is at least this many keyframe intervals long (2 s each: 4 s a part). */
export const AUTO_CHUNK_MIN_GOPS = 2;
/** At most this many automatic parts, whatever the cores: each is an ffmpeg with its own graph in memory. */
export const AUTO_CHUNK_MAX_PARTS = 4;

type ChunkTimeline = Pick<Timeline, 'format' | 'quality' | 'frame' | 'range'>;

/** Parts for a render that did not say how many (1: not split). */
export const autoChunkCount = (tl: ChunkTimeline, cores: number): number => {
  // x264 only (its presets were measured); VP9 and ProRes keep one process.
  if (tl.format !== 'mp4' || tl.quality === 'high') return 1;
  const { width, height, fps } = tl.frame;
  if (width * height * fps > AUTO_CHUNK_MAX_PIXEL_RATE) return 1;
  const frames = Math.round((tl.range.end - tl.range.start) * fps);
  const byLength = Math.floor(frames / (AUTO_CHUNK_MIN_GOPS * gopFrames(fps)));
  return Math.max(1, Math.min(Math.floor(cores), AUTO_CHUNK_MAX_PARTS, byLength));
};
