/**
 * Rich text layout: styled spans → wrapped lines of visually ordered runs, with the box of every
 * grapheme cluster, word and line. This is the one layout that drawing (draw-layout.ts), text
 * animation and word-level captions share, so its output shape is kept stable:
 *
 * ```
 * RichTextLayout { lines: [ { box, baseline, runs: [...], words: [ { box, clusters: [ { box } ] } ] } ] }
 * ```
 *
 * - Wrapping: greedy, at the line-break opportunities of UAX #14 and, in Thai, Lao, Khmer and
 *   Myanmar, between dictionary words (line-breaks.ts); `\n` forces a break; a word wider than
 *   the line alone is broken between grapheme clusters.
 * - Direction: the Unicode Bidirectional Algorithm (bidi-js) per paragraph, the base direction taken
 *   from the paragraph's first strong character; each line is reordered visually and cut into
 *   runs of one span and one embedding level.
 * - Shaping and per-character font fallback are Skia's (HarfBuzz inside @napi-rs/canvas): each run
 *   is measured and drawn as one string with its direction, so Arabic joins, Devanagari forms its
 *   conjuncts and emoji sequences stay whole.
 * - Joining across spans: where a word of a joining script (Arabic, Syriac, N'Ko, Mongolian…) runs
 *   across spans, the letters at the boundary must keep their joined forms. Spans that differ only
 *   in colour are shaped as one string (see `shaped`); spans that change the font, size or weight
 *   are shaped each on its own, with a zero-width joiner (U+200D) on the side where its letter joins
 *   the neighbouring span's, so HarfBuzz gives both letters their joined forms (see `drawn`).
 *
 * All lengths are pixels in layout coordinates: (0, 0) is the top-left of the text block (the
 * widest line's width × the lines' total height); padding and the like are the caller's.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { EmbeddingLevels } from 'bidi-js';
import { bidiAlgorithm, createCanvas } from './skia.ts';
import { lineBreaks } from './line-breaks.ts';
import { registerFacesFor, type ResolvedFont } from './font-registry.ts';
import { graphemeClusters } from './grapheme-clusters.ts';

/** A linear gradient filling glyphs: 2–5 CSS colours spread evenly, `angle` in CSS degrees (180 = top to bottom). */
export interface GlyphGradient {
  readonly colors: readonly string[];
  readonly angle: number;
}

/** How one span looks. Colours are CSS colour strings (see parse-colour.ts). */
export interface SpanStyle {
  readonly font: ResolvedFont;
  /** Multiple of the font size. */
  readonly lineHeight: number;
  /** Extra pixels after every character (may be negative). */
  readonly letterSpacing: number;
  readonly color: string;
  /** Fills the glyphs instead of `color`, across the whole text block. */
  readonly gradient?: GlyphGradient;
  /** A box behind this span's text only, with rounded corners of `radius` px. */
  readonly background?: { readonly color: string; readonly radius: number };
}

/** One span of input text. Spans follow each other with no separator; `\n` inside a span breaks a line. */
export interface StyledText {
  readonly text: string;
  readonly style: SpanStyle;
}

export interface RichLayoutOptions {
  /** No line is wider than this, except one whose single cluster alone is wider. */
  readonly maxWidth: number;
  /** Where each line sits within the block (as wide as the widest line). Default `center`. */
  readonly align?: 'left' | 'center' | 'right';
}

/** A rectangle in layout coordinates. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One grapheme cluster (what a reader calls a letter: a base with its marks, an emoji sequence). */
export interface LaidCluster {
  readonly text: string;
  /** UTF-16 offset of the cluster in the whole text (all spans joined). */
  readonly start: number;
  /** Reading-order index over the whole layout (0 = the first cluster read, right to left in RTL text). */
  readonly order: number;
  /** Its advance box: x from the pen position, the height of its line. */
  readonly box: Box;
  readonly rtl: boolean;
  /** Index of the span it belongs to. */
  readonly span: number;
}

/** A word: clusters between whitespace, across spans. Whitespace belongs to no word. */
export interface LaidWord {
  readonly text: string;
  readonly start: number;
  /** Reading-order index over the whole layout. */
  readonly order: number;
  /** Union of its clusters' boxes. */
  readonly box: Box;
  /** Its clusters in visual order (left to right on the page). */
  readonly clusters: readonly LaidCluster[];
}

