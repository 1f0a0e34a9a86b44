/**
 * Lays text out for a box, and for `shrink` finds the largest size that fits it: the text must fit
 * `maxWidth` without breaking inside a word and, where given, `maxHeight`. Sizes are searched by
 * bisection between `minSize` and the asked size (every span scaled alike, letter spacing too),
 * to within a few hundredths of a pixel of size; text that does not fit even at `minSize` is laid out
 * at `minSize` (and may then wrap inside words or overflow the height).
 */
import type { FieldProblem } from '../../errors/registry.ts';
import type { FontRegistry } from './font-registry.ts';
import { DEFAULT_FONT_SIZE } from './font-registry.ts';
import { layoutRichText, type RichTextLayout } from './layout-rich-text.ts';
import { styledSpans, type SpanInput } from './text-spans.ts';

/** Smallest size `shrink` goes down to when `minSize` is absent, in pixels. */
export const DEFAULT_MIN_SIZE = 12;

export interface FitRequest {
  readonly input: SpanInput;
  readonly fonts: FontRegistry;
  readonly pointer?: string;
  readonly warn?: (p: FieldProblem) => void;
  readonly maxWidth: number;
  readonly maxHeight?: number;
  readonly align: 'left' | 'center' | 'right';
  readonly shrink: boolean;
  readonly minSize?: number;
  /** Told when `shrink` cannot make the text fit even at `minSize` (the warning names `…/minSize`). */
  readonly overflow?: (p: FieldProblem) => void;
}

const STEPS = 10;

export function fitText(req: FitRequest): RichTextLayout {
  const lay = (scale: number) => layoutRichText(
    styledSpans(req.input, req.fonts, scale, req.pointer, scale === 1 ? req.warn : undefined),
    { maxWidth: req.maxWidth, align: req.align },
  );
  const full = lay(1);
  if (!req.shrink || fits(full, req)) return full;
  const base = baseSize(req.input);
  let lo = Math.min(1, (req.minSize ?? DEFAULT_MIN_SIZE) / base);
  let hi = 1;
  let best = lay(lo);
  if (!fits(best, req)) {
    req.overflow?.(overflowWarning(best, req, lo * base));
    return best;
  }
  for (let i = 0; i < STEPS; i++) {
    const mid = (lo + hi) / 2;
    const l = lay(mid);
    if (fits(l, req)) { lo = mid; best = l; } else hi = mid;
  }
  return best;
}

/** What `shrink` could not do, and what the author can change. */
function overflowWarning(l: RichTextLayout, req: FitRequest, size: number): FieldProblem {
  const how = l.brokeWord ? 'a word is broken across lines' : l.width > req.maxWidth + 0.01 ? 'it is wider than its box' : 'it is taller than its height';
  return {
    pointer: req.pointer === undefined ? 'minSize' : `${req.pointer}/minSize`,
    detail: `the text does not fit its box even shrunk to ${+size.toFixed(2)} px (minSize): ${how}; lower minSize, shorten the text, or give it more width or height`,
  };
}

function fits(l: RichTextLayout, req: FitRequest): boolean {
  return !l.brokeWord && l.width <= req.maxWidth + 0.01 && (req.maxHeight === undefined || l.height <= req.maxHeight + 0.01);
}

/** The size `minSize` is compared with: the largest size any span asks for. */
function baseSize(input: SpanInput): number {
  const asset = input.font?.size ?? DEFAULT_FONT_SIZE;
  if (typeof input.text === 'string') return asset;
  return Math.max(...input.text.map((s) => s.font?.size ?? asset));
}
