/**
 * Which font files a render may use, and how a composition's `font.family` + `font.weight` become a
 * canvas font string.
 *
 * @napi-rs/canvas keeps one process-wide font collection (GlobalFonts), shared by every render in the
 * process. So families are never registered under the names compositions use: each file gets an
 * internal alias derived from what it is (the bundled file's name, or a hash of a user file's bytes).
 * Two renders that both declare "Brand" with different files then get different aliases and cannot
 * clash, and the same file declared by many renders is registered once (GlobalFonts cannot safely
 * unregister a font another render may be drawing with, so this is also what bounds its growth).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { MontageError } from '../../errors/registry.ts';
import type { Font } from '../../composition/schema.ts';

/** `font.weight` as the composition spells it. */
export type FontWeight = NonNullable<Font['weight']>;

/** Family used when a text or captions asset names none. */
export const DEFAULT_FONT_FAMILY = 'DejaVu Sans';
/** Text size in output pixels when `font.size` is absent. */
export const DEFAULT_FONT_SIZE = 48;

/** One face usable for drawing: the internal alias it is registered under and its weight. */
interface Face {
  readonly alias: string;
  readonly weight: number;
}

interface Family {
  /** The name as first declared, for messages. */
  readonly name: string;
  readonly faces: Face[];
  readonly bundled: boolean;
}

/** The fonts shipped with Montage (dejavu-fonts-ttf), with the CSS generic names that map to them. */
const BUNDLED: readonly { family: string; generic: string; files: readonly string[] }[] = [
  { family: 'DejaVu Sans', generic: 'sans-serif', files: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-ExtraLight.ttf'] },
  { family: 'DejaVu Serif', generic: 'serif', files: ['DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf'] },
  { family: 'DejaVu Sans Mono', generic: 'monospace', files: ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf'] },
];

/** First four bytes of the font containers FreeType reads: TrueType, OpenType/CFF, collections, WOFF(2). */
const FONT_MAGIC = ['00010000', '74727565' /* true */, '4f54544f' /* OTTO */, '74746366' /* ttcf */,
  '774f4646' /* wOFF */, '774f4632' /* wOF2 */];

/**
 * The fonts of one render: the bundled DejaVu families plus the composition's `fonts` entries.
 * Construct one per render; it is cheap after the first (bundled files are registered once per process).
 */
export class FontRegistry {
  readonly #families = new Map<string, Family>();

  constructor() {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    for (const { family, generic, files } of BUNDLED) {
      const faces = files.flatMap((file) => registerOnce(`montage-bundled-${basename(file, '.ttf')}`, join(dir, file)) ?? []);
      const entry: Family = { name: family, faces, bundled: true };
      this.#families.set(key(family), entry);
      this.#families.set(key(generic), { ...entry, name: generic });
    }
  }

  /**
   * Makes the font file at `path` (a local file already fetched) usable as `family`. Declaring the
   * same family again adds faces to it (e.g. a regular and a bold file); declaring a bundled or
   * generic name replaces the bundled font for this render.
   *
   * @param pointer JSON Pointer of the `fonts` entry, for the error's `problems`.
   * @throws MontageError MONTAGE_E_FONT_UNREADABLE if the file cannot be read or is not a font.
   */
  registerFile(family: string, path: string, pointer?: string): void {
    const fail = (why: string, cause?: unknown): never => {
      const detail = `The font for family "${family}" could not be loaded: ${why}.`;
      throw new MontageError('MONTAGE_E_FONT_UNREADABLE', detail, {
        problems: pointer === undefined ? [] : [{ pointer, detail }], cause,
      });
    };
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      return fail('the file could not be read', e);
    }
    if (!FONT_MAGIC.includes(bytes.subarray(0, 4).toString('hex'))) {
      fail('the file is not a TTF, OTF, TTC, WOFF or WOFF2 font');
    }
    const alias = `montage-font-${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}`;
    const faces = registerOnce(alias, path) ?? fail('the font data is damaged or of an unsupported kind');

    const existing = this.#families.get(key(family));
    if (existing && !existing.bundled) existing.faces.push(...faces);
    else this.#families.set(key(family), { name: family.trim(), faces: [...faces], bundled: false });
  }

  /**
   * The canvas font string (`"700 48px \"alias\""`) for a family, weight and size. Family names
   * match case-insensitively; a family without the exact weight uses its nearest face (CSS rules:
   * for 400–500 lighter first, above that heavier first). No synthetic bold is applied.
   *
   * @param family default "DejaVu Sans".
   * @param weight 100–900, "normal" (400) or "bold" (700); default 400.
   * @param size pixels; default 48.
   * @param pointer JSON Pointer of the `font.family` field, for the error's `problems`.
   * @throws MontageError MONTAGE_E_INVALID_COMPOSITION for a family that is neither bundled nor declared.
   */
  resolve(family?: string, weight?: FontWeight, size: number = DEFAULT_FONT_SIZE, pointer?: string): string {
    const entry = this.#families.get(key(family ?? DEFAULT_FONT_FAMILY));
    if (!entry || entry.faces.length === 0) {
      const detail = `Font family "${family}" is not available; use one of ${this.families().map((f) => `"${f}"`).join(', ')}, or declare it in "fonts".`;
      throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', detail, {
        problems: pointer === undefined ? [] : [{ pointer, detail }],
      });
    }
    const face = nearestFace(entry.faces, numericWeight(weight));
    return `${face.weight} ${size}px "${face.alias}"`;
  }

  /** Every family name this registry resolves (bundled, generic and declared), for messages. */
  families(): string[] {
    return [...new Set([...this.#families.values()].filter((f) => f.faces.length > 0).map((f) => f.name))];
  }
}

/** The weight `font.weight` asks for, as a number. */
export function numericWeight(weight: FontWeight | undefined): number {
  if (weight === undefined || weight === 'normal') return 400;
  if (weight === 'bold') return 700;
  return weight;
}

function key(family: string): string {
  return family.trim().toLowerCase();
}

/**
 * Registers `path` under `alias` unless the process already has it, and returns the upright faces
 * Skia found in it; null if Skia cannot load the file.
 */
function registerOnce(alias: string, path: string): Face[] | null {
  if (!GlobalFonts.has(alias) && GlobalFonts.registerFromPath(path, alias) === null) return null;
  const styles = GlobalFonts.families.find((f) => f.family === alias)?.styles ?? [];
  const upright = styles.filter((s) => s.style === 'normal');
  const weights = new Set((upright.length > 0 ? upright : styles).map((s) => s.weight));
  // A registered file that lists no style still draws; treat it as regular rather than losing it.
  return weights.size === 0 ? [{ alias, weight: 400 }] : [...weights].map((w) => ({ alias, weight: w }));
}

/** CSS Fonts §5.2 weight matching, reduced to the one axis Montage exposes. */
function nearestFace(faces: readonly Face[], wanted: number): Face {
  const exact = faces.find((f) => f.weight === wanted);
  if (exact) return exact;
  const lighter = faces.filter((f) => f.weight < wanted).sort((a, b) => b.weight - a.weight);
  const heavier = faces.filter((f) => f.weight > wanted).sort((a, b) => a.weight - b.weight);
  if (wanted >= 400 && wanted <= 500) {
    const upTo500 = heavier.filter((f) => f.weight <= 500);
    return upTo500[0] ?? lighter[0] ?? heavier[0];
  }
  return wanted < 400 ? (lighter[0] ?? heavier[0]) : (heavier[0] ?? lighter[0]);
}
