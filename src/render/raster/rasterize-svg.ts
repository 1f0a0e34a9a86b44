/**
 * Draws an SVG (already checked by src/assets/svg-image.ts) into a PNG of exactly `width × height`
 * pixels, with Skia's SVG renderer: vector shapes are drawn at that size, not scaled from a bitmap.
 */
import { createCanvas, skia } from './skia.ts';

/** Largest side an SVG is rasterized at, in pixels (the planner's own limit). */
export const MAX_SVG_SIDE = 8192;
/** Most pixels an SVG is rasterized at: 4096², a 64 MiB canvas, more than any 4K frame shows. */
export const MAX_SVG_PIXELS = 4096 * 4096;

export function rasterizeSvg(bytes: Buffer, width: number, height: number): Buffer {
  const w = Math.max(1, Math.min(MAX_SVG_SIDE, Math.round(width)));
  const h = Math.max(1, Math.min(MAX_SVG_SIDE, Math.round(height)));
  const img = new (skia().Image)();
  img.src = bytes;
  const canvas = createCanvas(w, h);
  canvas.getContext('2d').drawImage(img, 0, 0, w, h);
  return canvas.toBuffer('image/png');
}