/** A stretch of one span and one direction, drawn with one fillText. */
export interface LaidRun {
  /** The run's text in logical order (Skia reorders an RTL run itself when drawing). */
  readonly text: string;
  readonly start: number;
  readonly span: number;
  readonly style: SpanStyle;
  readonly rtl: boolean;
  /** The canvas font string it is drawn with (the style's, or its emoji-first variant for emoji). */
  readonly font: string;
  /** Left edge of its advance. */
  readonly x: number;
  /** Baseline y. */
  readonly baseline: number;
  readonly width: number;
  /**
   * Where a right-to-left word runs across spans that differ only in colour, gradient or
   * background: the whole stretch, shaped as one string so that its letters join, drawn at `x`
   * and clipped to this run's part (`x`…`x + width` of the run). Absent for a run shaped alone.
   */
  readonly shaped?: { readonly text: string; readonly x: number; readonly width: number };
  /**
   * The string drawn and measured when it differs from `text`: `text` with a zero-width joiner
   * (U+200D) on each side where its letter joins a letter of the neighbouring span in another font.
   */
  readonly drawn?: string;
}

export interface LaidLine {
  /** Reading-order index of the line (0 = top). */
  readonly order: number;
  /** x: where alignment put it; width: its advance (trailing spaces dropped); height: its line height. */
  readonly box: Box;
  readonly baseline: number;
  /** Runs in visual order, left to right. */
  readonly runs: readonly LaidRun[];
  /** Words in visual order, left to right. */
  readonly words: readonly LaidWord[];
  /** Every cluster of the line (whitespace included), in visual order. */
  readonly clusters: readonly LaidCluster[];
}

/** The result of {@link layoutRichText}. */
export interface RichTextLayout {
  /** All spans' text, joined. */
  readonly text: string;
  readonly spans: readonly StyledText[];
  readonly lines: readonly LaidLine[];
  /** The widest line's width. */
  readonly width: number;
  /** Sum of the lines' heights. */
  readonly height: number;
  /** True when some word had to be broken between clusters because it alone is wider than `maxWidth`. */
  readonly brokeWord: boolean;
}

// Measuring can round differently from the sum of the parts; a hair of slack keeps a line that
// measured exactly maxWidth from wrapping.
const EPSILON = 0.01;
// Made on first use, not at import (bidi-js builds its tables; grapheme-clusters.ts the segmenter).
const bidi = bidiAlgorithm;

/**
 * Lays out styled spans. Pure apart from measuring with Skia; draws nothing (see drawLayout).
 * Empty spans are allowed here (the composition refuses them); an empty text gives one empty line.
 */
