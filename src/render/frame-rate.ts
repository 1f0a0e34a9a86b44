/**
 * Exact frame rates. The NTSC rates people write as 23.976, 29.97 and 59.94 are exactly
 * 24000/1001, 30000/1001 and 60000/1001: as decimals, the frame grid would drift from the
 * encoder's rate by 3.6 ms an hour and ffprobe would report 2997/125 instead of 24000/1001.
 * The timeline carries the exact value as a number; ffmpeg gets it as a fraction.
 */
import { num } from './easing.ts';

/** The NTSC numerators: rate = n/1001. */
const NTSC = [24000, 30000, 60000] as const;

const ntscOf = (fps: number): number | undefined =>
  NTSC.find((n) => Math.abs(fps - n / 1001) < 5e-4);

/** The composition's fps as the timeline uses it: 23.976 → 24000/1001 (as a double); others unchanged. */
export const exactFps = (fps: number): number => {
  const n = ntscOf(fps);
  return n ? n / 1001 : fps;
};

/** The rate as ffmpeg's rate options take it: "24000/1001" for NTSC rates, else a decimal. */
export const rateOf = (fps: number): string => {
  const n = ntscOf(fps);
  return n ? `${n}/1001` : num(fps);
};

/**
 * The filters that start a decoded source at 0 (played `speed` times as fast) and resample it to
 * `fps`: each output frame shows the latest source frame at or before its time. `fps` alone rounds
 * to the nearest, so at 30 → 10 fps it showed the frame 1/30 s ahead (and at 30 → 25 one frame in
 * five). Timestamps are moved 0.4 frame later first: a source frame up to a tenth of an output frame
 * late still counts as on time, so a source whose timestamps jitter (WebM's millisecond clock) keeps
 * every frame at the output's own rate.
 *
 * `lead`: the source was read from `lead` seconds before the window's first instant (seekLead), so
 * its timestamps say where each frame lies and `fps` starts at that instant, showing the frame at
 * or before it. Without a lead the first decoded frame is taken as the window's start.
 */
export const resampleFilters = (fps: number, speed = 1, lead?: number, before = false): string[] => {
  // `before` (reversed play, plan-video-source.ts): each output frame shows the latest source frame
  // that starts before its instant, not at it (moved 0.6 frame later, with the same tenth of a
  // frame of tolerance the other way).
  const late = `${num((before ? 0.6 : 0.4) / fps)}/TB`;
  const zero = lead === undefined ? 'PTS-STARTPTS' : lead > 0 ? `PTS-${num(lead)}/TB` : 'PTS';
  const at = speed === 1 ? zero : `(${zero})/${num(speed)}`;
  return [`setpts=${at}+${late}`, lead === undefined ? `fps=${rateOf(fps)}` : `fps=${rateOf(fps)}:start_time=0`];
};

/**
 * How far before `from` a window of a source is read. A seek drops every frame before its instant,
 * so a window starting between two source frames (a chunk of a 59.94 fps render of a 30 fps
 * source, a range, a 25 fps grid) began with the frame after it, one source frame ahead of what an
 * unchunked render shows there. Reading from a frame and a half earlier keeps the frame at or before
 * `from`; `fps` drops the rest before anything is scaled.
 *
 * `keyframes` (the source's keyframe instants, where they were read: MediaInfo's `keyframes`): a
 * keyframe in that frame and a half, at or before `from`, is where the read starts instead. The
 * frame shown first is then that keyframe or a later one (the latest at or before `from`), so it
 * is the same frame as from a frame and a half earlier; but the decoder starts at that keyframe
 * rather than at the one before it (a seek decodes from the keyframe at or before its instant):
 * a piece starting on its source's keyframe (ref-b's at 4, 8, 12 and 16 s) no longer decodes the
 * previous GOP (docs/benchmarks.md, "Cold render with the piece cache: seeks from the piece's own keyframe").
 */
export const seekLead = (from: number, sourceFps?: number, keyframes?: readonly number[]): number => {
  const lead = Math.max(0, Math.min(from, sourceFps && sourceFps > 0 ? Math.min(2, 1.5 / sourceFps) : 0.1));
  const k = keyframes && lead > 0 ? lastAtOrBefore(keyframes, from) : undefined;
  return k !== undefined && k > from - lead ? from - k : lead;
};

/** The last of the ascending `times` at or before `t` (undefined when none is). */
const lastAtOrBefore = (times: readonly number[], t: number): number | undefined => {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? times[lo - 1] : undefined;
};

/**
 * The denominator of the filter graphs' time base, whose frames are 1000 ticks apart
 * (`settb=1/DEN`, `setpts=N*1000`): an integer for ordinary rates, an exact expression for NTSC
 * ones (settb evaluates it to the rational 1001/24000000).
 */
export const timeBaseDen = (fps: number): number | string => {
  const n = ntscOf(fps);
  return n ? `(${n * 1000}/1001)` : Math.round(fps * 1000);
};

/**
 * The filters that move a clip's frames (on the graph's time base, 1000 ticks a frame) to output
 * frame `first`. At NTSC rates a two-input filter (blend, alphamerge, overlay: framesync) cannot
 * keep the 1001/60000000 time base (its denominator is above framesync's limit) and hands on
 * microseconds, where `PTS+30000` moved a clip by 30 ms instead of 30 frames: a moving clip at
 * 59.94 fps appeared 0.47 s early and, chunked, vanished from some parts. `settb` puts the frames
 * back on the graph's time base first (a no-op where they still are on it).
 */
export const shiftToFrame = (first: number, fps: number): string[] => {
  const den = timeBaseDen(fps);
  return [...(typeof den === 'string' ? [`settb=1/${den}`] : []), `setpts=PTS+${first * 1000}`];
};
