/**
 * The default line height, on its own: text-spans.ts (and through it the glyph warnings of
 * `montage validate`) needs the number without layout-text.ts's Skia and line breaker.
 */

/** Line height as a multiple of the font size when `font.lineHeight` is absent. */
export const DEFAULT_LINE_HEIGHT = 1.2;
