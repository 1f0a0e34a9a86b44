/**
 * The size of a visual clip's box in output pixels: its source (after `crop`) fitted into the
 * frame, at the largest scale its keyframes reach. The planner draws the picture at this size, and
 * the look rasters (rounded corners, border) are made once at exactly this size.
 */
import { even, fitSize, type Size } from '../layout-box.ts';
import { constantCurve, keyframeCurve, type Curve } from '../keyframe-curve.ts';
import type { Frame, TimelineClip } from '../timeline.ts';
import { croppedSize } from './crop-flip.ts';

/** Largest side of any intermediate picture. */
export const MAX_SIDE = 8192;

export interface ClipBox {
  /** The source's size after crop (a colour clip's source is the frame). */
  readonly src: Size;
  readonly scaleCurve: Curve;
  /** The largest scale reached: the box is drawn at this scale and shrunk per frame from it. */
  readonly baseFactor: number;
  /** The drawn box, even-sized. */
  readonly B: Size;
}

export const clipBox = (clip: TimelineClip, frame: Frame): ClipBox => {
  const raw: Size = clip.media?.video ? { w: clip.media.video.width, h: clip.media.video.height }
    : clip.raster ? { w: clip.raster.width, h: clip.raster.height }
      : { w: frame.width, h: frame.height };
  const src = croppedSize(raw, clip.look?.crop);
  const fitted = fitSize(clip.fit, src, { w: frame.width, h: frame.height });
  const scaleCurve: Curve = clip.keyframes.scale ? keyframeCurve(clip.keyframes.scale) : constantCurve(clip.scale);
  const baseFactor = Math.max(scaleCurve.max, 1e-3);
  const B: Size = { w: Math.min(MAX_SIDE, even(fitted.w * baseFactor)), h: Math.min(MAX_SIDE, even(fitted.h * baseFactor)) };
  return { src, scaleCurve, baseFactor, B };
};