export function layoutRichText(spans: readonly StyledText[], opts: RichLayoutOptions): RichTextLayout {
  if (spans.length === 0) throw new Error('layoutRichText needs at least one span');
  const text = spans.map((s) => s.text).join('');
  const spanAt = new Uint16Array(text.length);
  let offset = 0;
  spans.forEach((s, i) => {
    spanAt.fill(i, offset, offset + s.text.length);
    offset += s.text.length;
  });
  // Emoji-presentation clusters get their own runs, drawn with the colour emoji font first.
  const emojiAt = new Uint8Array(text.length);
  for (const { segment, index } of graphemeClusters(text)) if (isEmoji(segment)) emojiAt.fill(1, index, index + segment.length);
  // The fallback fonts this text needs are handed to Skia before anything is measured.
  let at = 0;
  for (const s of spans) {
    let [plain, emoji] = ['', ''];
    for (const ch of s.text) {
      if (emojiAt[at] === 1) emoji += ch;
      else plain += ch;
      at += ch.length;
    }
    registerFacesFor(plain, s.style.font.faces);
    if (emoji !== '') registerFacesFor(emoji, s.style.font.emojiFaces);
  }
  const m = new Measurer(spans, spanAt, emojiAt, text);
  const maxWidth = Math.max(opts.maxWidth, 0) + EPSILON;

  interface Pending { start: number; end: number; levels: ParagraphLevels; pStart: number }
  const pending: Pending[] = [];
  let brokeWord = false;
  const paragraphBreak = /\r\n|\r|\n|\u2028|\u2029/g;
  let pStart = 0;
  const paragraphs: [number, number][] = [];
  for (let br = paragraphBreak.exec(text); br; br = paragraphBreak.exec(text)) {
    paragraphs.push([pStart, br.index]);
    pStart = br.index + br[0].length;
  }
  paragraphs.push([pStart, text.length]);

  for (const [ps, pe] of paragraphs) {
    const para = text.slice(ps, pe);
    const levels = paragraphLevels(para);
    const fits = (a: number, b: number) => m.width(ps + a, ps + trimEnd(para, a, b)) <= maxWidth;
    const push = (a: number, b: number) => pending.push({ start: ps + a, end: ps + trimEnd(para, a, b), levels, pStart: ps });
    brokeWord = wrap(para, fits, push) || brokeWord;
  }

  // Lines with their runs, before alignment (x from 0).
  let y = 0;
  // Runs and metrics now; the units' boxes (a measurement per cluster) only when first asked for,
  // since a static text never needs them.
  let clusterBase = 0;
  let wordBase = 0;
  const raw = pending.map((p, li) => {
    const runs = visualRuns(text, p, spanAt, emojiAt);
    const styles = runs.length > 0 ? runs.map((r) => spans[r.span].style) : [spans[spanAt[Math.min(p.start, text.length - 1)] ?? 0]?.style ?? spans[0].style];
    const lineHeight = Math.max(...styles.map((s) => s.font.size * s.lineHeight));
    const ascent = Math.max(...styles.map((s) => m.metrics(s).ascent));
    const descent = Math.max(...styles.map((s) => m.metrics(s).descent));
    const baseline = y + (lineHeight - ascent - descent) / 2 + ascent;
    let x = 0;
    const laidRuns: LaidRun[] = [];
    // A zero-width joiner where a run's edge is a span boundary inside a word whose letters join.
    const zwj = (i: number) => (i > p.start && i < p.end && spanAt[i - 1] !== spanAt[i] && emojiAt[i - 1] === 0 && emojiAt[i] === 0
      && p.levels.levels[i - 1 - p.pStart] === p.levels.levels[i - p.pStart] && m.joinsAt(i) ? ZWJ : '');
    for (let i = 0; i < runs.length;) {
      // Right-to-left runs of one word that differ only in colour or background are shaped as one
      // string (so Arabic joins across the span boundary), each drawn clipped to its own part.
      let j = i + 1;
      while (j < runs.length && joinsAcross(runs[j - 1], runs[j], text, spans)) j++;
      if (j - i === 1) {
        const r = runs[i];
        const style = spans[r.span].style;
        const runText = text.slice(r.start, r.end);
        const font = r.emoji ? style.font.emojiCss : style.font.css;
        const drawn = zwj(r.start) + runText + zwj(r.end);
        const width = m.measure(drawn, style, r.emoji, r.rtl);
        laidRuns.push({ text: runText, start: r.start, span: r.span, style, rtl: r.rtl, font, x, baseline, width, ...(drawn !== runText ? { drawn } : {}) });
        x += width;
      } else {
        const group = runs.slice(i, j);
        const start = Math.min(...group.map((r) => r.start));
        const end = Math.max(...group.map((r) => r.end));
        const [lead, trail] = [zwj(start), zwj(end)];
        const shapedText = lead + text.slice(start, end) + trail;
        const first = spans[group[0].span].style;
        const whole = m.measure(shapedText, first, false, true);
        const shaped = { text: shapedText, x, width: whole };
        // The advance of the joined text up to `k`, with the letter before `k` in the form it has
        // in the whole word (joined to the next letter where they join).
        const upTo = (k: number) => (k === start ? 0 : m.measure(lead + text.slice(start, k) + (k === end ? trail : m.joinsAt(k) ? ZWJ : ''), first, false, true));
        for (const r of group) {
          const style = spans[r.span].style;
          // A part's place: the advance of the joined text before it and through it, from the right.
          const before = upTo(r.start);
          const through = upTo(r.end);
          laidRuns.push({ text: text.slice(r.start, r.end), start: r.start, span: r.span, style, rtl: true, font: style.font.css, x: x + whole - through, baseline, width: through - before, shaped });
        }
        x += whole;
      }
      i = j;
    }
    const counts = countUnits(laidRuns);
    const line = { order: li, width: x, y, lineHeight, baseline, runs: laidRuns, clusterBase, wordBase };
    clusterBase += counts.clusters;
    wordBase += counts.words;
    y += lineHeight;
    return line;
  });

  const width = Math.max(0, ...raw.map((l) => l.width));
  const align = opts.align ?? 'center';
  const lines: LaidLine[] = raw.map((l) => {
    const dx = align === 'left' ? 0 : align === 'right' ? width - l.width : (width - l.width) / 2;
    const runs = l.runs.map((r) => ({ ...r, x: r.x + dx, ...(r.shaped ? { shaped: { ...r.shaped, x: r.shaped.x + dx } } : {}) }));
    let units: { clusters: LaidCluster[]; words: LaidWord[] } | undefined;
    const get = () => (units ??= measureUnits(runs, l.y, l.lineHeight, l.clusterBase, l.wordBase, m));
    return {
      order: l.order,
      box: { x: dx, y: l.y, width: l.width, height: l.lineHeight },
      baseline: l.baseline,
      runs,
      get words() { return get().words; },
      get clusters() { return get().clusters; },
    };
  });
  return { text, spans, lines, width, height: y, brokeWord };
}

