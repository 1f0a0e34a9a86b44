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

export const sidecarFrameArgs = (f: SidecarFrame): string[] => {
  const filters = [
    ...(f.transparent ? ['premultiply=inplace=1'] : []),
    ...(f.width ? [`scale=${f.width}:-2`] : []),
  ];
  return ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...inputGuardArgs(), '-ss', num(f.time),
    ...(f.transparent && f.format === 'webm' ? ['-c:v', 'libvpx-vp9'] : []), '-i', f.src,
    ...(filters.length ? ['-vf', filters.join(',')] : []), '-frames:v', '1', '-q:v', '2', '-update', '1', '-f', 'image2', f.dst];
};
