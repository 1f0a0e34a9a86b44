/**
 * Where a visual clip sits: its fitted size and its anchor in the frame. Pure maths in output pixels.
 */
import type { Fit, Position } from '../composition/schema.ts';

export interface Size { readonly w: number; readonly h: number }

/** The clip's size after `fit` (before `scale`). */
export const fitSize = (fit: Fit, src: Size, frame: Size): Size => {
  switch (fit) {
    case 'cover': {
      const k = Math.max(frame.w / src.w, frame.h / src.h);
      return { w: src.w * k, h: src.h * k };
    }
    case 'contain': {
      const k = Math.min(frame.w / src.w, frame.h / src.h);
      return { w: src.w * k, h: src.h * k };
    }
    case 'fill': return { w: frame.w, h: frame.h };
    case 'none': return { w: src.w, h: src.h };
  }
};

/**
 * Anchor factors of a position: 0 = the box touches the left/top edge, 0.5 = centred,
 * 1 = touches the right/bottom edge.
 */
export const anchorOf = (p: Position): { ax: number; ay: number } => ({
  ax: p === 'left' || p === 'topLeft' || p === 'bottomLeft' ? 0 : p === 'right' || p === 'topRight' || p === 'bottomRight' ? 1 : 0.5,
  ay: p === 'top' || p === 'topLeft' || p === 'topRight' ? 0 : p === 'bottom' || p === 'bottomLeft' || p === 'bottomRight' ? 1 : 0.5,
});

/** Even integer ≥ 2, the smallest unit yuv420 frames accept. */
export const even = (n: number): number => Math.max(2, 2 * Math.round(n / 2));

/**
 * A picture's side in whole pixels on the working pixels' grid: even for 4:2:0 (`evenGrid`), any
 * integer ≥ 1 in RGB (stills, GIF), where an odd side kept even was resampled: a 333×199 picture in
 * a 333×199 png was drawn 334×200, every pixel smeared into its neighbours.
 */
export const onGrid = (n: number, evenGrid: boolean): number => (evenGrid ? even(n) : Math.max(1, Math.round(n)));

/** Bounding box of a w×h rectangle rotated by `deg` degrees. */
export const rotatedBox = (s: Size, deg: number): Size => {
  const r = (deg * Math.PI) / 180;
  const c = Math.abs(Math.cos(r));
  const n = Math.abs(Math.sin(r));
  return { w: s.w * c + s.h * n, h: s.w * n + s.h * c };
};
