/**
 * Which part of a timed source shows at each output frame of a clip, as a short list of segments:
 * plain play, reversed play and a held (frozen) frame. `extend` and `reverse` become data here, so
 * the filter chains that read them stay simple and the mapping is tested on its own.
 *
 * Every frame's content depends only on its clip-local time, never on the rendered range: a loop
 * pass or a reversed block starts at the same source instant whichever range is rendered, so a
 * chunked render draws the frames of an unchunked one. Reversed play is cut into blocks of one
 * keyframe interval of output frames (aligned to the output grid, as chunk boundaries are), so
 * ffmpeg's `reverse`, which buffers what it reverses, holds about two seconds of frames at a time.
 */
import { gopFrames } from './encoder-settings.ts';
import type { TimelineClip } from './timeline.ts';
import type { FieldProblem } from '../errors/registry.ts';

/** The most source seconds (after trim) that `reverse` plays: reversing buffers what it plays. */
export const MAX_REVERSE_SECONDS = 60;

export type VideoExtend = 'none' | 'freeze' | 'loop';

/** How a clip reads its source: all times in source seconds. */
export interface SourcePlay {
  readonly trim: number;
  readonly speed: number;
  /** Source seconds after `trim` that one pass plays (Infinity when the source length is unknown). */
  readonly span: number;
  readonly extend: VideoExtend;
  readonly reverse: boolean;
  /**
   * Source seconds from one loop pass's start to the next: `span` rounded to whole output frames
   * (so a short loop can repeat frames held in memory), the same for picture and sound.
   */
  readonly period: number;
}

/** A loop pass of at most this many output frames is decoded once and repeated from memory. */
export const MAX_LOOP_FRAMES_IN_MEMORY = 150;

export type SourceSegment =
  /** Output frames showing the source from `from` (forward) or down from `to` (reversed). */
  | { readonly kind: 'play'; readonly from: number; readonly to: number; readonly frames: number; readonly reversed: boolean }
  /** Output frames all showing one source frame: the last one played (or, reversed, the first). */
  | { readonly kind: 'hold'; readonly frames: number };

const EPS = 1e-6;

export const sourcePlay = (clip: TimelineClip, fps?: number): SourcePlay => {
  const a = clip.asset as { trim?: number; speed?: number; extend?: VideoExtend; reverse?: boolean };
  const trim = a.trim ?? 0;
  const speed = a.speed ?? 1;
  const extend = a.extend ?? 'none';
  const reverse = !!a.reverse;
  const rest = clip.media?.duration !== undefined ? Math.max(0, clip.media.duration - trim) : Infinity;
  // Reversed without a loop, the clip plays the part it would have played forwards, backwards.
  const span = reverse && extend !== 'loop' ? Math.min(rest, clip.length * speed) : rest;
  const period = fps && Number.isFinite(span) && span > 0 ? (Math.max(1, Math.round((span / speed) * fps)) / fps) * speed : span;
  return { trim, speed, span, extend, reverse, period };
};

/**
 * Clip-local seconds where a video clip's source runs out and nothing shows after it (`extend:
 * "none"`, played forwards or reversed), when that is before the clip's end; undefined otherwise.
 * Frame n (at clip-local t) shows the source while (t · speed) < span, as sourceSegments and
 * planVideoSource count them.
 */
export const sourceRunsOut = (clip: TimelineClip): number | undefined => {
  if (clip.asset.type !== 'video' || !clip.media?.duration) return undefined;
  const p = sourcePlay(clip);
  if (p.extend !== 'none' || !Number.isFinite(p.span)) return undefined;
  const end = p.span / p.speed;
  return end < clip.length - 1e-9 ? end : undefined;
};

/** Is the clip's source read in any way other than straight through once? */
export const isPlainPlay = (p: SourcePlay): boolean => !p.reverse && p.extend === 'none';

/**
 * The segments for `count` output frames whose first is at clip-local time `skip` and at index
 * `globalFirst` of the whole timeline's frame grid.
 */