/** Grapheme clusters of each run with their offsets in the whole text, in logical order. */
function logicalClusters(runs: readonly LaidRun[]): { text: string; start: number; run: LaidRun; index: number }[] {
  return runs.flatMap((run) => [...graphemeClusters(run.text)].map((g) => ({ text: g.segment, start: run.start + g.index, run, index: g.index })))
    .sort((a, b) => a.start - b.start);
}

/**
 * Whether a cluster separates words: white space, or a zero-width space (U+200B), the invisible
 * word boundary of scripts written without spaces (captions join their Chinese, Japanese and Thai
 * words with it, caption-pages.ts; a text may hold it too).
 */
export const isWordGap = (text: string): boolean => /^[\s\u200B]+$/u.test(text);

/** How many clusters and words a line has, without measuring anything. */
function countUnits(runs: readonly LaidRun[]): { clusters: number; words: number } {
  const cs = logicalClusters(runs);
  let words = 0;
  let inWord = false;
  for (const c of cs) {
    const space = isWordGap(c.text);
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return { clusters: cs.length, words };
}

/**
 * The boxes of a line's clusters (advance of the run's prefix through it minus the prefix before
 * it, so shaping and kerning are counted; from the right end in RTL runs) and words.
 */
function measureUnits(
  runs: readonly LaidRun[], y: number, lineHeight: number, clusterBase: number, wordBase: number, m: Measurer,
): { clusters: LaidCluster[]; words: LaidWord[] } {
  // Each prefix is measured with the letter at its end in the form it has in the line (joined to
  // the next where they join), so letters of a joined word get their own advances.
  const lineStart = Math.min(...runs.map((r) => r.start));
  const lineEnd = Math.max(...runs.map((r) => r.start + r.text.length));
  const joined = (k: number) => (k > lineStart && k < lineEnd && m.joinsAt(k) ? ZWJ : '');
  const logical = logicalClusters(runs).map((c, i) => {
    const { run } = c;
    const emoji = run.font !== run.style.font.css;
    const lead = joined(run.start);
    const upTo = (k: number) => (k === 0 ? 0 : m.measure(lead + run.text.slice(0, k) + joined(run.start + k), run.style, emoji, run.rtl));
    const before = upTo(c.index);
    const through = upTo(c.index + c.text.length);
    const x = run.rtl ? run.x + run.width - through : run.x + before;
    const cluster: LaidCluster = { text: c.text, start: c.start, order: clusterBase + i, box: { x, y, width: through - before, height: lineHeight }, rtl: run.rtl, span: run.span };
    return cluster;
  });
  const words: LaidWord[] = [];
  let current: LaidCluster[] = [];
  let order = wordBase;
  const flush = () => {
    if (current.length === 0) return;
    const left = Math.min(...current.map((c) => c.box.x));
    const right = Math.max(...current.map((c) => c.box.x + c.box.width));
    const visual = [...current].sort((a, b) => a.box.x - b.box.x);
    words.push({ text: current.map((c) => c.text).join(''), start: current[0].start, order: order++, box: { x: left, y, width: right - left, height: lineHeight }, clusters: visual });
    current = [];
  };
  for (const c of logical) {
    if (isWordGap(c.text)) flush();
    else current.push(c);
  }
  flush();
  return {
    clusters: [...logical].sort((a, b) => a.box.x - b.box.x),
    words: words.sort((a, b) => a.box.x - b.box.x),
  };
}

/**
 * Whether a grapheme cluster is an emoji in emoji presentation: a character whose default is
 * emoji (🟥, 🚀), a sequence with VS16 (❤️) or a keycap (1️⃣), a skin-tone modifier or a flag;
 * not a text-presentation one (VS15, or ☃ and © written plainly).
 */
function isEmoji(cluster: string): boolean {
  return !cluster.includes('\uFE0E') && /\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Emoji_Modifier}|\p{Regional_Indicator}/u.test(cluster);
}

