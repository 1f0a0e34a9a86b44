/**
 * The one seam between text animation / word captions and text layout: the boxes of a text's
 * units (letters, words, lines) in reading order, and the state each is drawn with.
 *
 * The units come from the rich layout (rich-units.ts over raster/layout-rich-text.ts) and are drawn
 * by raster/draw-layout.ts, for animated text and word captions alike: one drawing pass per unit,
 * stroke under fill within each run, backdrops under every glyph, enlarged units on top.
 */
import { createRasterCanvas } from '../raster/raster-image.ts';
import type { Canvas } from '@napi-rs/canvas';

/** One unit: its text and where it sits in the text box (pixels, box coordinates). */
export interface TextUnit {
  readonly text: string;
  readonly line: number;
  /** Index of the word it belongs to (or begins, for a line), counted over the whole text in reading order. */
  readonly word: number;
  /** Left edge of its advance, its advance width, and its line's baseline. */
  readonly x: number;
  readonly width: number;
  readonly baseline: number;
}

export interface UnitLayout {
  readonly font: string;
  readonly size: number;
  readonly lineHeight: number;
  readonly ascent: number;
  readonly descent: number;
  /** The text box (text + padding + stroke), which the clip's position anchors. */
  readonly box: { readonly width: number; readonly height: number };
  readonly lineCount: number;
  /** In reading order: lines top to bottom, each line's units in logical (reading) order. */
  readonly units: readonly TextUnit[];
}

/** How one unit is drawn: its motion in pixels and any highlight. */
export interface UnitDraw {
  readonly alpha: number;
  readonly dx: number;
  readonly dy: number;
  readonly scale: number;
  /** Blur radius in pixels (0 = sharp). */
  readonly blur: number;
  /** Fill colour instead of the font's. */
  readonly color?: string;
  /** A rounded box of this colour behind the unit. */
  readonly backdrop?: string;
}

/** A transparent picture of the sequence's size, for instants with nothing to show. */
export const blankCanvas = (width: number, height: number): Canvas => createRasterCanvas(Math.max(2, width), Math.max(2, height));
