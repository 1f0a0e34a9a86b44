/**
 * Draws a {@link RichTextLayout} onto a canvas context: span backgrounds, then per run the stroke
 * (twice the visible width, under the fill) and the fill (colour or gradient).
 *
 * With `by` and `unitState`, each unit (letter = grapheme cluster, word, or line) is drawn with its
 * own state: opacity, offset, scale about its centre, blur, colour and a backdrop box. A letter or
 * word is drawn by clipping its run to the unit's slot rather than drawing the letters alone, so
 * Arabic stays joined and ligatures stay whole while units fade or move one by one. The slot moves
 * and scales with its unit; backdrops go under all glyphs, and an enlarged unit over its neighbours.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { createCountedCanvas } from './native-memory.ts';
import { isWordGap, type Box, type LaidCluster, type LaidLine, type LaidRun, type LaidWord, type RichTextLayout, type SpanStyle } from './layout-rich-text.ts';

/** How one unit is drawn; every field optional, absent = as laid out. */
export interface UnitState {
  /** 0–1, multiplies the text's opacity; 0 skips the unit. */
  readonly alpha?: number;
  /** Pixels added to the unit's position. */
  readonly dx?: number;
  readonly dy?: number;
  /** Scale about the unit's centre; 0 skips the unit. */
  readonly scale?: number;
  /** Gaussian blur, CSS `blur()` radius in pixels. */
  readonly blur?: number;
  /** Replaces the fill (colour or gradient) of the unit's glyphs. */
  readonly color?: string;
  /**
   * A rounded box of this colour behind the unit (a caption's spoken-word pill): the unit's box
   * widened by {@link BACKDROP_PAD} of its line's height on each side, moved and scaled with it,
   * drawn under every glyph of the text.
   */
  readonly backdrop?: string;
}

/** How far a unit's backdrop reaches beyond its box on the left and right, as a fraction of its line's height. */
export const BACKDROP_PAD = 0.15;

/** A unit handed to `unitState`, with its line. */
export type LayoutUnit =
  | { readonly kind: 'letter'; readonly cluster: LaidCluster; readonly line: LaidLine }
  | { readonly kind: 'word'; readonly word: LaidWord; readonly line: LaidLine }
  | { readonly kind: 'line'; readonly line: LaidLine };

export interface DrawLayoutOptions {
  /** Outline outside the glyphs, `width` px thick. */
  readonly stroke?: { readonly color: string; readonly width: number };
  /** Unit for `unitState`; without it the text is drawn as laid out. */
  readonly by?: 'letter' | 'word' | 'line';
  readonly unitState?: (unit: LayoutUnit) => UnitState | undefined;
  /** Draw span backgrounds (default true). */
  readonly backgrounds?: boolean;
}

/** Reach of a clip beyond the text block: covers overhanging ink, strokes and blur. */
const FAR = 1e5;

/**
 * Draws `layout` with its top-left at the context's current origin.
 */
