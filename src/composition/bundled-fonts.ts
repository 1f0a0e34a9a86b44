/**
 * The font families every render can use without declaring them in `fonts`: the bundled DejaVu
 * families and the CSS generic names mapped to them. The rasterizer's FontRegistry registers the
 * same names (a test holds the two together); validation uses this list so that an unknown family
 * is reported before anything is downloaded.
 */
export const BUNDLED_FONT_FAMILIES = [
  'DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'sans-serif', 'serif', 'monospace',
] as const;
