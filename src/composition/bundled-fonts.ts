/**
 * The font families every render can use without declaring them in `fonts`: the bundled DejaVu
 * families and the CSS generic names mapped to them. The rasterizer's FontRegistry registers the
 * same names (a test holds the two together); validation uses this list so that an unknown family
 * is reported before anything is downloaded.
 */
export const BUNDLED_FONT_FAMILIES = [
  'DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'sans-serif', 'serif', 'monospace',
] as const;

/**
 * Montage's fallback chain after DejaVu Sans (src/render/raster/fallback-fonts.ts, installed by
 * scripts/setup.sh and the image), in fallback order; also usable by name in `font.family`, and
 * `emoji` names Noto Color Emoji as CSS's generic does. A test holds this list to the rasterizer's.
 */
export const FALLBACK_FONT_FAMILIES = [
  'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'Noto Sans Devanagari', 'Noto Sans Bengali',
  'Noto Sans Gurmukhi', 'Noto Sans Gujarati', 'Noto Sans Oriya', 'Noto Sans Tamil', 'Noto Sans Telugu',
  'Noto Sans Kannada', 'Noto Sans Malayalam', 'Noto Sans Sinhala', 'Noto Sans Thai', 'Noto Sans Lao',
  'Noto Sans Khmer', 'Noto Sans Myanmar', 'Noto Sans Georgian', 'Noto Sans Armenian', 'Noto Sans Ethiopic',
  'Noto Sans CJK JP', 'Noto Sans Symbols', 'Noto Sans Symbols 2', 'Noto Sans Math', 'Noto Color Emoji', 'emoji',
] as const;