export function drawLayout(ctx: SKRSContext2D, layout: RichTextLayout, opts: DrawLayoutOptions = {}): void {
  const target = ctx;
  const fills = new Map<SpanStyle, string | CanvasGradientLike>();
  const fillOf = (style: SpanStyle) => {
    let f = fills.get(style);
    if (f === undefined) fills.set(style, (f = style.gradient ? gradientFill(ctx, style.gradient, layout) : style.color));
    return f;
  };
  if (opts.backgrounds !== false) drawSpanBackgrounds(ctx, layout);
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';

  const paint = (runs: readonly LaidRun[], color?: string, ctx: SKRSContext2D = target) => {
    // A blurred unit paints on a fresh layer (withState), whose alignment is the canvas default
    // `start`: under `rtl` that is right-aligned, which drew an RTL unit a whole width to the left.
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    for (const r of runs) {
      if (r.shaped) ctx.save();
      ctx.font = r.font;
      ctx.letterSpacing = `${r.style.letterSpacing}px`;
      ctx.direction = r.rtl ? 'rtl' : 'ltr';
      // A part of a word shaped across spans: the whole word, clipped to the part (open-ended at
      // the word's own ends, for ink that overhangs them).
      // A run in another font than its neighbour's within a joined word: with its joiners.
      const [text, x] = r.shaped ? [r.shaped.text, r.shaped.x] : [r.drawn ?? r.text, r.x];
      if (r.shaped) {
        const left = r.x <= r.shaped.x + 0.01 ? -FAR : r.x;
        const right = r.x + r.width >= r.shaped.x + r.shaped.width - 0.01 ? FAR : r.x + r.width;
        ctx.beginPath();
        ctx.rect(left, -FAR, right - left, 2 * FAR);
        ctx.clip();
      }
      if (opts.stroke && opts.stroke.width > 0) {
        ctx.lineJoin = 'round';
        ctx.lineWidth = opts.stroke.width * 2;
        ctx.strokeStyle = opts.stroke.color;
        ctx.strokeText(text, x, r.baseline);
      }
      ctx.fillStyle = (color ?? fillOf(r.style)) as string;
      ctx.fillText(text, x, r.baseline);
      if (r.shaped) ctx.restore();
    }
    ctx.direction = 'ltr';
  };

  if (!opts.by || !opts.unitState) {
    for (const line of layout.lines) paint(line.runs);
    return;
  }
  const state = opts.unitState;
  // Every unit with its state and slot first, so backdrops can go under all glyphs and enlarged
  // units over their neighbours.
  const drawn: { s: UnitState | undefined; box: Box; clip?: Box; runs: readonly LaidRun[] }[] = [];
  for (const line of layout.lines) {
    if (opts.by === 'line') {
      drawn.push({ s: state({ kind: 'line', line }), box: line.box, runs: line.runs });
      continue;
    }
    const units = opts.by === 'word' ? line.words : line.clusters.filter((c) => !isWordGap(c.text));
    const boxes = units.map((v) => v.box);
    units.forEach((u, i) => {
      const box = u.box;
      const runs = line.runs.filter((r) => r.x < box.x + box.width + 0.01 && r.x + r.width > box.x - 0.01);
      const unit: LayoutUnit = opts.by === 'word' ? { kind: 'word', word: u as LaidWord, line } : { kind: 'letter', cluster: u as LaidCluster, line };
      drawn.push({ s: state(unit), box, clip: clipBox(boxes, i), runs });
    });
  }
  for (const d of drawn) {
    if (d.s?.backdrop) withState(ctx, { ...d.s, blur: 0 }, d.box, undefined, (_c, to) => drawBackdrop(to, d.box, d.s!.backdrop!));
  }
  const enlarged = (d: (typeof drawn)[number]) => Number((d.s?.scale ?? 1) > 1);
  for (const d of [...drawn].sort((a, b) => enlarged(a) - enlarged(b))) {
    withState(ctx, d.s, d.box, d.clip, (c, to) => paint(d.runs, c, to));
  }
}

/** A unit's backdrop: its box widened by BACKDROP_PAD of its height each side, corners rounded to a pill. */
function drawBackdrop(ctx: SKRSContext2D, box: Box, color: string): void {
  const pad = box.height * BACKDROP_PAD;
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.roundRect(box.x - pad, box.y, box.width + 2 * pad, box.height, box.height * 0.3);
  ctx.fill();
}

/** Canvas gradients are opaque objects; only fillStyle takes them. */
type CanvasGradientLike = ReturnType<SKRSContext2D['createLinearGradient']>;

/**
 * A unit's clip: horizontally from halfway into the gap before it to halfway into the gap after it
 * (the line's first and last units reach far out, for overhangs), vertically unbounded.
 */
function clipBox(boxes: readonly Box[], i: number): Box {
  const b = boxes[i];
  const left = i === 0 ? -FAR : (boxes[i - 1].x + boxes[i - 1].width + b.x) / 2;
  const right = i === boxes.length - 1 ? FAR : (b.x + b.width + boxes[i + 1].x) / 2;
  return { x: left, y: -FAR, width: Math.max(0, right - left), height: 2 * FAR };
}