export const sourceSegments = (p: SourcePlay, skip: number, count: number, fps: number, globalFirst: number): SourceSegment[] => {
  const block = gopFrames(fps);
  const out: Array<{ key: string; kind: 'play' | 'hold'; us: number[] }> = [];
  for (let n = 0; n < count; n++) {
    let u = (skip + n / fps) * p.speed;
    let pass = 0;
    if (p.extend === 'loop' && Number.isFinite(p.period) && p.period > EPS) {
      pass = Math.floor(u / p.period + EPS);
      u = Math.max(0, u - pass * p.period);
    }
    let kind: 'play' | 'hold' = 'play';
    // (A loop's pass may be half a frame longer than the source: that frame repeats the last one.)
    if (u >= p.span - EPS && p.extend !== 'loop') {
      if (p.extend === 'freeze') kind = 'hold';
      else if (p.reverse) break; // reversed part over, nothing after it
      else break; // 'none': nothing once the source has run out
    }
    const key = `${kind}|${pass}|${p.reverse && kind === 'play' ? Math.floor((globalFirst + n) / block) : 0}`;
    const last = out[out.length - 1];
    if (last && last.key === key) last.us.push(u);
    else out.push({ key, kind, us: [u] });
  }
  return out.map((s): SourceSegment => {
    if (s.kind === 'hold') return { kind: 'hold', frames: s.us.length };
    const u0 = s.us[0];
    const u1 = s.us[s.us.length - 1];
    if (!p.reverse) return { kind: 'play', from: p.trim + u0, to: p.trim + u1, frames: s.us.length, reversed: false };
    // Frame u shows the source just before trim + span − u: read from one output frame before the
    // last one shown up to the first one, then reverse.
    const to = p.trim + p.span - u0;
    const from = Math.max(p.trim, p.trim + p.span - u1 - p.speed / fps);
    return { kind: 'play', from, to, frames: s.us.length, reversed: true };
  });
};

/** Where a clip's sound is: source seconds [from, from + length), in play order, reversed or not. */
export interface SoundSegment {
  readonly from: number; readonly length: number; readonly reversed: boolean;
  /** Silence of `length` (a loop pass up to half a frame longer than its source). */
  readonly silent?: boolean;
}

/**
 * The sound of clip-local seconds [t0, t1) as source pieces: one per loop pass, each reversed when
 * the clip plays backwards. The end of the sound (no loop) is where the source runs out.
 */
export const soundSegments = (p: SourcePlay, t0: number, t1: number): SoundSegment[] => {
  const u0 = t0 * p.speed;
  const u1 = t1 * p.speed;
  const pieces: Array<[number, number]> = [];
  const out: SoundSegment[] = [];
  const flush = () => {
    for (const [a, b] of pieces.splice(0)) {
      out.push(p.reverse ? { from: p.trim + p.span - b, length: b - a, reversed: true } : { from: p.trim + a, length: b - a, reversed: false });
    }
  };
  if (p.extend === 'loop' && Number.isFinite(p.period) && p.period > EPS) {
    for (let pass = Math.floor(u0 / p.period + EPS); pass * p.period < u1 - EPS; pass++) {
      const a = Math.max(u0, pass * p.period) - pass * p.period;
      const end = Math.min(u1 - pass * p.period, p.period);
      const b = Math.min(end, p.span);
      if (b - a > EPS) pieces.push([a, b]);
      flush();
      if (end - Math.max(a, b) > EPS) out.push({ from: 0, length: end - Math.max(a, b), reversed: false, silent: true });
    }
    return out;
  } else if (Math.min(u1, p.span) - u0 > EPS) {
    pieces.push([u0, Math.min(u1, p.span)]);
  }
  flush();
  return out;
};

/** The problem with a reversed clip whose reversed part is longer than MAX_REVERSE_SECONDS, if any. */
export const reverseProblem = (
  asset: { type: string; trim?: number; speed?: number; extend?: string; reverse?: boolean },
  duration: number | undefined, length: number, pointer: string,
): { pointer: string; detail: string } | undefined => {
  if (asset.type !== 'video' || !asset.reverse || duration === undefined) return undefined;
  const rest = Math.max(0, duration - (asset.trim ?? 0));
  const part = asset.extend === 'loop' ? rest : Math.min(rest, length * (asset.speed ?? 1));
  if (part <= MAX_REVERSE_SECONDS + 1e-6) return undefined;
  return {
    pointer: `${pointer}/asset/reverse`,
    detail: `would play ${part.toFixed(1)} s of the source backwards; at most ${MAX_REVERSE_SECONDS} s can be reversed: raise trim, shorten the clip or cut the source`,
  };
};

/**
 * A trim at or past the end of the source: a problem when `extend` or `reverse` must play
 * something of it (a loop with nothing to repeat failed in ffmpeg, and freeze and reverse had no
 * frame to show), a warning for plain play, which renders as the first release had it: nothing
 * shows and nothing plays (it was silent until 2026-12-06).
 */
export const trimPastEnd = (
  asset: { type: string; trim?: number; extend?: string; reverse?: boolean },
  duration: number | undefined, pointer: string,
): { problem?: FieldProblem; warning?: FieldProblem } => {
  if ((asset.type !== 'video' && asset.type !== 'audio') || duration === undefined || (asset.trim ?? 0) < duration) return {};
  const skips = `skips past the end of the source (${duration.toFixed(2)} s long), so`;
  const what = asset.reverse ? 'reverse' : asset.extend === 'loop' || asset.extend === 'freeze' ? `extend "${asset.extend}"` : undefined;
  return what
    ? { problem: { pointer: `${pointer}/asset/trim`, detail: `${skips} ${what} has nothing to play: lower trim` } }
    : { warning: { pointer: `${pointer}/asset/trim`, detail: `${skips} this clip shows and plays nothing: lower trim` } };
};
