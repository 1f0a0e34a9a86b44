/**
 * The fixed piece grid of a cached render: pieces are cut at multiples of a fixed length (a whole
 * number of keyframe intervals) counted from timeline 0, not into N equal parts, so an edit near the
 * end never moves an earlier boundary, and a range or a longer video keeps the same cuts; a cut
 * moves to a clip edge on a keyframe near it (fixedPieceGrid).
 */
import { gopFrames } from './encoder-settings.ts';
import type { ChunkRange } from './chunk-plan.ts';
import type { Timeline } from './timeline.ts';

/** Shortest and longest default piece; see docs/adr/0001-piece-cache.md. */
export const MIN_PIECE_SECONDS = 2;
export const MAX_PIECE_SECONDS = 60;
/** The default piece at 1080p30: each piece has its own encoder, whose start and end cost about the same whatever its length. */
export const PIECE_SECONDS_1080P30 = 4;

/**
 * The default piece length for an output: as much work per piece as 4 s of 1080p30 (a piece's
 * encoder costs about the same to start whatever its size, so a small output gets longer pieces),
 * from 2 s to 60 s. A function of the output's size and fps only, so the grid of a given output
 * never moves.
 */
export const defaultPieceSeconds = (frame: { width: number; height: number; fps: number }): number =>
  Math.min(MAX_PIECE_SECONDS, Math.max(MIN_PIECE_SECONDS, (PIECE_SECONDS_1080P30 * 1920 * 1080 * 30) / (frame.width * frame.height * frame.fps)));

/** Frames per piece: `seconds` rounded to whole keyframe intervals (at least one). */
export const pieceFrames = (fps: number, seconds: number): number => {
  const gop = gopFrames(fps);
  return gop * Math.max(1, Math.round((seconds * fps) / gop));
};

/**
 * Frames where a visual clip starts or ends on a keyframe (a multiple of the keyframe interval)
 * inside (a, b). Sounds are mixed apart from the pieces, so audio clips cut nothing.
 */
const keyframeClipEdges = (tl: Pick<Timeline, 'clips' | 'frame'>, a: number, b: number): number[] => {
  const F = tl.frame.fps;
  const gop = gopFrames(F);
  const edges = new Set<number>();
  for (const c of tl.clips) {
    if (c.asset.type === 'audio') continue;
    for (const t of [c.start, c.start + c.length]) {
      const f = Math.round(t * F);
      if (f > a && f < b && f % gop === 0) edges.add(f);
    }
  }
  return [...edges].sort((x, y) => x - y);
};

/**
 * The pieces covering the timeline's range, each with its absolute first frame (`first`): cut on
 * the grid, each grid cut moved to the clip edge on a keyframe nearest to it within half a step (an
 * edge half a step from two cuts moves the later; of two edges as near to a cut, the later wins).
 * An edit to a clip then re-renders the clip's own time, not the rest of the grid
 * pieces it shares with its neighbours. Other edges cut nothing, so a render has exactly the grid's
 * pieces (each is a process at 1080p), even where clips change at every keyframe; pieces are
 * shorter than two grid steps.
 */
export const fixedPieceGrid = (tl: Timeline, seconds = defaultPieceSeconds(tl.frame)): Array<ChunkRange & { readonly first: number }> => {
  const F = tl.frame.fps;
  const step = pieceFrames(F, seconds);
  const a = Math.round(tl.range.start * F);
  const b = Math.max(a + 1, Math.round(tl.range.end * F));
  const edges = keyframeClipEdges(tl, a, b);
  const cuts: number[] = [];
  let i = 0;
  for (let g = (Math.floor(a / step) + 1) * step; g < b; g += step) {
    while (i < edges.length && edges[i] < g - step / 2) i++;
    // Edges ascend, so `<=` keeps the later of two at the same distance.
    let cut: number | undefined;
    for (let j = i; j < edges.length && edges[j] < g + step / 2; j++) {
      if (cut === undefined || Math.abs(edges[j] - g) <= Math.abs(cut - g)) cut = edges[j];
    }
    cuts.push(cut ?? g);
  }
  const out: Array<ChunkRange & { first: number }> = [];
  let f0 = a;
  for (const f1 of [...cuts, b]) {
    out.push({ index: out.length, first: f0, start: f0 / F, end: f1 / F, frames: f1 - f0 });
    f0 = f1;
  }
  return out;
};
