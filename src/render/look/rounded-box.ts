/**
 * `radius` and `border`: the clip's box with rounded corners, and a frame drawn inside its edge
 * that follows them. Both are rasterized once per clip, at the box's exact size, with Skia's
 * anti-aliasing: the corner coverage as a grey mask (multiplied into the clip's alpha), the border
 * as a transparent picture (laid over the clip before the corners are cut). Nothing per frame.
 */
import { createCanvas } from '../raster/skia.ts';
import type { Size } from '../layout-box.ts';
import { toCssColour } from '../raster/parse-colour.ts';

/** The radius actually drawn: at most half the shorter side (a pill or a circle). */
export const drawnRadius = (box: Size, radius: number): number => Math.max(0, Math.min(radius, Math.min(box.w, box.h) / 2));

/** White where the rounded box covers, black outside (anti-aliased), as an opaque PNG. */
export const roundedMaskPng = (box: Size, radius: number): Buffer => {
  const canvas = createCanvas(box.w, box.h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000000';
  ctx.fillRect(0, 0, box.w, box.h);
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.roundRect(0, 0, box.w, box.h, drawnRadius(box, radius));
  ctx.fill();
  return canvas.toBuffer('image/png');
};

/**
 * The border, `width` px inside the box's edge, following the rounded corners, on a transparent
 * PNG of the box's size. `pointer` names the colour field in errors.
 */
export const borderPng = (box: Size, radius: number, border: { color: string; width: number }, pointer?: string): Buffer => {
  const canvas = createCanvas(box.w, box.h);
  const ctx = canvas.getContext('2d');
  const width = Math.min(border.width, Math.min(box.w, box.h) / 2);
  const r = drawnRadius(box, radius);
  // The outer edge is the box's rounded outline; the inner edge runs `width` inside it, with a
  // radius smaller by as much. Filled with the even-odd rule, the ring between them is the border.
  ctx.beginPath();
  ctx.roundRect(0, 0, box.w, box.h, r);
  ctx.roundRect(width, width, Math.max(0, box.w - 2 * width), Math.max(0, box.h - 2 * width), Math.max(0, r - width));
  ctx.fillStyle = toCssColour(border.color, pointer);
  ctx.fill('evenodd');
  return canvas.toBuffer('image/png');
};
