/**
 * Line layout: where text wraps. Pure apart from measuring glyph advances with Skia, so it can be
 * tested (and reused for size estimates) without drawing anything.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { createCanvas, lineBreaker } from './skia.ts';

import { DEFAULT_LINE_HEIGHT } from './line-height.ts';

export { DEFAULT_LINE_HEIGHT };

/** One laid-out line: its text (trailing spaces dropped) and its advance width in pixels. */
export interface TextLine {
  readonly text: string;
  readonly width: number;
}

/** The result of {@link layoutText}. All lengths are pixels. */
export interface TextLayout {
  readonly lines: readonly TextLine[];
  /** The widest line's width: what a box that hugs the text must hold. */
  readonly width: number;
  /** Distance between consecutive baselines (`size × lineHeight`). */
  readonly lineHeight: number;
  /** `lines.length × lineHeight`. */
  readonly height: number;
  /** The font's ascent and descent (not the ink's): where the baseline sits inside a line. */
  readonly ascent: number;
  readonly descent: number;
}

export interface LayoutOptions {
  /** A canvas font string, as FontRegistry.resolve returns. */
  readonly font: string;
  /** Font size in pixels (the size inside `font`), used for the line height. */
  readonly size: number;
  /** Multiple of `size`; default {@link DEFAULT_LINE_HEIGHT}. */
  readonly lineHeight?: number;
  /** No line is wider than this (pixels), except a single character that alone is wider. */
  readonly maxWidth: number;
}

// Measuring can round differently from the sum of the parts; a hair of slack keeps a line that
// measured exactly maxWidth from wrapping.
const EPSILON = 0.01;

/**
 * Breaks `text` into lines no wider than `maxWidth`, greedily, at the line-break opportunities of
 * UAX #14 (spaces, after hyphens, between ideographs, …). `\n` (and `\r\n`, U+2028) force a break and
 * an empty paragraph gives an empty line. A word that alone is wider than `maxWidth` is broken
 * between characters (grapheme clusters, so accents and emoji stay whole).
 */
export function layoutText(text: string, opts: LayoutOptions): TextLayout {
  const ctx = createCanvas(1, 1).getContext('2d');
  ctx.font = opts.font;
  const measure = (s: string) => ctx.measureText(s).width;
  const maxWidth = Math.max(opts.maxWidth, 0) + EPSILON;

  const lines: TextLine[] = [];
  const push = (s: string) => {
    const t = s.trimEnd();
    lines.push({ text: t, width: t === '' ? 0 : measure(t) });
  };
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    wrapParagraph(paragraph, (s) => measure(s.trimEnd()) <= maxWidth, push);
  }

  const metrics = fontMetrics(ctx, opts.size);
  const lineHeight = opts.size * (opts.lineHeight ?? DEFAULT_LINE_HEIGHT);
  return {
    lines,
    width: Math.max(0, ...lines.map((l) => l.width)),
    lineHeight,
    height: lines.length * lineHeight,
    ...metrics,
  };
}

function wrapParagraph(paragraph: string, fits: (s: string) => boolean, push: (line: string) => void): void {
  const breaker = new (lineBreaker())(paragraph);
  let line = '';
  let last = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    const segment = paragraph.slice(last, bk.position);
    last = bk.position;
    if (fits(line + segment)) {
      line += segment;
    } else {
      if (line !== '') push(line);
      line = fits(segment) ? segment : breakByCharacters(segment, fits, push);
    }
    if (bk.required && bk.position < paragraph.length) {
      push(line);
      line = '';
    }
  }
  push(line);
}

/** Pushes full lines of `word`'s characters and returns the last, partial one. */
function breakByCharacters(word: string, fits: (s: string) => boolean, push: (line: string) => void): string {
  let line = '';
  for (const { segment: ch } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(word)) {
    if (line === '' || fits(line + ch)) line += ch;
    else {
      push(line);
      line = ch;
    }
  }
  return line;
}

/** Ascent and descent of the font itself, so every line of a given font sits alike whatever its glyphs. */
function fontMetrics(ctx: SKRSContext2D, size: number): { ascent: number; descent: number } {
  const m = ctx.measureText('Hg');
  const ascent = m.fontBoundingBoxAscent;
  const descent = m.fontBoundingBoxDescent;
  // Skia reports zeros for a font without the tables; fall back to typical Latin proportions.
  return ascent + descent > 0 ? { ascent, descent } : { ascent: size * 0.8, descent: size * 0.2 };
}
