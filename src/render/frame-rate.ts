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
 * The filters that place a decoded source on the clip's clock (played `speed` times as fast) and
 * resample it to `fps`: each output frame shows the latest source frame at or before its time.
 * `fps` alone rounds to the nearest, so at 30 → 10 fps it showed the frame 1/30 s ahead (and at
 * 30 → 25 one frame in five). Timestamps are moved 0.4 frame later first: a source frame up to a
 * tenth of an output frame late still counts as on time, so a source whose timestamps jitter
 * (WebM's millisecond clock) keeps every frame at the output's own rate.
 *
 * A source read forwards keeps its timestamps, which ffmpeg's `-ss` makes relative to the seek
 * point, and `fps` starts at 0 (holding the first frame until then): subtracting the first frame's
 * time instead moved the picture earlier by however far the seek point fell before a frame, up to
 * a whole source frame (at 29.97 fps output a 30 fps source showed every event a frame before its
 * sound, two at speed 0.5). A reversed source (`reverse` buffers and restamps its frames) starts
 * at its first frame.
 */
export const resampleFilters = (fps: number, speed = 1, reversed = false): string[] => {
  const late = `${num(0.4 / fps)}/TB`;
  const pts = reversed ? 'PTS-STARTPTS' : 'PTS';
  return [
    speed === 1 ? `setpts=${pts}+${late}` : `setpts=(${pts})/${num(speed)}+${late}`,
    reversed ? `fps=${rateOf(fps)}` : `fps=${rateOf(fps)}:start_time=0`,
  ];
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
