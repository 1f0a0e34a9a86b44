/**
 * `crop` and `flip`: cut fractions of the source off before it is fitted (so the fitted box takes
 * the cropped size), and mirror the picture. Both are plain ffmpeg filters on the source's frames.
 */
import type { Flip } from '../../composition/schema.ts';
import type { Size } from '../layout-box.ts';
import type { CropSides } from './clip-look.ts';

/** What is left of a source of size `s` after the crop: at least 2×2 pixels (yuv420's unit). */
export const croppedSize = (s: Size, crop: CropSides | undefined): Size => {
  if (!crop) return s;
  return { w: Math.max(2, s.w * (1 - crop.left - crop.right)), h: Math.max(2, s.h * (1 - crop.top - crop.bottom)) };
};

/**
 * The crop as a filter on frames of the source's own size. Whole even pixels, so that 4:2:0
 * sources keep their chroma aligned; the scaler then stretches what is left to the box.
 */
export const cropFilters = (crop: CropSides | undefined): string[] => {
  if (!crop) return [];
  const f = (v: number) => String(Math.round(v * 1e6) / 1e6);
  const w = `max(2\\,2*trunc(iw*${f(1 - crop.left - crop.right)}/2))`;
  const h = `max(2\\,2*trunc(ih*${f(1 - crop.top - crop.bottom)}/2))`;
  return [`crop=w=${w}:h=${h}:x=2*trunc(iw*${f(crop.left)}/2):y=2*trunc(ih*${f(crop.top)}/2)`];
};

export const flipFilters = (flip: Flip | undefined): string[] => {
  switch (flip) {
    case 'horizontal': return ['hflip'];
    case 'vertical': return ['vflip'];
    case 'both': return ['hflip', 'vflip'];
    default: return [];
  }
};
