/**
 * Draws a `text` asset (and, through render-caption.ts, a caption cue) into a transparent PNG.
 *
 * The image hugs the text: its box is the widest line plus padding, not the whole wrap width, with or
 * without a `background` — a lower third's background should end where its words end, as in
 * Shotstack and Creatomate. With `height`, the box is that tall and `verticalAlign` places the lines
 * in it. The engine positions the image in the frame.
 *
 * Layout (wrapping, bidi, per-character fallback, cluster boxes) is layout-rich-text.ts; drawing is
 * draw-layout.ts; this module adds the box, padding, background, stroke, shadow and `shrink`.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { createCanvas } from './skia.ts';
import type { TextAsset, TextSpan } from '../../composition/schema.ts';
import type { FieldProblem } from '../../errors/registry.ts';
import type { FontRegistry } from './font-registry.ts';
import { layoutRichText, type RichTextLayout } from './layout-rich-text.ts';
import { drawLayout, type DrawLayoutOptions } from './draw-layout.ts';
import { fitText } from './fit-text.ts';
import { toCssColour } from './parse-colour.ts';
import { backgroundOf } from './text-spans.ts';
import { createCountedCanvas } from './native-memory.ts';
import { createRasterCanvas, emptyRasterImage, toRasterImage, type RasterImage } from './raster-image.ts';

export { DEFAULT_TEXT_COLOUR } from './text-spans.ts';

/** The styling fields shared by `text` and `captions` assets (a CaptionsAsset is accepted as is). */
export type TextStyle = Omit<TextAsset, 'type' | 'text'>;

/** The output frame, in pixels; `style.width` is a fraction of its width. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

/** Fraction of the frame width the text box may take when `width` is absent. */
export const DEFAULT_TEXT_WIDTH = 0.9;
/** Horizontal alignment when `align` is absent. */
export const DEFAULT_ALIGN = 'center';

// A canvas blur of B px is a Gaussian of sigma B/2; 3 sigma holds all but an invisible tail.
const SHADOW_REACH = 1.5;
// Skia draws a glyph run with its baseline snapped to the nearest whole device pixel (a baseline at
// y = 34.5 draws as at 35), while measureText's bounds are at the baseline asked for: the painted ink
// can reach up to half a pixel further up or down than measured. A stroke of fractional width then
// painted a row below the image (Thai and Devanagari marks at 36.9 px with a 2.5 px stroke lost their
// lowest antialiased row). The vertical ink bounds are widened by this much on both sides.
const BASELINE_SNAP = 0.5;

/**
 * A text laid out and measured for drawing, before any pixel is drawn: what {@link renderText}
 * draws once for a static text, and what animated text and captions draw once per distinct state
 * (same image size and text position every time, so frames line up).
 */
export interface PreparedText {
  readonly style: TextStyle;
  readonly layout: RichTextLayout;
  /** The box (text + padding + stroke, or `height`), in pixels. */
  readonly boxWidth: number;
  readonly boxHeight: number;
  /** Where the layout's (0, 0) lies inside the box. */
  readonly origin: { readonly x: number; readonly y: number };
  /** Transparent margin around the box in the image, for ink overhangs, stroke and shadow. */
  readonly margin: { readonly x: number; readonly y: number };
}

/**
 * Lays out and measures `text` (a string or spans) with `style` for a frame; see {@link renderText}
 * for the rules. Undefined for text that is empty or only whitespace.
 *
 * @param extraMargin pixels added to the margin on every side (room for animated units that move
 *   or grow beyond their place).
 */
export function prepareText(
  style: TextStyle, text: string | readonly TextSpan[], frame: FrameSize, fonts: FontRegistry, pointer?: string,
  warn?: (p: FieldProblem) => void, extraMargin = 0, overflow?: (p: FieldProblem) => void,
): PreparedText | undefined {
  const plain = typeof text === 'string' ? text : text.map((s) => s.text).join('');
  if (plain.trim() === '') return undefined;

  const strokeWidth = style.stroke?.width ?? 0;
  const inset = (style.padding ?? 0) + strokeWidth;
  const boxLimit = (style.width ?? DEFAULT_TEXT_WIDTH) * frame.width;
  const fixedHeight = style.height !== undefined ? style.height * frame.height : undefined;
  const layout = fitText({
    input: { text, font: style.font, transform: style.transform },
    fonts, pointer, warn,
    maxWidth: boxLimit - 2 * inset,
    maxHeight: fixedHeight === undefined ? undefined : fixedHeight - 2 * inset,
    align: style.align ?? DEFAULT_ALIGN,
    shrink: style.shrink === true,
    minSize: style.minSize,
    overflow,
  });

  const boxWidth = Math.ceil(layout.width + 2 * inset);
  const boxHeight = Math.ceil(fixedHeight ?? layout.height + 2 * inset);
  const slack = boxHeight - 2 * inset - layout.height;
  const valign = style.verticalAlign ?? 'middle';
  const origin = { x: inset, y: inset + (valign === 'top' ? 0 : valign === 'bottom' ? slack : slack / 2) };
  const ink = margins(layout, origin, boxWidth, boxHeight, strokeWidth, style.shadow);
  const extra = Math.ceil(Math.max(0, extraMargin));
  return { style, layout, boxWidth, boxHeight, origin, margin: { x: ink.x + extra, y: ink.y + extra } };
}