/** Index after the last non-whitespace code unit of s[a, b). */
function trimEnd(s: string, a: number, b: number): number {
  while (b > a && /\s/u.test(s[b - 1])) b--;
  return b;
}

/**
 * Greedy wrap of one paragraph: calls `push(a, b)` per line with offsets into it. Returns whether
 * some word had to be broken between clusters.
 */
function wrap(para: string, fits: (a: number, b: number) => boolean, push: (a: number, b: number) => void): boolean {
  if (staysOneLine(para, fits)) {
    push(0, para.length);
    return false;
  }
  let lineStart = 0;
  let lineEnd = 0;
  let broke = false;
  for (const bk of lineBreaks(para)) {
    const segStart = lineEnd;
    const segEnd = bk.position;
    if (fits(lineStart, segEnd)) {
      lineEnd = segEnd;
    } else {
      if (lineEnd > lineStart) push(lineStart, lineEnd);
      lineStart = segStart;
      if (fits(segStart, segEnd)) {
        lineEnd = segEnd;
      } else {
        broke = true;
        // Break the segment between grapheme clusters.
        let a = segStart;
        let b = segStart;
        for (const { index, segment } of graphemeClusters(para.slice(segStart, segEnd))) {
          const end = segStart + index + segment.length;
          if (b === a || fits(a, end)) b = end;
          else {
            push(a, b);
            a = b;
            b = end;
          }
        }
        lineStart = a;
        lineEnd = b;
      }
    }
    if (bk.required && bk.position < para.length) {
      push(lineStart, lineEnd);
      lineStart = lineEnd = bk.position;
    }
  }
  push(lineStart, lineEnd);
  return broke;
}

/** Characters after which UAX #14 forces a break (classes BK, CR, LF, NL). */
const FORCED_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/;
/** Longest paragraph {@link staysOneLine} checks (it measures every prefix). */
const ONE_LINE_CHECK_MAX = 160;

/**
 * Whether {@link wrap} would leave `para` whole on one line, found without the line breaker (the
 * first use of linebreak inflates its Unicode trie: 10–20 ms of a title card's start). True when no
 * character forces a break and the prefix ending at every code point boundary fits: UAX #14 breaks
 * only at such boundaries, so every break it could offer fits, the greedy wrap takes each, and it
 * pushes the one line [0, length), as here. `fits` is wrap's own, called with the same arguments.
 */
