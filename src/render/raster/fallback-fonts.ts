/**
 * Montage's own font fallback chain: the fonts tried, in this order, for every character that the
 * text's own families (its `font.family` list) have no glyph for. The same list, by explicit file
 * path, in the CLI, the service and the container image; never a scan of the host's font folders.
 *
 * The files are Debian's Noto packages (fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji),
 * which scripts/setup.sh and the Dockerfile install. A file that is absent (a host without the
 * packages) is skipped; the characters only it covers are then reported as missing, so the output
 * never silently depends on what the host has. The family names are also usable in `font.family`
 * (the names are listed in src/composition/bundled-fonts.ts for validation; a test holds them equal).
 *
 * Order: DejaVu Sans first (the default look), then Noto Sans for the rest of Latin, Greek and
 * Cyrillic, then one family per script, CJK (the JP face of the collection), symbols, and colour
 * emoji last, because the emoji font also maps digits, `#` and `*` (keycap bases) that must stay text.
 */
import { existsSync } from 'node:fs';

/** One face of a fallback family: its file and the style it provides. */
export interface FallbackFace {
  readonly path: string;
  readonly weight: number;
  readonly italic: boolean;
}

export interface FallbackFamily {
  readonly family: string;
  readonly faces: readonly FallbackFace[];
}

const CORE = '/usr/share/fonts/truetype/noto';
const CJK = '/usr/share/fonts/opentype/noto';
const EMOJI = '/usr/share/fonts/truetype/noto';

/** A family with a Regular file and, where `bold`, a Bold one (fonts-noto-core's naming). */
const notoCore = (family: string, file: string, bold = true): FallbackFamily => ({
  family,
  faces: [
    { path: `${CORE}/${file}-Regular.ttf`, weight: 400, italic: false },
    ...(bold ? [{ path: `${CORE}/${file}-Bold.ttf`, weight: 700, italic: false }] : []),
  ],
});

/** The chain after DejaVu Sans (bundled, registered by FontRegistry), in fallback order. */
export const FALLBACK_FAMILIES: readonly FallbackFamily[] = [
  {
    family: 'Noto Sans',
    faces: [
      { path: `${CORE}/NotoSans-Regular.ttf`, weight: 400, italic: false },
      { path: `${CORE}/NotoSans-Bold.ttf`, weight: 700, italic: false },
      { path: `${CORE}/NotoSans-Italic.ttf`, weight: 400, italic: true },
      { path: `${CORE}/NotoSans-BoldItalic.ttf`, weight: 700, italic: true },
    ],
  },
  notoCore('Noto Sans Arabic', 'NotoSansArabic'),
  notoCore('Noto Sans Hebrew', 'NotoSansHebrew'),
  notoCore('Noto Sans Devanagari', 'NotoSansDevanagari'),
  notoCore('Noto Sans Bengali', 'NotoSansBengali'),
  notoCore('Noto Sans Gurmukhi', 'NotoSansGurmukhi'),
  notoCore('Noto Sans Gujarati', 'NotoSansGujarati'),
  notoCore('Noto Sans Oriya', 'NotoSansOriya'),
  notoCore('Noto Sans Tamil', 'NotoSansTamil'),
  notoCore('Noto Sans Telugu', 'NotoSansTelugu'),
  notoCore('Noto Sans Kannada', 'NotoSansKannada'),
  notoCore('Noto Sans Malayalam', 'NotoSansMalayalam'),
  notoCore('Noto Sans Sinhala', 'NotoSansSinhala'),
  notoCore('Noto Sans Thai', 'NotoSansThai'),
  notoCore('Noto Sans Lao', 'NotoSansLao'),
  notoCore('Noto Sans Khmer', 'NotoSansKhmer'),
  notoCore('Noto Sans Myanmar', 'NotoSansMyanmar'),
  notoCore('Noto Sans Georgian', 'NotoSansGeorgian'),
  notoCore('Noto Sans Armenian', 'NotoSansArmenian'),
  notoCore('Noto Sans Ethiopic', 'NotoSansEthiopic'),
  {
    family: 'Noto Sans CJK JP',
    faces: [
      { path: `${CJK}/NotoSansCJK-Regular.ttc`, weight: 400, italic: false },
      { path: `${CJK}/NotoSansCJK-Bold.ttc`, weight: 700, italic: false },
    ],
  },
  notoCore('Noto Sans Symbols', 'NotoSansSymbols'),
  notoCore('Noto Sans Symbols 2', 'NotoSansSymbols2', false),
  notoCore('Noto Sans Math', 'NotoSansMath', false),
  { family: 'Noto Color Emoji', faces: [{ path: `${EMOJI}/NotoColorEmoji.ttf`, weight: 400, italic: false }] },
];

/** The chain's faces whose files exist here, per family (families without any file are left out). */
export function installedFallbackFamilies(exists: (path: string) => boolean = existsSync): FallbackFamily[] {
  return FALLBACK_FAMILIES
    .map((f) => ({ family: f.family, faces: f.faces.filter((face) => exists(face.path)) }))
    .filter((f) => f.faces.length > 0);
}