/**
 * Draws a prepared text into a transparent PNG: background box, then the glyphs (with their
 * stroke), shadowed as one layer. `draw` passes unit states to drawLayout (by letter, word or
 * line) for animated text and highlighted caption words.
 */
export function drawPreparedText(p: PreparedText, draw: Pick<DrawLayoutOptions, 'by' | 'unitState'> = {}): RasterImage {
  return toRasterImage(drawPreparedCanvas(p, draw), { x: p.margin.x, y: p.margin.y, width: p.boxWidth, height: p.boxHeight });
}

/** Where a prepared text is drawn: a canvas of `width` × `height` with the box's top-left at (`x`, `y`). */
export interface TextPlacement {
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
}

/**
 * {@link drawPreparedText} as a canvas, for callers that encode it themselves (animated text).
 * `into` draws into a canvas of another size at another place (caption pages of different sizes
 * sharing one canvas); by default the canvas is the box plus its margin on every side.
 */
export function drawPreparedCanvas(p: PreparedText, draw: Pick<DrawLayoutOptions, 'by' | 'unitState'> = {}, into?: TextPlacement): Canvas {
  const { style, layout, boxWidth, boxHeight, origin, margin } = p;
  const place = into ?? { width: boxWidth + 2 * margin.x, height: boxHeight + 2 * margin.y, x: margin.x, y: margin.y };
  const strokeWidth = style.stroke?.width ?? 0;
  const canvas = createRasterCanvas(place.width, place.height);
  const ctx = canvas.getContext('2d');
  ctx.translate(place.x, place.y);
  if (style.background !== undefined) {
    const bg = backgroundOf(style.background);
    ctx.fillStyle = bg.color;
    ctx.beginPath();
    ctx.roundRect(0, 0, boxWidth, boxHeight, Math.min(bg.radius, boxWidth / 2, boxHeight / 2));
    ctx.fill();
  }

  const stroke = style.stroke && strokeWidth > 0 ? { color: toCssColour(style.stroke.color), width: strokeWidth } : undefined;
  const drawGlyphs = (target: SKRSContext2D) => {
    target.save();
    target.translate(origin.x, origin.y);
    drawLayout(target, layout, { stroke, ...draw });
    target.restore();
  };

  if (style.shadow) {
    // Drawn on a layer first so that one shadow is cast by stroke and fill together; shadowing
    // strokeText and fillText separately would double it where they overlap.
    const layer = createCountedCanvas(canvas.width, canvas.height);
    const lctx = layer.getContext('2d');
    lctx.translate(place.x, place.y);
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

  return canvas;
}

/**
 * Rasterizes `text` (a string or spans) with `style`.
 *
 * - The text wraps so that its box (text + padding + stroke) is at most `width × frame.width` wide.
 * - `align` places each line within the box (the box is as wide as the widest line).
 * - `height` (fraction of the frame height) fixes the box's height; `verticalAlign` places the
 *   lines in it. `shrink` lowers the size (to `minSize`) until the text fits without breaking a word.
 * - `stroke.width` is the visible outline's thickness outside the glyphs: the stroke is drawn at
 *   twice that width under the fill, so the fill covers its inner half. The box grows by it.
 * - `shadow` is cast by the glyphs and their stroke, not by the background box; the image grows
 *   by equal margins so that the shadow is not clipped and the box stays centred.
 * - Text that is empty or only whitespace gives a 2×2 transparent image.
 *
 * @param pointer JSON Pointer of the asset, so that an unknown font family is reported at
 *   `${pointer}/font/family`.
 * @param warn receives warnings (characters that no font can draw).
 * @param overflow receives the warning for `shrink` text that does not fit even at `minSize`.
 */
export function renderText(
  style: TextStyle, text: string | readonly TextSpan[], frame: FrameSize, fonts: FontRegistry, pointer?: string,
  warn?: (p: FieldProblem) => void, overflow?: (p: FieldProblem) => void,
): RasterImage {
  const prepared = prepareText(style, text, frame, fonts, pointer, warn, 0, overflow);
  return prepared ? drawPreparedText(prepared) : emptyRasterImage();
}

/**
 * How far ink (glyphs that overhang their advance, the stroke, and the shadow) reaches beyond the
 * box on its farthest side, horizontally and vertically; used as a margin on both sides.
 */
function margins(
  layout: RichTextLayout, origin: { x: number; y: number }, boxWidth: number, boxHeight: number,
  strokeWidth: number, shadow: TextStyle['shadow'],
): { x: number; y: number } {
  const ctx = createCanvas(1, 1).getContext('2d');
  // Ink bounds in box coordinates, starting empty (+∞…−∞) and grown run by run.
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const line of layout.lines) {
    for (const r of line.runs) {
      if (r.text.trim() === '') continue;
      ctx.font = r.font;
      ctx.letterSpacing = `${r.style.letterSpacing}px`;
      ctx.direction = r.rtl ? 'rtl' : 'ltr';
      const m = ctx.measureText(r.drawn ?? r.text);
      const x = origin.x + r.x;
      const y = origin.y + r.baseline;
      left = Math.min(left, x - m.actualBoundingBoxLeft - strokeWidth);
      right = Math.max(right, x + Math.max(m.actualBoundingBoxRight, r.width) + strokeWidth);
      top = Math.min(top, y - m.actualBoundingBoxAscent - strokeWidth - BASELINE_SNAP);
      bottom = Math.max(bottom, y + m.actualBoundingBoxDescent + strokeWidth + BASELINE_SNAP);
    }
  }
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
