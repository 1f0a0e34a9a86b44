/**
 * Draws a `shape` asset (rectangle or circle) into a transparent PNG of its own size.
 */
import type { ShapeAsset } from '../../composition/schema.ts';
import { toCssColour } from './parse-colour.ts';
import { createRasterCanvas, toRasterImage, type RasterImage } from './raster-image.ts';

/** Fill when `fill` is absent. */
export const DEFAULT_SHAPE_FILL = '#ffffff';

/**
 * Rasterizes a shape at `width × height` pixels, drawn from the image's top-left corner. The image
 * is that size rounded up to even integers, so an odd or fractional size leaves a transparent
 * sliver at the right or bottom (`box` gives the exact extent).
 *
 * - `circle` is the ellipse inscribed in width × height.
 * - `radius` rounds a rectangle's corners; it is capped at half the shorter side (a pill).
 * - `stroke` lies inside the bounds, so the shape's outer size is exactly width × height; its
 *   width is capped at half the shorter side (the shape is then all stroke).
 * - `pointer` (JSON Pointer of the asset) names the fields in errors about colours.
 */
export function renderShape(asset: ShapeAsset, pointer?: string): RasterImage {
  const { width, height } = asset;
  const canvas = createRasterCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const at = (field: string) => (pointer === undefined ? undefined : `${pointer}/${field}`);

  const strokeWidth = Math.min(asset.stroke?.width ?? 0, Math.min(width, height) / 2);
  const outline = (inset: number) => {
    ctx.beginPath();
    const w = Math.max(0, width - 2 * inset);
    const h = Math.max(0, height - 2 * inset);
    if (asset.shape === 'circle') {
      ctx.ellipse(width / 2, height / 2, w / 2, h / 2, 0, 0, 2 * Math.PI);
    } else {
      // The stroke's centre line runs `inset` inside the edge, so its corner radius shrinks by as
      // much: the stroke's outer edge then follows the fill's rounded corner exactly.
      const radius = Math.max(0, Math.min(asset.radius ?? 0, Math.min(width, height) / 2) - inset);
      ctx.roundRect(inset, inset, w, h, radius);
    }
  };

  outline(0);
  ctx.fillStyle = toCssColour(asset.fill ?? DEFAULT_SHAPE_FILL, at('fill'));
  ctx.fill();
  if (asset.stroke && strokeWidth > 0) {
    outline(strokeWidth / 2);
    ctx.lineWidth = strokeWidth;
    ctx.strokeStyle = toCssColour(asset.stroke.color, at('stroke/color'));
    ctx.stroke();
  }
  return toRasterImage(canvas, { x: 0, y: 0, width, height });
}
