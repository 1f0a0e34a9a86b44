/**
 * What a viewer sees of a source, as opposed to what is stored: non-square pixels stretched to
 * square ones, the EXIF orientation of a JPEG (ffmpeg rotates JPEGs on decode, so the fitted box
 * must take the upright size), and an alpha channel that the stream's pixel format hides (VP8/VP9
 * in WebM carry alpha as side data, flagged by the `alpha_mode` tag; ffmpeg's native VP9 decoder
 * drops it, so the planner decodes those streams with libvpx).
 */

/** Display size from the stored size and ffprobe's `sample_aspect_ratio` ("N:D"; "0:1" = unknown). */
export const displaySize = (w: number, h: number, sar?: string): { w: number; h: number } => {
  const [n, d] = (sar ?? '').split(':').map(Number);
  if (!n || !d || n === d || !Number.isFinite(n / d) || n / d < 0.1 || n / d > 10) return { w, h };
  // Stretch the width, as ffmpeg's own `scale=iw*sar:ih` does; even, so the encoders take it.
  return { w: Math.max(2, 2 * Math.round((w * n) / d / 2)), h };
};

/** VP8/VP9 streams whose alpha travels beside the picture (WebM `alpha_mode: 1`). */
export const streamHasAlpha = (codec?: string, tags?: { alpha_mode?: string; ALPHA_MODE?: string }): boolean =>
  (codec === 'vp9' || codec === 'vp8') && (tags?.alpha_mode ?? tags?.ALPHA_MODE) === '1';

/**
 * The rotation ffmpeg applies to a JPEG on decode, in degrees (0, 90, 180, 270), from its EXIF
 * orientation as the first decoded frame reports it (a display matrix in ffprobe's `frames`).
 */
export const frameRotation = (frames?: ReadonlyArray<{ side_data_list?: ReadonlyArray<{ rotation?: number }> }>): number => {
  const r = frames?.[0]?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0;
  const deg = Math.round(Number(r) / 90) * 90;
  return Number.isFinite(deg) ? ((deg % 360) + 360) % 360 : 0;
};
