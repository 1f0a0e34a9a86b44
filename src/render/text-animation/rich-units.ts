/**
 * Animated text over the rich-text layout (raster/layout-rich-text.ts, drawn by draw-layout.ts):
 * the same preparation as a static text (spans, gradient, letterSpacing, italic, shrink/minSize,
 * height/verticalAlign, transform, rounded backgrounds, per-character font fallback, bidi), cut
 * into the units the animation moves. A unit is a grapheme cluster, a word or a line of the
 * layout, in reading order (an Arabic line's first unit is its rightmost); drawLayout draws each
 * by clipping its run, so joined scripts and ligatures stay whole while units move one by one.
 */
import type { Canvas } from '@napi-rs/canvas';
import type { TextAnimationUnit, TextSpan } from '../../composition/schema.ts';
import type { FieldProblem } from '../../errors/registry.ts';
import type { FontRegistry } from '../raster/font-registry.ts';
import { isWordGap, type LaidCluster, type LaidLine, type LaidWord } from '../raster/layout-rich-text.ts';
import type { LayoutUnit, UnitState } from '../raster/draw-layout.ts';
import { drawPreparedCanvas, prepareText, type FrameSize, type PreparedText, type TextPlacement, type TextStyle } from '../raster/render-text.ts';
import type { TextUnit, UnitDraw, UnitLayout } from './text-units.ts';

/** A prepared text and its units, as the animation code (animate-units.ts) reads them. */
export interface RichUnits {
  readonly prepared: PreparedText;
  readonly by: TextAnimationUnit;
  /** Box, sizes and units in box coordinates, in reading order. */
  readonly layout: UnitLayout;
  /** The layout object of each unit, by index in `layout.units`. */
  readonly index: ReadonlyMap<LaidCluster | LaidWord | LaidLine, number>;
}

const atRest = (s: UnitDraw | undefined) => !!s && s.alpha >= 1 && s.dx === 0 && s.dy === 0 && s.scale === 1 && s.blur <= 0.05 && !s.color && !s.backdrop;

/** Lays `text` out as a static text of `style` would be, and cuts it into units of `by`. Undefined for empty text. */
export const layoutRichUnits = (
  style: TextStyle, text: string | readonly TextSpan[], frame: FrameSize, fonts: FontRegistry, by: TextAnimationUnit,
  pointer?: string, warn?: (p: FieldProblem) => void, overflow?: (p: FieldProblem) => void,
): RichUnits | undefined => {
  const prepared = prepareText(style, text, frame, fonts, pointer, warn, 0, overflow);
  if (!prepared) return undefined;
  const { layout: rich, origin } = prepared;
  const wordOf = new Map<LaidCluster, number>();
  for (const line of rich.lines) for (const w of line.words) for (const c of w.clusters) wordOf.set(c, w.order);
  const found: { obj: LaidCluster | LaidWord | LaidLine; order: number; unit: TextUnit }[] = [];
  rich.lines.forEach((line, l) => {
    const baseline = origin.y + line.baseline;
    const firstWord = line.words.length ? Math.min(...line.words.map((w) => w.order)) : 0;
    const at = (obj: LaidCluster | LaidWord | LaidLine, order: number, text: string, x: number, width: number, word: number) =>
      found.push({ obj, order, unit: { text, line: l, word, x: origin.x + x, width, baseline } });
    if (by === 'line') { if (line.words.length) at(line, line.order, line.words.map((w) => w.text).join(' '), line.box.x, line.box.width, firstWord); }
    else if (by === 'word') for (const w of line.words) at(w, w.order, w.text, w.box.x, w.box.width, w.order);
    else for (const c of line.clusters) if (!isWordGap(c.text)) at(c, c.order, c.text, c.box.x, c.box.width, wordOf.get(c) ?? firstWord);
  });
  found.sort((a, b) => (a.unit.line - b.unit.line) || (a.order - b.order));
  const first = rich.spans[0]?.style;
  const size = first?.font.size ?? 48;
  const lineHeight = rich.lines[0]?.box.height ?? size * 1.2;
  return {
    prepared, by,
    layout: {
      font: first?.font.css ?? '', size, lineHeight, ascent: size * 0.8, descent: size * 0.2,
      box: { width: prepared.boxWidth, height: prepared.boxHeight },
      lineCount: rich.lines.length,
      units: found.map((f) => f.unit),
    },
    index: new Map(found.map((f, i) => [f.obj, i])),
  };
};

/** The unit of drawLayout's callback, as an index into `layout.units`. */
const indexOf = (r: RichUnits, u: LayoutUnit): number | undefined =>
  r.index.get(u.kind === 'letter' ? u.cluster : u.kind === 'word' ? u.word : u.line);

/**
 * Draws the text with each unit in its state onto a new canvas: the static text's box, padding,
 * background, stroke and shadow, with `margin` more room on each side for units that move or grow
 * (or, with `into`, in a canvas of that size with the box's top-left at that place).
 */
export const drawRichUnits = (r: RichUnits, margin: { x: number; y: number }, states: readonly UnitDraw[], into?: TextPlacement): Canvas => {
  const p: PreparedText = { ...r.prepared, margin: { x: r.prepared.margin.x + margin.x, y: r.prepared.margin.y + margin.y } };
  // Every unit at rest: the static text's drawing (one stroke pass under one fill pass, runs whole).
  if (states.every(atRest)) return drawPreparedCanvas(p, {}, into);
  return drawPreparedCanvas(p, {
    by: r.by,
    unitState: (u): UnitState | undefined => {
      const i = indexOf(r, u);
      const s = i === undefined ? undefined : states[i];
      return s && { alpha: s.alpha, dx: s.dx, dy: s.dy, scale: s.scale, blur: s.blur, ...(s.color ? { color: s.color } : {}), ...(s.backdrop ? { backdrop: s.backdrop } : {}) };
    },
  }, into);
};
