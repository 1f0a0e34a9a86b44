/**
 * The keyframes of the video sources that some frames of a timeline play, read once per render in
 * pieces and put on the clips' media (MediaInfo's `keyframes`) for planning only: a piece's read of
 * a source then starts at a keyframe on the piece's first instant, not at the one before it
 * (frame-rate.ts, seekLead). Keys are made from the timeline without them (piece-key.ts leaves
 * them out): they come from the file's bytes, which the key already hashes, and change no pixel.
 */
import type { SourceSpan } from '../assets/probe-keyframes.ts';
import { clipOverlapsFrames } from './piece-key.ts';
import { isPlainPlay, sourcePlay } from './source-segments.ts';
import type { Timeline, TimelineClip } from './timeline.ts';

/** Reads the keyframe instants of `path` within `spans` (probe-keyframes.ts); undefined where it cannot. */
export type ReadKeyframes = (path: string, spans: readonly SourceSpan[]) => Promise<readonly number[] | undefined>;

const playsVideo = (c: TimelineClip): boolean => c.asset.type === 'video' && !!c.media?.video && !c.media.video.still;

/**
 * The source seconds each moving video file is read over by the clips shown in frames [first,
 * end): a straight play from where the frames start to where they end; any other play (loop,
 * freeze, reverse) from its trim to the file's end. (ffprobe reads each from the keyframe at or
 * before its start.)
 */
export const keyframeSpans = (tl: Timeline, first: number, end: number): Map<string, SourceSpan[]> => {
  const F = tl.frame.fps;
  const spans = new Map<string, SourceSpan[]>();
  for (const c of tl.clips) {
    if (!playsVideo(c) || !clipOverlapsFrames(c, F, first, end)) continue;
    const play = sourcePlay(c, F);
    const local = (frame: number) => Math.min(c.length, Math.max(0, frame / F - c.start));
    // Half a second more on each side: the planner's window instants may differ from these by a hair.
    const span = isPlainPlay(play)
      ? { from: play.trim + local(first) * play.speed - 0.5, to: play.trim + local(end) * play.speed + 0.5 }
      : { from: play.trim - 0.5 };
    spans.set(c.media!.path, [...(spans.get(c.media!.path) ?? []), span]);
  }
  return spans;
};

/** The timeline with the keyframes of the sources that frames [first, end) play on their clips' media. */
export const withKeyframes = async (tl: Timeline, first: number, end: number, read: ReadKeyframes): Promise<Timeline> => {
  const spans = keyframeSpans(tl, first, end);
  if (spans.size === 0) return tl;
  const found = new Map<string, readonly number[]>();
  await Promise.all([...spans].map(async ([path, s]) => {
    const k = await read(path, s);
    if (k) found.set(path, k);
  }));
  if (found.size === 0) return tl;
  return {
    ...tl,
    clips: tl.clips.map((c) => {
      const k = playsVideo(c) ? found.get(c.media!.path) : undefined;
      return k ? { ...c, media: { ...c.media!, video: { ...c.media!.video!, keyframes: k } } } : c;
    }),
  };
};
