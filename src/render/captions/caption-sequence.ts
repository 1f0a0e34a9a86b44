/**
 * Word-level captions as a raster sequence: one laid-out page at a time, drawn once per state
 * (which word is spoken, where the page's animation is), switched at word times. Each page is laid
 * out as a static text of the caption's style is (rich-units.ts over raster/layout-rich-text.ts:
 * per-character font fallback for emoji, CJK, Indic and Arabic, bidi, stroke, shadow, rounded
 * background), and every highlight is a unit state that draw-layout.ts draws: a colour, a backdrop
 * pill, a scale about the word's centre, or the karaoke colour on the words spoken so far.
 * Pages share one canvas, each placed in it as the clip's position says (bottom-aligned for
 * bottom captions), so a one-line page sits where the last line of a two-line page does.
 */
import type { CaptionHighlight, CaptionsAsset, Position } from '../../composition/schema.ts';
import type { FontRegistry } from '../raster/font-registry.ts';
import { BACKDROP_PAD } from '../raster/draw-layout.ts';
import { layoutRichText } from '../raster/layout-rich-text.ts';
import { captionStyle } from '../raster/render-caption.ts';
import { styledSpans } from '../raster/text-spans.ts';
import { applyTextTransform } from '../raster/text-transform.ts';
import { DEFAULT_TEXT_WIDTH, type FrameSize, type TextStyle } from '../raster/render-text.ts';
import { anchorOf } from '../layout-box.ts';
import { animatedDraws, animationReach, drawKey, finestUnit, resolveTextAnimation } from '../text-animation/animate-units.ts';
import { buildRasterSequence, type RasterSequence } from '../text-animation/raster-sequence.ts';
import { encodeAndRelease } from '../text-animation/encode-png.ts';
import { drawRichUnits, layoutRichUnits, type RichUnits } from '../text-animation/rich-units.ts';
import { blankCanvas, type UnitDraw, type UnitLayout } from '../text-animation/text-units.ts';
import type { SavePng, SequenceTiming } from '../text-animation/animated-text-sequence.ts';
import { paginate, timedWords, type CaptionPage } from './caption-pages.ts';
import type { CaptionSource } from './read-transcript.ts';

export const DEFAULT_CAPTION_LINES = 2;
export const DEFAULT_HIGHLIGHT_COLOUR = '#ffd400';
export const DEFAULT_HIGHLIGHT_BACKGROUND = '#7b2cbf';
export const DEFAULT_HIGHLIGHT_SCALE = 1.15;

/**
 * Plain cues with none of the word-level fields keep the cue-per-image captions (each cue for
 * exactly its own time); words, `lines`, `highlight` or `animation` make word-level pages.
 */
export const wantsWordCaptions = (a: CaptionsAsset, source: CaptionSource): boolean =>
  !!(source.words || a.highlight || a.animation?.in || a.animation?.out || a.lines !== undefined);

/** How the spoken word (or, for karaoke, every word spoken so far) is drawn. */
const highlighted = (h: CaptionHighlight, d: UnitDraw, spoken: boolean, started: boolean): UnitDraw => {
  switch (h.style) {
    case 'color': return spoken ? { ...d, color: h.color ?? DEFAULT_HIGHLIGHT_COLOUR } : d;
    case 'background': return spoken ? { ...d, backdrop: h.background ?? DEFAULT_HIGHLIGHT_BACKGROUND, ...(h.color ? { color: h.color } : {}) } : d;
    case 'scale': return spoken ? { ...d, scale: d.scale * (h.scale ?? DEFAULT_HIGHLIGHT_SCALE), ...(h.color ? { color: h.color } : {}) } : d;
    case 'karaoke': return started ? { ...d, color: h.color ?? DEFAULT_HIGHLIGHT_COLOUR } : d;
  }
};

/** Room a highlight needs beyond the page's box: half the growth of its widest word, or the pill's pad. */
const highlightReach = (h: CaptionHighlight | undefined, layout: UnitLayout) => {
  if (!h) return { x: 0, y: 0 };
  const widest = Math.max(0, ...layout.units.map((u) => u.width));
  const grow = h.style === 'scale' ? Math.max(0, (h.scale ?? DEFAULT_HIGHLIGHT_SCALE) - 1) / 2 : 0;
  const pad = h.style === 'background' ? layout.lineHeight * BACKDROP_PAD : 0;
  return { x: widest * grow + pad, y: layout.lineHeight * grow };
};

/**
 * A page keeps the lines paginate() gave it: a word wider than the caption's width alone (it starts
 * a line of its own) widens its page's box, up to the frame's width, instead of being broken onto a
 * line that `lines` has no room for; a word wider than the whole frame is drawn smaller until it fits.
 */
const pageStyleFor = (style: TextStyle, page: CaptionPage, maxWidth: number, inset: number, frame: FrameSize, measure: (s: string) => number): TextStyle => {
  const widest = Math.max(...page.text.split('\n').map(measure));
  if (widest <= maxWidth + 0.01) return style;
  return { ...style, width: Math.min(1, (Math.ceil(widest) + 1 + 2 * inset) / frame.width), shrink: true, minSize: 1 };
};