export function staysOneLine(para: string, fits: (a: number, b: number) => boolean): boolean {
  if (para.length > ONE_LINE_CHECK_MAX || FORCED_BREAK.test(para) || !fits(0, para.length)) return false;
  for (let k = 1; k < para.length; k++) {
    if (isLowSurrogate(para.charCodeAt(k)) && isHighSurrogate(para.charCodeAt(k - 1))) continue; // inside a pair
    if (!fits(0, k)) return false;
  }
  return true;
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Whether visual neighbours `a` (left) and `b` (right) are parts of one right-to-left word that
 * can be shaped as one string: same embedding level, `b` logically just before `a`, no space at
 * the boundary, same font and letter spacing (only colour, gradient or background differ), no emoji.
 */
function joinsAcross(
  a: { start: number; end: number; span: number; rtl: boolean; level: number; emoji: boolean },
  b: { start: number; end: number; span: number; rtl: boolean; level: number; emoji: boolean },
  text: string, spans: readonly StyledText[],
): boolean {
  if (!a.rtl || !b.rtl || a.level !== b.level || a.emoji || b.emoji || b.end !== a.start) return false;
  const [sa, sb] = [spans[a.span].style, spans[b.span].style];
  return sa.font.css === sb.font.css && sa.letterSpacing === sb.letterSpacing && /\S/u.test(text[a.start]) && /\S/u.test(text[a.start - 1]);
}

/** The runs of one line in visual order: maximal stretches of one span and one embedding level. */
function visualRuns(
  text: string, line: { start: number; end: number; levels: ParagraphLevels; pStart: number }, spanAt: Uint16Array, emojiAt: Uint8Array,
): { start: number; end: number; span: number; rtl: boolean; level: number; emoji: boolean }[] {
  const { start, end, levels, pStart } = line;
  if (end <= start) return [];
  const idx: number[] = [];
  for (let i = start; i < end; i++) idx.push(i);
  const para = text.slice(pStart, pStart + levels.levels.length);
  // Levels all 0 (left to right throughout): bidi-js reorders nothing.
  for (const [s, e] of levels.bidi ? bidi().getReorderSegments(para, levels.bidi, start - pStart, end - pStart - 1) : []) {
    const a = s + pStart - start;
    const b = e + pStart - start;
    const reversed = idx.slice(a, b + 1).reverse();
    idx.splice(a, reversed.length, ...reversed);
  }
  const runs: { start: number; end: number; span: number; rtl: boolean; level: number; emoji: boolean }[] = [];
  for (const i of idx) {
    const level = levels.levels[i - pStart];
    const span = spanAt[i];
    const emoji = emojiAt[i] === 1;
    const last = runs[runs.length - 1];
    if (last && last.level === level && last.span === span && last.emoji === emoji && (i === last.end || i === last.start - 1)) {
      if (i === last.end) last.end = i + 1;
      else last.start = i;
    } else {
      runs.push({ start: i, end: i + 1, span, rtl: level % 2 === 1, level, emoji });
    }
  }
  return runs;
}

/** The zero-width joiner: a letter beside it takes its form joined on that side, where it has one. */
const ZWJ = '\u200D';

/** Scripts whose letters join (Unicode's ArabicShaping.txt); U+0640 TATWEEL is Arabic by its script extensions. */
const JOINING_SCRIPT = /^[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Nko}\p{scx=Mongolian}\p{scx=Mandaic}\p{scx=Manichaean}\p{scx=Psalter_Pahlavi}\p{scx=Phags_Pa}\p{scx=Hanifi_Rohingya}\p{scx=Sogdian}\p{scx=Old_Uyghur}\p{scx=Adlam}\p{scx=Chorasmian}]$/u;
const MARK = /^\p{M}$/u;
/** Whether a character is strongly right to left (Arabic letters are bidi class AL); none is below U+0590. */
const isRtl = (ch: string | undefined): boolean => ch !== undefined && ch.charCodeAt(0) >= 0x590 && /^(R|AL)$/.test(bidi().getBidiCharTypeName(ch));

/**
 * A paragraph's bidi embedding levels, one per UTF-16 unit, and bidi-js's result for reordering;
 * no `bidi` where every level is 0 (nothing to reorder).
 */
export interface ParagraphLevels {
  readonly levels: Uint8Array;
  readonly bidi?: EmbeddingLevels;
}

/**
 * Text below U+0590 (Latin, Greek, Cyrillic, Armenian, their marks, digits and punctuation) holds
 * no right-to-left character, Arabic number or bidi control, so the Unicode Bidirectional Algorithm
 * gives each of its characters level 0: such a paragraph is laid out without loading bidi-js (whose
 * tables cost a few ms of a start).
 */
const BELOW_RTL = /^[\u0000-\u058f]*$/;

export function paragraphLevels(para: string): ParagraphLevels {
  if (BELOW_RTL.test(para)) return { levels: new Uint8Array(para.length) };
  const result = bidi().getEmbeddingLevels(para);
  return result.levels.some((l) => l !== 0) ? { levels: result.levels, bidi: result } : { levels: result.levels };
}

/** Whether two letters join, per font string and letter pair, for every layout of the process (bounded). */
const joinCache = new Map<string, boolean>();

/** Measures text in a span's style with one shared 1×1 canvas. */
class Measurer {
  readonly #ctx: SKRSContext2D = createCanvas(1, 1).getContext('2d');
  readonly #metrics = new Map<SpanStyle, { ascent: number; descent: number }>();
  #current?: SpanStyle;
  #emoji = false;
  #rtl = false;

  constructor(readonly spans: readonly StyledText[], readonly spanAt: Uint16Array, readonly emojiAt: Uint8Array, readonly text: string) {}

