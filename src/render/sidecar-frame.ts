/**
 * The ffmpeg arguments that cut one JPEG frame (the poster, the thumbnail) out of a finished output,
 * full size or scaled to a width (height following the aspect ratio, even).
 *
 * A JPEG holds no alpha, so the frame of a transparent output (`background: "transparent"`) is laid
 * over black, each pixel weighted by its alpha (premultiplied), as the clear parts of the video's
 * colour planes already are. Before, the alpha was simply dropped: a 25 % green box came out solid
 * green in a WebM's or MOV's poster, and a GIF's clear parts came out white (its palette's clear
 * entry) where a WebM's were black. VP9's alpha is read with libvpx: ffmpeg's own decoder drops it.
 */
import { inputGuardArgs } from '../assets/ffmpeg-input-policy.ts';
import type { OutputFormat } from '../composition/schema.ts';
import { num } from './easing.ts';

export interface SidecarFrame {
  readonly src: string;
  readonly dst: string;
  /** Seconds into the output. */
  readonly time: number;
  /** Scale to this width; full size when unset. */
  readonly width?: number;
  readonly format: OutputFormat;
  readonly transparent: boolean;
}

/**
 * To `width`, the height following the aspect ratio and even, as `scale=W:-2` makes it (the nearest
 * whole height, rounded down to even), but at least 2: of a very wide frame (1000×16 at 48 px
 * wide, 0.77 px high) `-2` made a height of 0, and ffmpeg failed ("Picture size 48x0 is invalid").
 */
const thumbnailScale = (width: number): string => `scale=w=${width}:h='max(2,trunc(round(${width}*ih/iw)/2)*2)'`;

export const sidecarFrameArgs = (f: SidecarFrame): string[] => {
  const filters = [
    ...(f.transparent ? ['premultiply=inplace=1'] : []),
    ...(f.width ? [thumbnailScale(f.width)] : []),
  ];
  return ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...inputGuardArgs(), '-ss', num(f.time),
    ...(f.transparent && f.format === 'webm' ? ['-c:v', 'libvpx-vp9'] : []), '-i', f.src,
    ...(filters.length ? ['-vf', filters.join(',')] : []), '-frames:v', '1', '-q:v', '2', '-update', '1', '-f', 'image2', f.dst];
};
