/**
 * From a `text` (or `captions`) asset's fields to the styled spans the layout takes: each span's
 * `font` fields override the asset's for that span only; `transform` is applied; fonts are
 * resolved to the family list plus Montage's fallback chain; and every character that no font of
 * that list can draw becomes a warning naming it.
 */
import type { FieldProblem } from '../../errors/registry.ts';
import type { Font, TextBackground, TextSpan } from '../../composition/schema.ts';
import { DEFAULT_FONT_SIZE, type FontRegistry } from './font-registry.ts';
import { DEFAULT_LINE_HEIGHT } from './line-height.ts';
import type { SpanStyle, StyledText } from './layout-rich-text.ts';
import { toCssColour } from './parse-colour.ts';
import { applyTextTransform, continuesWord, type TextTransform } from './text-transform.ts';

/** Text colour when `font.color` is absent. */
export const DEFAULT_TEXT_COLOUR = '#ffffff';
/** Gradient direction when `gradient.angle` is absent: top to bottom, as in CSS. */
export const DEFAULT_GRADIENT_ANGLE = 180;

export interface SpanInput {
  /** The asset's `text`: a string or spans. */
  readonly text: string | readonly TextSpan[];
  /** The asset's `font`. */
  readonly font?: Font;
  readonly transform?: TextTransform;
}

/**
 * The spans to lay out. `scale` multiplies every size and letter spacing (used by `shrink`).
 *
 * @param pointer JSON Pointer of the asset, for font errors (`…/font/family`,
 *   `…/text/2/font/family`) and missing-character warnings (`…/text`, `…/text/2/text`).
 * @param warn receives one warning per span with characters no font has.
 */
export function styledSpans(input: SpanInput, fonts: FontRegistry, scale = 1, pointer?: string, warn?: (p: FieldProblem) => void): StyledText[] {
  const list = typeof input.text === 'string' ? [{ text: input.text }] as TextSpan[] : input.text;
  const out: StyledText[] = [];
  let previous = '';
  list.forEach((span, i) => {
    const at = pointer === undefined ? undefined : typeof input.text === 'string' ? pointer : `${pointer}/text/${i}`;
    const font: Font = { ...input.font, ...span.font };
    const familyAt = at === undefined ? undefined : span.font?.family !== undefined ? `${at}/font/family` : `${pointer}/font/family`;
    const size = (font.size ?? DEFAULT_FONT_SIZE) * scale;
    const resolved = fonts.resolveFont({ family: font.family, weight: font.weight, style: font.style, size }, familyAt);
    const text = applyTextTransform(span.text, input.transform, continuesWord(previous, span.text));
    previous = span.text;
    // A span's own colour wins over a gradient it would otherwise inherit from the asset.
    const gradient = span.font?.gradient ?? (span.font?.color !== undefined ? undefined : input.font?.gradient);
    const style: SpanStyle = {
      font: resolved,
      lineHeight: font.lineHeight ?? DEFAULT_LINE_HEIGHT,
      letterSpacing: (font.letterSpacing ?? 0) * scale,
      color: toCssColour(font.color ?? DEFAULT_TEXT_COLOUR),
      ...(gradient ? { gradient: { colors: gradient.colors.map((c) => toCssColour(c)), angle: gradient.angle ?? DEFAULT_GRADIENT_ANGLE } } : {}),
      ...(span.background !== undefined ? { background: backgroundOf(span.background) } : {}),
    };
    if (warn && scale === 1) {
      const { missing, unloadable } = fonts.fontProblems(text, resolved);
      for (const path of unloadable) warn({ pointer: at === undefined ? '' : `${at}/text`, detail: unloadableFontDetail(path) });
      if (missing.length > 0) {
        warn({ pointer: at === undefined ? '' : `${at}/text`, detail: missingCharactersDetail(missing) });
      }
    }
    out.push({ text, style });
  });
  return out;
}

/** A `background` field as colour and corner radius. */
export function backgroundOf(bg: TextBackground): { color: string; radius: number } {
  return typeof bg === 'string' ? { color: toCssColour(bg), radius: 0 } : { color: toCssColour(bg.color), radius: bg.radius ?? 0 };
}

/**
 * The warning's sentence for characters no font has (each once): "has a character that no font can
 * draw: "☃" (U+2603); it would show as …". `where` follows the list (", first at 12.50 s").
 */
export function missingCharactersDetail(missing: readonly string[], where = ''): string {
  const one = missing.length === 1;
  return `has ${one ? 'a character' : 'characters'} that no font can draw: ${missing.slice(0, 10).map(describeChar).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}${where}; ${one ? 'it' : 'they'} would show as empty boxes: declare a font that has ${one ? 'it' : 'them'} in "fonts" and name it in font.family`;
}

/** The warning's sentence for a font file of Montage's own (fallback-fonts.ts) that cannot be loaded. */
export function unloadableFontDetail(path: string): string {
  return `needs the font file ${path}, which is damaged or cannot be loaded, so its characters are drawn with the next font that has them or show as empty boxes: reinstall Montage's fonts (scripts/setup.sh; the container image has them)`;
}

/** `"☃" (U+2603)` */
export function describeChar(ch: string): string {
  return `"${ch}" (${[...ch].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')})`;
}
