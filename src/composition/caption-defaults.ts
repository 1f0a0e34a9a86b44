/**
 * The pixel defaults of a captions asset, shared by the rasterizer (render/raster/render-caption.ts)
 * and `output.scale` (scale-composition.ts), which must scale a default it does not see written.
 */
/** Caption padding in pixels when `padding` is absent. */
export const DEFAULT_CAPTION_PADDING = 12;
/** Caption text size as a fraction of the frame height when `font.size` is absent… */
export const CAPTION_SIZE_FRACTION = 0.05;
/** …but never below this many pixels, so small frames stay legible. */
export const MIN_CAPTION_SIZE = 16;
/** The caption size for a frame `height` pixels high when `font.size` is absent. */
export const defaultCaptionSize = (height: number): number => Math.max(MIN_CAPTION_SIZE, Math.round(height * CAPTION_SIZE_FRACTION));