/**
 * The page word (index into `page.words`) of each laid-out word (by its reading order). A laid-out
 * word is not always a page word: a word wider than the whole frame is broken over lines, into two
 * laid-out words, so the match is by where each begins in the page's text.
 */
const spokenWordIndex = (r: RichUnits, text: string): Map<number, number> => {
  const starts = [...text.matchAll(/[^\s\u200B]+/gu)].map((m) => m.index);
  const out = new Map<number, number>();
  for (const line of r.prepared.layout.lines) {
    for (const w of line.words) {
      let i = 0;
      while (i + 1 < starts.length && starts[i + 1] <= w.start) i++;
      out.set(w.order, i);
    }
  }
  return out;
};

export const captionSequence = async (
  a: CaptionsAsset, source: CaptionSource, frame: FrameSize, fonts: FontRegistry, pointer: string,
  timing: SequenceTiming & { readonly position?: Position }, name: string, save: SavePng,
): Promise<RasterSequence> => {
  const { type: _t, src: _s, cues: _c, words: _w, lines: _l, highlight: hl, ...fields } = a;
  const style: TextStyle = captionStyle(fields, frame);
  const anim = resolveTextAnimation(a.animation);
  const by = finestUnit(anim.in?.by, anim.out?.by, 'word');
  const inset = (style.padding ?? 0) + (style.stroke?.width ?? 0);
  // `transform` changes each word's case before measuring (a word is whole, so capitalize is per word).
  const words = timedWords(source).map((w) => ({ ...w, text: applyTextTransform(w.text, style.transform) }));
  // Lines are measured as the page will lay them out: the same spans, fonts and fallback.
  const lineStyle = styledSpans({ text: ' ', font: style.font }, fonts, 1, `${pointer}/asset`)[0].style;
  const measure = (text: string) => layoutRichText([{ text, style: lineStyle }], { maxWidth: Infinity }).width;
  const maxWidth = (style.width ?? DEFAULT_TEXT_WIDTH) * frame.width - 2 * inset;
  const pages: CaptionPage[] = paginate(words, a.lines ?? DEFAULT_CAPTION_LINES, maxWidth, measure);
  // Words are already transformed; a page is laid out like a static text of the caption's style.
  const pageStyle: TextStyle = { ...style, transform: undefined };
  const layouts = pages.map((p) => layoutRichUnits(pageStyleFor(pageStyle, p, maxWidth, inset, frame, measure), p.text, frame, fonts, by, `${pointer}/asset`));

  // One canvas for every page: the largest page box plus the largest margin (ink, motion, highlight).
  const margin = { x: 0, y: 0 };
  const extra = layouts.map((r) => {
    if (!r) return { x: 0, y: 0 };
    const reach = animationReach(r.layout, anim);
    const h = highlightReach(hl, r.layout);
    const e = { x: Math.ceil(Math.max(reach.x, h.x)), y: Math.ceil(Math.max(reach.y, h.y)) };
    margin.x = Math.max(margin.x, r.prepared.margin.x + e.x);
    margin.y = Math.max(margin.y, r.prepared.margin.y + e.y);
    return e;
  });
  const box = {
    width: Math.max(2, ...layouts.map((r) => r?.layout.box.width ?? 0)),
    height: Math.max(2, ...layouts.map((r) => r?.layout.box.height ?? 0)),
  };
  const canvasSize = { width: box.width + 2 * margin.x, height: box.height + 2 * margin.y };
  const { ax, ay } = anchorOf(timing.position ?? 'bottom');
  const F = 1 / timing.fps;

  const pageAt = (t: number) => {
    for (let p = pages.length - 1; p >= 0; p--) if (pages[p].start <= t + 1e-9) return t < pages[p].end - 1e-9 && layouts[p] ? p : -1;
    return -1;
  };
  const spokenOf = layouts.map((r, p) => r && spokenWordIndex(r, pages[p].text));
  const drawsAt = (p: number, t: number): UnitDraw[] => {
    const page = pages[p];
    const layout = (layouts[p] as RichUnits).layout;
    const spoken = spokenOf[p] as Map<number, number>;
    return animatedDraws(layout, anim, t - page.start, page.end - page.start, F).map((d, i) => {
      const word = page.words[spoken.get(layout.units[i].word) ?? -1];
      if (!hl || !word) return d;
      return highlighted(hl, d, word.start <= t + 1e-9 && t < word.end - 1e-9, word.start <= t + 1e-9);
    });
  };
  const seq = await buildRasterSequence({
    ...timing,
    pointer: `${pointer}/asset`,
    keyAt: (t) => {
      const p = pageAt(t);
      return p < 0 ? 'blank' : `${p}|${drawKey(drawsAt(p, t))}`;
    },
    draw: async (t, index) => {
      const p = pageAt(t);
      const r = p < 0 ? undefined : layouts[p];
      const canvas = r
        ? drawRichUnits(r, extra[p], drawsAt(p, t), {
          ...canvasSize,
          x: margin.x + ax * (box.width - r.layout.box.width),
          y: margin.y + ay * (box.height - r.layout.box.height),
        })
        : blankCanvas(canvasSize.width, canvasSize.height);
      return save(`${name}-${index}`, encodeAndRelease(canvas));
    },
  }, { width: 0, height: 0, box });
  return { ...seq, frame: { ...seq.frame, ...canvasSize } };
};
