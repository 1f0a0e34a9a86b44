/**
 * The size of a visual clip's box in output pixels: its source (after `crop`) fitted into the
 * frame, at the largest scale its keyframes reach. The planner draws the picture at this size, and
 * the look rasters (rounded corners, border) are made once at exactly this size.
 */
import { fitSize, onGrid, type Size } from '../layout-box.ts';
import { constantCurve, keyframeCurve, type Curve } from '../keyframe-curve.ts';
import type { Frame, TimelineClip } from '../timeline.ts';
import { croppedSize } from './crop-flip.ts';
import { overscanOf } from '../ken-burns.ts';

/** Largest side of any intermediate picture. */
export const MAX_SIDE = 8192;

export interface ClipBox {
  /** The source's size after crop (a colour clip's source is the frame). */
  readonly src: Size;
  readonly scaleCurve: Curve;
  /**
   * The scale the box is drawn at (B = fitted × baseFactor), per frame resized by scale ÷ baseFactor:
   * the largest scale reached, or less where that box would pass MAX_SIDE (animated scales).
   */
  readonly baseFactor: number;
  /** The drawn box, in whole pixels on the working pixels' grid (even for 4:2:0: layout-box.ts, onGrid). */
  readonly B: Size;
}

export const clipBox = (clip: TimelineClip, frame: Frame, evenGrid = true): ClipBox => {
  const raw: Size = clip.media?.video ? { w: clip.media.video.width, h: clip.media.video.height }
    : clip.raster ? { w: clip.raster.width, h: clip.raster.height }
      : { w: frame.width, h: frame.height };
  const src = croppedSize(raw, clip.look?.crop);
  const fitted = fitSize(clip.fit, src, { w: frame.width, h: frame.height });
  const scaleCurve: Curve = clip.keyframes.scale ? keyframeCurve(clip.keyframes.scale) : constantCurve(clip.scale);
  const peak = Math.max(scaleCurve.max, 1e-3);
  // The content a pan reads is larger than the box (ken-burns.ts, overscanOf): it must fit too.
  const over = clip.effect ? overscanOf(clip.effect) : 1;
  if (scaleCurve.animated) {
    // A box past MAX_SIDE at its peak is drawn smaller by the same factor on both sides, and the
    // per-frame scale (scale ÷ baseFactor, plan-visual-clip.ts) enlarges it back: capping each side
    // on its own would change the picture's shape at every scale (a 1024×576 picture keyed up to
    // 10× came out 819×576 at scale 1).
    const k = Math.min(1, MAX_SIDE / (fitted.w * peak * over), MAX_SIDE / (fitted.h * peak * over));
    const baseFactor = peak * k;
    const B: Size = { w: Math.min(MAX_SIDE, onGrid(fitted.w * baseFactor, evenGrid)), h: Math.min(MAX_SIDE, onGrid(fitted.h * baseFactor, evenGrid)) };
    return { src, scaleCurve, baseFactor, B };
  }
  // A fixed scale is drawn at its size, each side at most MAX_SIDE, and cut to what the frame
  // shows (visible-window.ts). Past MAX_SIDE (`scale: 5` in 1080p) the picture is squeezed on
  // the longer side. Drawing it smaller and enlarging it back per frame, as a keyed scale is,
  // kept its shape but mapped the whole enlarged box: at `scale: 50` and `rotate: 45` in 1080p a
  // 106 062 px square, which no ffmpeg can allocate (wip/hunt-visual, reverted 2026-12-06).
  const B: Size = { w: Math.min(MAX_SIDE, onGrid(fitted.w * peak, evenGrid)), h: Math.min(MAX_SIDE, onGrid(fitted.h * peak, evenGrid)) };
  return { src, scaleCurve, baseFactor: peak, B };
};
