/**
 * The fixed piece grid of a cached render: pieces are cut at multiples of a fixed length (a whole
 * number of keyframe intervals) counted from timeline 0, not into N equal parts, so an edit near the
 * end never moves an earlier boundary, and a range or a longer video keeps the same cuts.
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

/** The pieces covering the timeline's range, each with its absolute first frame (`first`). */
export const fixedPieceGrid = (tl: Timeline, seconds = defaultPieceSeconds(tl.frame)): Array<ChunkRange & { readonly first: number }> => {
  const F = tl.frame.fps;
  const step = pieceFrames(F, seconds);
  const a = Math.round(tl.range.start * F);
  const b = Math.max(a + 1, Math.round(tl.range.end * F));
  const out: Array<ChunkRange & { first: number }> = [];
  for (let f0 = a; f0 < b;) {
    const f1 = Math.min(b, (Math.floor(f0 / step) + 1) * step);
    out.push({ index: out.length, first: f0, start: f0 / F, end: f1 / F, frames: f1 - f0 });
    f0 = f1;
  }
  return out;
};
