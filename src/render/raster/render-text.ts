/**
 * Draws a `text` asset (and, through render-caption.ts, a caption cue) into a transparent PNG.
 *
 * The image hugs the text: its box is the widest line plus padding, not the whole wrap width, with or
 * without a `background` — a lower third's background should end where its words end, as in
 * Shotstack and Creatomate. The engine positions the image in the frame.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { TextAsset } from '../../composition/schema.ts';
import { DEFAULT_FONT_SIZE, type FontRegistry } from './font-registry.ts';
import { layoutText, type TextLayout } from './layout-text.ts';
import { toCssColour } from './parse-colour.ts';
import { createRasterCanvas, emptyRasterImage, toRasterImage, type RasterImage } from './raster-image.ts';

/** The styling fields shared by `text` and `captions` assets (a CaptionsAsset is accepted as is). */
export type TextStyle = Omit<TextAsset, 'type' | 'text'>;

/** The output frame, in pixels; `style.width` is a fraction of its width. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

/** Text colour when `font.color` is absent. */
export const DEFAULT_TEXT_COLOUR = '#ffffff';
/** Fraction of the frame width the text box may take when `width` is absent. */
export const DEFAULT_TEXT_WIDTH = 0.9;
/** Horizontal alignment when `align` is absent. */
export const DEFAULT_ALIGN = 'center';

// A canvas blur of B px is a Gaussian of sigma B/2; 3 sigma holds all but an invisible tail.
const SHADOW_REACH = 1.5;

/**
 * Rasterizes `text` with `style`.
 *
 * - The text wraps so that its box (text + padding + stroke) is at most `width × frame.width` wide.
 * - `align` places each line within the box (the box is as wide as the widest line).
 * - `stroke.width` is the visible outline's thickness outside the glyphs: the stroke is drawn at
 *   twice that width under the fill, so the fill covers its inner half. The box grows by it.
 * - `shadow` is cast by the glyphs and their stroke, not by the background box; the image grows
 *   by equal margins so that the shadow is not clipped and the box stays centred.
 * - Text that is empty or only whitespace gives a 2×2 transparent image.
 *
 * @param pointer JSON Pointer of the asset, so that an unknown font family is reported at
 *   `${pointer}/font/family`.
 */
export function renderText(style: TextStyle, text: string, frame: FrameSize, fonts: FontRegistry, pointer?: string): RasterImage {
  if (text.trim() === '') return emptyRasterImage();

  const size = style.font?.size ?? DEFAULT_FONT_SIZE;
  const font = fonts.resolve(style.font?.family, style.font?.weight, size, pointer === undefined ? undefined : `${pointer}/font/family`);
  const strokeWidth = style.stroke?.width ?? 0;
  const inset = (style.padding ?? 0) + strokeWidth;
  const boxLimit = (style.width ?? DEFAULT_TEXT_WIDTH) * frame.width;
  const layout = layoutText(text, { font, size, lineHeight: style.font?.lineHeight, maxWidth: boxLimit - 2 * inset });

  const boxWidth = Math.ceil(layout.width + 2 * inset);
  const boxHeight = Math.ceil(layout.height + 2 * inset);
  const lineX = (width: number) => {
    const slack = layout.width - width;
    const align = style.align ?? DEFAULT_ALIGN;
    return inset + (align === 'left' ? 0 : align === 'right' ? slack : slack / 2);
  };
  // Centre the font's ascent+descent in each line box, so lineHeight spreads lines evenly.
  const baseline = (i: number) => inset + i * layout.lineHeight + (layout.lineHeight - layout.ascent - layout.descent) / 2 + layout.ascent;

  const margin = margins(layout, font, boxWidth, boxHeight, lineX, baseline, strokeWidth, style.shadow);
  const canvas = createRasterCanvas(boxWidth + 2 * margin.x, boxHeight + 2 * margin.y);
  const ctx = canvas.getContext('2d');
  ctx.translate(margin.x, margin.y);
  if (style.background) {
    ctx.fillStyle = toCssColour(style.background);
    ctx.fillRect(0, 0, boxWidth, boxHeight);
  }

  const drawGlyphs = (target: SKRSContext2D) => {
    target.font = font;
    target.textBaseline = 'alphabetic';
    target.textAlign = 'left';
    layout.lines.forEach((line, i) => {
      if (line.text === '') return;
      if (strokeWidth > 0 && style.stroke) {
        target.lineJoin = 'round';
        target.lineWidth = strokeWidth * 2;
        target.strokeStyle = toCssColour(style.stroke.color);
        target.strokeText(line.text, lineX(line.width), baseline(i));
      }
      target.fillStyle = toCssColour(style.font?.color ?? DEFAULT_TEXT_COLOUR);
      target.fillText(line.text, lineX(line.width), baseline(i));
    });
  };

  if (style.shadow) {
    // Drawn on a layer first so that one shadow is cast by stroke and fill together; shadowing
    // strokeText and fillText separately would double it where they overlap.
    const layer = createCanvas(canvas.width, canvas.height);
    const lctx = layer.getContext('2d');
    lctx.translate(margin.x, margin.y);
    drawGlyphs(lctx);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.shadowColor = toCssColour(style.shadow.color);
    ctx.shadowBlur = style.shadow.blur ?? 0;
    ctx.shadowOffsetX = style.shadow.x ?? 0;
    ctx.shadowOffsetY = style.shadow.y ?? 0;
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
  } else {
    drawGlyphs(ctx);
  }

  return toRasterImage(canvas, { x: margin.x, y: margin.y, width: boxWidth, height: boxHeight });
}

/**
 * How far ink (glyphs that overhang their advance, the stroke, and the shadow) reaches beyond the
 * box on its farthest side, horizontally and vertically; used as a margin on both sides.
 */
function margins(
  layout: TextLayout, font: string, boxWidth: number, boxHeight: number,
  lineX: (w: number) => number, baseline: (i: number) => number,
  strokeWidth: number, shadow: TextStyle['shadow'],
): { x: number; y: number } {
  const ctx = createCanvas(1, 1).getContext('2d');
  ctx.font = font;
  // Ink bounds in box coordinates, starting empty (+∞…−∞) and grown line by line.
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  layout.lines.forEach((line, i) => {
    if (line.text === '') return;
    const m = ctx.measureText(line.text);
    const x = lineX(line.width);
    left = Math.min(left, x - m.actualBoundingBoxLeft - strokeWidth);
    right = Math.max(right, x + m.actualBoundingBoxRight + strokeWidth);
    top = Math.min(top, baseline(i) - m.actualBoundingBoxAscent - strokeWidth);
    bottom = Math.max(bottom, baseline(i) + m.actualBoundingBoxDescent + strokeWidth);
  });
  if (!Number.isFinite(left)) return { x: 0, y: 0 };
  if (shadow) {
    const reach = (shadow.blur ?? 0) * SHADOW_REACH;
    const dx = shadow.x ?? 0;
    const dy = shadow.y ?? 0;
    [left, right] = [Math.min(left, left + dx - reach), Math.max(right, right + dx + reach)];
    [top, bottom] = [Math.min(top, top + dy - reach), Math.max(bottom, bottom + dy + reach)];
  }
  return {
    x: Math.ceil(Math.max(0, -left, right - boxWidth)),
    y: Math.ceil(Math.max(0, -top, bottom - boxHeight)),
  };
}