/**
 * A slot's left and right edges moved to the nearest device pixel boundaries (unless the context
 * rotates or skews). Two neighbouring slots then tile their run exactly: an edge inside a pixel
 * was antialiased on both sides, each side covering the pixel in part, and their sum left a faint
 * seam through every glyph crossing it (Arabic joins, italic, kerning, outlines) while any unit of
 * the text moved.
 */
function snapToPixels(ctx: SKRSContext2D, left: number, right: number): [number, number] {
  const m = ctx.getTransform();
  if (m.b !== 0 || m.c !== 0 || m.a <= 0) return [left, right];
  const snap = (x: number) => (Math.round(m.a * x + m.e) - m.e) / m.a;
  return [snap(left), snap(right)];
}

function withState(
  ctx: SKRSContext2D, s: UnitState | undefined, box: Box, clip: Box | undefined, draw: (color: string | undefined, to: SKRSContext2D) => void,
): void {
  const alpha = s?.alpha ?? 1;
  const scale = s?.scale ?? 1;
  if (alpha <= 0 || scale <= 0) return;
  const blur = s?.blur ?? 0;
  // A blurred unit is drawn sharp and clipped on a layer, then the layer is blurred: blurring
  // under the clip would cut the blur off at the unit's slot.
  const layer = blur > 0 ? createCountedCanvas(ctx.canvas.width, ctx.canvas.height) : undefined;
  const to = layer ? layer.getContext('2d') : ctx;
  to.save();
  if (layer) to.setTransform(ctx.getTransform());
  if (!layer) to.globalAlpha *= Math.min(1, alpha);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  to.translate(cx + (s?.dx ?? 0), cy + (s?.dy ?? 0));
  to.scale(scale, scale);
  to.translate(-cx, -cy);
  // The slot is clipped in the unit's own coordinates: it moves and scales with the unit, so a
  // sliding or enlarged word is whole and shows none of its neighbours' glyphs.
  if (clip) {
    const [left, right] = snapToPixels(to, clip.x, clip.x + clip.width);
    to.beginPath();
    to.rect(left, clip.y, right - left, clip.height);
    to.clip();
  }
  draw(s?.color, to);
  to.restore();
  if (layer) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha *= Math.min(1, alpha);
    ctx.filter = `blur(${blur}px)`;
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
  }
}

/** Rounded boxes behind the runs of spans that have a `background`, one per span stretch on a line. */
function drawSpanBackgrounds(ctx: SKRSContext2D, layout: RichTextLayout): void {
  for (const line of layout.lines) {
    for (const r of line.runs) {
      const bg = r.style.background;
      if (!bg || r.width <= 0) continue;
      ctx.fillStyle = bg.color;
      ctx.beginPath();
      ctx.roundRect(r.x, line.box.y, r.width, line.box.height, bg.radius);
      ctx.fill();
    }
  }
}

/**
 * A CSS `linear-gradient(angle, colours…)` over the whole text block: 180° runs top to bottom,
 * 90° left to right; the gradient line is as long as CSS makes it (the block's corners touch the
 * first and last colours).
 */
function gradientFill(ctx: SKRSContext2D, g: { colors: readonly string[]; angle: number }, layout: RichTextLayout): CanvasGradientLike {
  const rad = (g.angle * Math.PI) / 180;
  const dx = Math.sin(rad);
  const dy = -Math.cos(rad);
  const w = layout.width;
  const h = layout.height;
  const half = (Math.abs(w * dx) + Math.abs(h * dy)) / 2;
  const cx = w / 2;
  const cy = h / 2;
  const grad = ctx.createLinearGradient(cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half);
  g.colors.forEach((c, i) => grad.addColorStop(i / (g.colors.length - 1), c));
  return grad;
}
