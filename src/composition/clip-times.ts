/**
 * (1.1) Clip times as the timeline uses them: `start: "auto"` (the previous clip of the same track's
 * end, 0 for a track's first clip) and `length: "end"` (until the end of the timeline, which the
 * other clips or `output.duration` set) resolved to seconds. Pure: `"auto"` lengths come from the
 * caller (probed media in the planner; unknown, hence `undefined`, before probing), so validation,
 * summaries, chunk planning and rendering all resolve times the same way.
 */
import type { FieldProblem } from '../errors/registry.ts';

/** A clip's raw timing fields (from a validated composition or, in validation, untyped JSON). */
export interface RawTiming { readonly start?: unknown; readonly length?: unknown }

export interface ResolvedTimes {
  /** Per track, per clip: seconds, or undefined while an `"auto"` length before it is unknown. */
  readonly clips: ReadonlyArray<ReadonlyArray<{ readonly start?: number; readonly length?: number }>>;
  /** End of the timeline, or undefined while unknown. */
  readonly duration?: number;
  readonly problems: FieldProblem[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * `autoLength(ti, ci)` gives the seconds of a clip whose length is `"auto"` (undefined: not known
 * yet). `outputDuration` is `output.duration` when set.
 */
export const resolveClipTimes = (
  tracks: ReadonlyArray<ReadonlyArray<RawTiming>>,
  autoLength: (ti: number, ci: number) => number | undefined,
  outputDuration?: number,
): ResolvedTimes => {
  const problems: FieldProblem[] = [];
  // Pass 1: starts along each track, and every length but "end".
  const partial = tracks.map((clips, ti) => {
    let prevEnd: number | undefined = 0;
    let prevIsEnd = false;
    return clips.map((clip, ci) => {
      let start: number | undefined;
      if (clip.start === 'auto') {
        if (prevIsEnd) {
          problems.push({ pointer: `/tracks/${ti}/clips/${ci}/start`, detail: 'is "auto" after a clip whose length is "end", which lasts until the timeline ends: give the start in seconds, or a length to the clip before' });
        }
        start = prevIsEnd ? undefined : prevEnd;
      } else {
        start = isNum(clip.start) ? clip.start : undefined;
      }
      const isEnd = clip.length === 'end';
      const length = isEnd ? undefined : clip.length === 'auto' ? autoLength(ti, ci) : isNum(clip.length) ? clip.length : undefined;
      prevEnd = start !== undefined && length !== undefined ? start + length : undefined;
      prevIsEnd = isEnd;
      return { start, length, isEnd };
    });
  });
  // The timeline's end: output.duration, else the end of the last clip that does not say "end".
  const all = partial.flat();
  let duration: number | undefined = outputDuration;
  if (duration === undefined) {
    const fixed = all.filter((k) => !k.isEnd);
    if (all.length > 0 && fixed.length === 0) {
      const [ti, ci] = firstEnd(tracks);
      problems.push({ pointer: `/tracks/${ti}/clips/${ci}/length`, detail: 'is "end", and so is every other clip\'s length, so nothing sets where the timeline ends: give one clip a length in seconds, or set output.duration' });
    } else if (fixed.every((k) => k.start !== undefined && k.length !== undefined)) {
      duration = fixed.reduce((m, k) => Math.max(m, k.start! + k.length!), 0);
    }
  }
  // Pass 2: "end" lengths.
  const clips = partial.map((list, ti) => list.map((k, ci) => {
    if (!k.isEnd) return { start: k.start, length: k.length };
    if (k.start === undefined || duration === undefined) return { start: k.start, length: undefined };
    // Past an explicit output.duration, the clip is cut like any other (nothing of it shows).
    if (k.start >= duration && outputDuration !== undefined) return { start: k.start, length: 0 };
    if (k.start >= duration) {
      problems.push({ pointer: `/tracks/${ti}/clips/${ci}/start`, detail: `is at or after the end of the timeline (${duration} s), so a length of "end" leaves nothing: start earlier or give a length in seconds` });
      return { start: k.start, length: undefined };
    }
    return { start: k.start, length: duration - k.start };
  }));
  return { clips, duration, problems };
};

const firstEnd = (tracks: ReadonlyArray<ReadonlyArray<RawTiming>>): [number, number] => {
  for (const [ti, clips] of tracks.entries()) for (const [ci, c] of clips.entries()) if (c.length === 'end') return [ti, ci];
  return [0, 0];
};
