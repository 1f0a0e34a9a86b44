/**
 * What every rasterizer returns, and the size rules all of them share.
 */
import type { Canvas } from '@napi-rs/canvas';
import { createCanvas } from './skia.ts';
import { createCountedCanvas, releaseCanvas, settle } from './native-memory.ts';

/** Where the drawn element (text box, shape) sits inside the image, in pixels. */
export interface RasterBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A transparent PNG ready for ffmpeg's `overlay`. `width` and `height` are the PNG's size: even
 * integers (yuv420 subsamples chroma 2×2) of at most {@link MAX_RASTER_SIZE}.
 */
export interface RasterImage {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  /**
   * The element inside the image. The image can be larger than the element: a shadow or glyph ink
   * that overhangs it gets an equal margin on both sides, so the element stays centred in the image
   * (to within the one pixel that rounding to even sizes may add on the right or bottom).
   */
  readonly box: RasterBox;
}

/** Largest canvas side, in pixels. Bigger content is clipped (right and bottom), never an error. */
export const MAX_RASTER_SIZE = 7680;

/** Rounds a wanted canvas side up to an even integer in 2…{@link MAX_RASTER_SIZE}. */
export function canvasSide(px: number): number {
  if (!Number.isFinite(px) || px <= 2) return 2;
  return Math.min(MAX_RASTER_SIZE, Math.ceil(px / 2) * 2);
}

/** A canvas whose sides follow {@link canvasSide}. */
export function createRasterCanvas(width: number, height: number): Canvas {
  return createCountedCanvas(canvasSide(width), canvasSide(height));
}

/**
 * Encodes a canvas as a {@link RasterImage}. The canvas is spent: its pixels are given back at once
 * (raster/native-memory.ts), so many cues or texts do not pile up native memory.
 */
export function toRasterImage(canvas: Canvas, box: RasterBox): RasterImage {
  const image = { png: canvas.toBuffer('image/png'), width: canvas.width, height: canvas.height, box };
  releaseCanvas(canvas);
  settle();
  return image;
}

/** The 2×2 fully transparent image that stands for "nothing to draw" (e.g. empty text). */
export function emptyRasterImage(): RasterImage {
  return toRasterImage(createCanvas(2, 2), { x: 0, y: 0, width: 0, height: 0 });
}
