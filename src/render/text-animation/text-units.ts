/**
 * The one seam between text animation / word captions and text layout: "lay out this text, give me
 * the boxes of its units (letters, words, lines) in reading order; draw them with a state each".
 *
 * Implemented over the current line layout (raster/layout-text.ts) and the same box rules as
 * raster/render-text.ts (the box hugs the widest line plus padding and stroke; lines aligned in
 * it). A unit's place is measured as the advance of the text before it on its line; in a
 * right-to-left line (first strong character Arabic or Hebrew) units run from the right. When the
 * shaping layout engine lands, only this file needs re-pointing at its per-cluster boxes.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { createCanvas } from '../raster/skia.ts';
import type { TextAnimationUnit } from '../../composition/schema.ts';
import { DEFAULT_FONT_SIZE, type FontRegistry } from '../raster/font-registry.ts';
import { layoutText } from '../raster/layout-text.ts';
import { toCssColour } from '../raster/parse-colour.ts';
import { DEFAULT_ALIGN, DEFAULT_TEXT_COLOUR, DEFAULT_TEXT_WIDTH, type FrameSize, type TextStyle } from '../raster/render-text.ts';

/** One unit: its text and where it sits in the text box (pixels, box coordinates). */
export interface TextUnit {
  readonly text: string;
  readonly line: number;
  /** Index of the word it belongs to (or begins, for a line), counted over the whole text. */
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
  /** Each line's text, left edge and baseline, so a line whose units all rest is drawn whole (shaped as static text is). */
  readonly lines: readonly { readonly text: string; readonly x: number; readonly baseline: number }[];
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

const RTL = /^[^\p{L}]*[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
let graphemeSegmenter: Intl.Segmenter | undefined; // made on first use, not at import
const graphemes = () => (graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));

/** Where each unit of one line starts (UTF-16 offset) and its text. */
const lineUnits = (text: string, by: TextAnimationUnit): { at: number; text: string; word: number }[] => {
  const starts = [...text.matchAll(/\S+/gu)].map((m) => m.index!);
  const wordAt = (at: number) => Math.max(0, starts.filter((s) => s <= at).length - 1);
  return splitLine(text, by).map((u) => ({ ...u, word: wordAt(u.at) }));
};
const splitLine = (text: string, by: TextAnimationUnit): { at: number; text: string }[] => {
  if (by === 'line') return text.trim() ? [{ at: text.length - text.trimStart().length, text: text.trim() }] : [];
  if (by === 'word') return [...text.matchAll(/\S+/gu)].map((m) => ({ at: m.index!, text: m[0] }));
  return [...graphemes().segment(text)].filter((s) => s.segment.trim() !== '').map((s) => ({ at: s.index, text: s.segment }));
};

/** Lays out `text` with `style` (wrapping as a static text of that style would) and cuts it into units. */
export const layoutUnits = (
  style: TextStyle, text: string, frame: FrameSize, fonts: FontRegistry, by: TextAnimationUnit, pointer?: string,
): UnitLayout => {
  const size = style.font?.size ?? DEFAULT_FONT_SIZE;
  const font = fonts.resolve(style.font?.family, style.font?.weight, size, pointer === undefined ? undefined : `${pointer}/font/family`);
  const inset = (style.padding ?? 0) + (style.stroke?.width ?? 0);
  const maxWidth = (style.width ?? DEFAULT_TEXT_WIDTH) * frame.width - 2 * inset;
  const layout = layoutText(text, { font, size, lineHeight: style.font?.lineHeight, maxWidth });
  const ctx = createCanvas(1, 1).getContext('2d');
  ctx.font = font;
  const align = style.align ?? DEFAULT_ALIGN;
  const units: TextUnit[] = [];
  const lines: { text: string; x: number; baseline: number }[] = [];
  let words = 0;
  layout.lines.forEach((line, i) => {
    const slack = layout.width - line.width;
    const left = inset + (align === 'left' ? 0 : align === 'right' ? slack : slack / 2);
    const baseline = inset + i * layout.lineHeight + (layout.lineHeight - layout.ascent - layout.descent) / 2 + layout.ascent;
    const rtl = RTL.test(line.text);
    lines.push({ text: line.text, x: left, baseline });
    for (const u of lineUnits(line.text, by)) {
      const width = ctx.measureText(u.text).width;
      // The advance up to the unit's end less its own: kerning with the unit before is kept.
      const before = u.at === 0 ? 0 : ctx.measureText(line.text.slice(0, u.at + u.text.length)).width - width;
      units.push({ text: u.text, line: i, word: words + u.word, width, baseline, x: rtl ? left + line.width - before - width : left + before });
    }
    words += line.text.match(/\S+/gu)?.length ?? 0;
  });
  return {
    font, size, lineHeight: layout.lineHeight, ascent: layout.ascent, descent: layout.descent,
    box: { width: Math.ceil(layout.width + 2 * inset), height: Math.ceil(layout.height + 2 * inset) },
    lineCount: layout.lines.length,
    lines,
    units,
  };
};

/** Measures the advance of `text` in a resolved canvas font (for caption paging). */
export const measureWith = (font: string): ((text: string) => number) => {
  const ctx = createCanvas(1, 1).getContext('2d');
  ctx.font = font;
  return (text) => ctx.measureText(text).width;
};

/**
 * Draws the text box's background (static) and each unit with its state onto `ctx`, whose origin
 * is the text box's top-left corner. In passes, as a whole line is drawn: highlight boxes, then
 * every stroke, then every fill, so a letter's outline never covers its neighbour's fill; an
 * enlarged unit (a scale highlight, a popping unit) is drawn over its neighbours.
 */
export const drawUnits = (ctx: SKRSContext2D, style: TextStyle, layout: UnitLayout, states: readonly UnitDraw[]): void => {
  if (style.background) {
    ctx.fillStyle = toCssColour(typeof style.background === 'string' ? style.background : style.background.color);
    ctx.fillRect(0, 0, layout.box.width, layout.box.height);
  }
  const strokeWidth = style.stroke?.width ?? 0;
  const stroked = strokeWidth > 0 && !!style.stroke;
  const pad = layout.size * 0.15;
  // A line whose units all rest, unhighlighted, is drawn whole: joined scripts stay joined.
  const plain = (s: UnitDraw | undefined) => !!s && s.alpha >= 1 && s.dx === 0 && s.dy === 0 && s.scale === 1 && s.blur <= 0.05 && !s.color && !s.backdrop;
  const whole = layout.lines.map((_, l) => layout.units.some((u) => u.line === l) && layout.units.every((u, i) => u.line !== l || plain(states[i])));
  const order = layout.units.map((_, i) => i).filter((i) => !whole[layout.units[i].line] && states[i] && states[i].alpha > 0 && states[i].scale > 0)
    .sort((a, b) => Number(states[a].scale > 1) - Number(states[b].scale > 1) || a - b);
  const pass = (kind: 'backdrop' | 'stroke' | 'fill') => {
    if (kind !== 'backdrop') drawWholeLines(ctx, style, layout, whole, kind, stroked);
    for (const i of order) {
      const u = layout.units[i];
      const s = states[i];
      if (kind === 'backdrop' && !s.backdrop) continue;
      ctx.save();
      ctx.globalAlpha = Math.min(1, s.alpha);
      const top = u.baseline - layout.ascent;
      const cx = u.x + u.width / 2;
      const cy = top + (layout.ascent + layout.descent) / 2;
      ctx.translate(s.dx + cx, s.dy + cy);
      ctx.scale(s.scale, s.scale);
      ctx.translate(-cx, -cy);
      if (kind === 'backdrop') {
        ctx.fillStyle = toCssColour(s.backdrop!);
        ctx.beginPath();
        ctx.roundRect(u.x - pad, top - pad / 2, u.width + 2 * pad, layout.ascent + layout.descent + pad, pad * 1.5);
        ctx.fill();
        ctx.restore();
        continue;
      }
      if (s.blur > 0.05) ctx.filter = `blur(${s.blur.toFixed(2)}px)`;
      // One shadow per glyph: cast by the outline when there is one, else by the fill.
      if (style.shadow && (kind === 'stroke' || !stroked)) {
        ctx.shadowColor = toCssColour(style.shadow.color);
        ctx.shadowBlur = style.shadow.blur ?? 0;
        ctx.shadowOffsetX = style.shadow.x ?? 0;
        ctx.shadowOffsetY = style.shadow.y ?? 0;
      }
      ctx.font = layout.font;
      ctx.textBaseline = 'alphabetic';
      ctx.textAlign = 'left';
      if (kind === 'stroke') {
        ctx.lineJoin = 'round';
        ctx.lineWidth = strokeWidth * 2;
        ctx.strokeStyle = toCssColour(style.stroke!.color);
        ctx.strokeText(u.text, u.x, u.baseline);
      } else {
        ctx.fillStyle = toCssColour(s.color ?? style.font?.color ?? DEFAULT_TEXT_COLOUR);
        ctx.fillText(u.text, u.x, u.baseline);
      }
      ctx.restore();
    }
  };
  pass('backdrop');
  if (stroked) pass('stroke');
  pass('fill');
};

/** Draws the lines marked `whole` in one pass (outline or fill), as raster/render-text.ts does. */
const drawWholeLines = (
  ctx: SKRSContext2D, style: TextStyle, layout: UnitLayout, whole: readonly boolean[], kind: 'stroke' | 'fill', stroked: boolean,
): void => {
  layout.lines.forEach((line, l) => {
    if (!whole[l]) return;
    ctx.save();
    if (style.shadow && (kind === 'stroke' || !stroked)) {
      ctx.shadowColor = toCssColour(style.shadow.color);
      ctx.shadowBlur = style.shadow.blur ?? 0;
      ctx.shadowOffsetX = style.shadow.x ?? 0;
      ctx.shadowOffsetY = style.shadow.y ?? 0;
    }
    ctx.font = layout.font;
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    if (kind === 'stroke') {
      ctx.lineJoin = 'round';
      ctx.lineWidth = (style.stroke?.width ?? 0) * 2;
      ctx.strokeStyle = toCssColour(style.stroke!.color);
      ctx.strokeText(line.text, line.x, line.baseline);
    } else {
      ctx.fillStyle = toCssColour(style.font?.color ?? DEFAULT_TEXT_COLOUR);
      ctx.fillText(line.text, line.x, line.baseline);
    }
    ctx.restore();
  });
};

/**
 * Room the drawn units may need beyond the text box on each side: glyph overhang, stroke, shadow,
 * and the farthest a unit's motion or highlight carries it.
 */
export const inkMargin = (style: TextStyle, layout: UnitLayout, reach: { x: number; y: number }): { x: number; y: number } => {
  const shadow = style.shadow ? (style.shadow.blur ?? 0) * 1.5 + Math.max(Math.abs(style.shadow.x ?? 0), Math.abs(style.shadow.y ?? 0)) : 0;
  const base = layout.size * 0.3 + (style.stroke?.width ?? 0) + shadow;
  return { x: Math.ceil(base + reach.x), y: Math.ceil(base + reach.y) };
};