  #use(style: SpanStyle, emoji = false): SKRSContext2D {
    if (this.#current !== style || this.#emoji !== emoji) {
      this.#ctx.font = emoji ? style.font.emojiCss : style.font.css;
      this.#ctx.letterSpacing = `${style.letterSpacing}px`;
      this.#current = style;
      this.#emoji = emoji;
    }
    return this.#ctx;
  }

  /**
   * The advance of `s`. `rtl`: measured right to left, as a right-to-left run is drawn; it matters
   * only for a string with a joiner at its end, which joins the letter before it only inside the
   * same bidi run (left to right, a trailing joiner is a run of its own and joins nothing).
   */
  measure(s: string, style: SpanStyle, emoji = false, rtl = false): number {
    if (s === '') return 0;
    const ctx = this.#use(style, emoji);
    if (this.#rtl !== rtl) ctx.direction = (this.#rtl = rtl) ? 'rtl' : 'ltr';
    return ctx.measureText(s).width;
  }

  /**
   * Whether the letter before offset `i` joins the letter at `i` (marks between them skipped), both
   * of a joining script. Which letters join is Unicode's (joining types D, R, C…), and HarfBuzz
   * applies it; the canvas offers no way to ask it, so this asks the shaper by measuring, in the
   * first letter's font: a letter with a joiner after it (X+ZWJ) changes width only if it joins
   * forward, one with a joiner before it (ZWJ+Y) only if it joins backward. Where a letter's
   * forms are equally wide, the pair shaped together decides: as wide as the two joined forms,
   * or as the two letters alone.
   */
  joinsAt(i: number): boolean {
    const t = this.text;
    // The nearest letters before and from `i`, stepping over marks (harakat join through).
    let a = i;
    let x = '';
    do {
      const pair = a >= 2 && /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(t.slice(a - 2, a));
      x = t.slice(a - (pair ? 2 : 1), a);
      a -= x.length;
    } while (a > 0 && MARK.test(x));
    let b = i;
    let y = '';
    do {
      y = String.fromCodePoint(t.codePointAt(b) ?? 0);
      b += y.length;
    } while (b < t.length && MARK.test(y));
    if (!JOINING_SCRIPT.test(x) || !JOINING_SCRIPT.test(y) || MARK.test(x) || MARK.test(y)) return false;
    const style = this.spans[this.spanAt[a]].style;
    const k = `${style.font.css}|${x}${y}`;
    let r = joinCache.get(k);
    if (r === undefined) {
      const w = (s: string) => this.measure(s, style, false, isRtl(x));
      const differs = (a: number, b: number) => Math.abs(a - b) > 0.01;
      const [wx, wy] = [w(x), w(y)];
      const xForward = differs(w(x + ZWJ), wx);
      if (xForward && differs(w(ZWJ + y), wy)) r = true; // both letters have forms joined on that side
      else if (!xForward && differs(w(ZWJ + x), wx)) r = false; // x joins only the letter before it (alef, dal, reh, waw…)
      else {
        // Forms of equal width on one side (tatweel, hamza): the pair itself, shaped together.
        const pair = w(x + y);
        r = Math.abs(pair - (w(x + ZWJ) + w(ZWJ + y))) < Math.abs(pair - (wx + wy));
      }
      if (joinCache.size >= 20_000) joinCache.clear();
      joinCache.set(k, r);
    }
    return r;
  }

  /** Width of text[a, b), span by span (and emoji stretch by stretch), joined across spans where the letters join. */
  width(a: number, b: number): number {
    let w = 0;
    let i = a;
    while (i < b) {
      const span = this.spanAt[i];
      const emoji = this.emojiAt[i];
      let j = i + 1;
      while (j < b && this.spanAt[j] === span && this.emojiAt[j] === emoji) j++;
      const lead = i > a && this.joinsAt(i) ? ZWJ : '';
      const trail = j < b && this.joinsAt(j) ? ZWJ : '';
      w += this.measure(lead + this.text.slice(i, j) + trail, this.spans[span].style, emoji === 1, isRtl(this.text[trail ? j - 1 : i]));
      i = j;
    }
    return w;
  }

  /** The font's own ascent and descent (not the ink's), so every line of a font sits alike. */
  metrics(style: SpanStyle): { ascent: number; descent: number } {
    let r = this.#metrics.get(style);
    if (!r) {
      const mm = this.#use(style).measureText('Hg');
      const size = style.font.size;
      r = mm.fontBoundingBoxAscent + mm.fontBoundingBoxDescent > 0
        ? { ascent: mm.fontBoundingBoxAscent, descent: mm.fontBoundingBoxDescent }
        : { ascent: size * 0.8, descent: size * 0.2 };
      this.#metrics.set(style, r);
    }
    return r;
  }
}
