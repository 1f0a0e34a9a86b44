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
import { MontageError } from '../../errors/registry.ts';
import type { Font } from '../../composition/schema.ts';
import { FALLBACK_FAMILIES, installedFallbackFamilies, type FallbackFamily } from './fallback-fonts.ts';
import { needsNoGlyph, readCoverage, type Coverage } from './font-coverage.ts';

// @napi-rs/canvas (Skia; about 50 ms of CPU to load) is loaded when a font is first handed to Skia:
// a registry made only to check coverage (`{ forDrawing: false }`, montage validate) never loads it.
const require = createRequire(import.meta.url);
const skiaFonts = (): typeof import('@napi-rs/canvas').GlobalFonts => (require('@napi-rs/canvas') as typeof import('@napi-rs/canvas')).GlobalFonts;

/** `font.weight` as the composition spells it. */
export type FontWeight = NonNullable<Font['weight']>;

/** Family used when a text or captions asset names none. */
export const DEFAULT_FONT_FAMILY = 'DejaVu Sans';
/** Text size in output pixels when `font.size` is absent. */
export const DEFAULT_FONT_SIZE = 48;

/** One face usable for drawing: the internal alias it is registered under, its weight and slant. */
export interface Face {
  readonly alias: string;
  readonly weight: number;
  readonly italic: boolean;
  /** The file, for reading which characters it covers. */
  readonly path: string;
}

interface Family {
  /** The name as first declared, for messages. */
  readonly name: string;
  readonly faces: Face[];
  /** Bundled with Montage or part of its fallback chain (a declaration of the same name replaces it). */
  readonly bundled: boolean;
}

/** `font.style` as the composition spells it. */
export type FontStyle = 'normal' | 'italic';

/** What {@link FontRegistry.resolveFont} is asked for; every field optional, as in a composition. */
export interface FontRequest {
  /** One family or a CSS-style list, `"Brand Sans, DejaVu Sans"`; default "DejaVu Sans". */
  readonly family?: string;
  readonly weight?: FontWeight;
  readonly style?: FontStyle;
  /** Pixels; default {@link DEFAULT_FONT_SIZE}. */
  readonly size?: number;
}

/**
 * A font ready for drawing: the canvas font string naming the text's families and then Montage's
 * fallback chain, so that Skia picks, per character, the first of them that has a glyph.
 */
export interface ResolvedFont {
  /** Canvas font string, e.g. `400 48px "montage-bundled-DejaVuSans", "montage-fallback-…", …`. */
  readonly css: string;
  readonly size: number;
  /** The faces named in `css`, in fallback order (for coverage checks). */
  readonly faces: readonly Face[];
  /**
   * The same with the colour emoji font first, for emoji-presentation characters (🟥, ❤️): other
   * fonts of the chain have plain glyphs for some of them, which would draw them in the text colour.
   */
  readonly emojiCss: string;
  /** The faces named in `emojiCss`, in its order. */
  readonly emojiFaces: readonly Face[];
}

/** Names of the fallback chain (installed here or not), and the generic `emoji`. */
const FALLBACK_NAMES = new Set([...FALLBACK_FAMILIES.map((f) => key(f.family)), 'emoji']);

/** The fonts shipped with Montage (dejavu-fonts-ttf), with the CSS generic names that map to them. */
const BUNDLED: readonly { family: string; generic: string; files: readonly string[] }[] = [
  { family: 'DejaVu Sans', generic: 'sans-serif', files: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-ExtraLight.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'] },
  { family: 'DejaVu Serif', generic: 'serif', files: ['DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf', 'DejaVuSerif-Italic.ttf', 'DejaVuSerif-BoldItalic.ttf'] },
  { family: 'DejaVu Sans Mono', generic: 'monospace', files: ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf', 'DejaVuSansMono-Oblique.ttf', 'DejaVuSansMono-BoldOblique.ttf'] },
];

/** First four bytes of the font containers FreeType reads: TrueType, OpenType/CFF, collections, WOFF(2). */
const FONT_MAGIC = ['00010000', '74727565' /* true */, '4f54544f' /* OTTO */, '74746366' /* ttcf */,
  '774f4646' /* wOFF */, '774f4632' /* wOF2 */];

/**
 * The fonts of one render: the bundled DejaVu families, Montage's fallback chain
 * (fallback-fonts.ts) and the composition's `fonts` entries.
 * Construct one per render; it is cheap after the first (files are registered once per process),
 * and costs nothing until it is used.
 */
export class FontRegistry {
  readonly #familyMap = new Map<string, Family>();
  /** Names (keys) of the fallback chain, in order, DejaVu Sans first. */
  readonly #chainKeys: string[] = [];
  readonly #forDrawing: boolean;
  readonly #fallback: () => readonly FallbackFamily[];
  #builtIn = false;

  /**
   * The bundled and fallback families are set up on the first use of the registry, not here: a
   * render with no text makes one and never loads Skia or a font file. The bundled files are then
   * handed to Skia; a fallback file only once a text needs one of its characters (registerFacesFor,
   * called by the layout), so a Latin text never loads the CJK or emoji fonts.
   *
   * @param opts.forDrawing false for a registry that only checks which characters the fonts cover
   *   (glyphWarnings): the bundled and fallback files are not handed to Skia, so its font strings
   *   draw nothing until a registry for drawing is used in the process. Default true.
   * @param opts.fallback the fallback chain after DejaVu Sans; default the fallback fonts installed
   *   here (fallback-fonts.ts). Tests give another.
   */
  constructor(opts: { readonly forDrawing?: boolean; readonly fallback?: readonly FallbackFamily[] } = {}) {
    this.#forDrawing = opts.forDrawing ?? true;
    this.#fallback = opts.fallback ? () => opts.fallback! : installedFallbackFamilies;
  }

  get #families(): Map<string, Family> {
    this.#addBuiltIn();
    return this.#familyMap;
  }

  get #chain(): string[] {
    this.#addBuiltIn();
    return this.#chainKeys;
  }

  #addBuiltIn(): void {
    if (this.#builtIn) return;
    this.#builtIn = true;
    const forDrawing = this.#forDrawing;
    const families = this.#familyMap;
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    for (const { family, generic, files } of BUNDLED) {
      const faces = files.flatMap((file) => registerOnce(`montage-bundled-${basename(file, '.ttf')}`, join(dir, file), dejaVuStyle(file), forDrawing) ?? []);
      const entry: Family = { name: family, faces, bundled: true };
      families.set(key(family), entry);
      families.set(key(generic), { ...entry, name: generic });
    }
    this.#chainKeys.push(key(DEFAULT_FONT_FAMILY));
    for (const { family, faces } of this.#fallback()) {
      // Handed to Skia only when a text needs one of its characters (registerFacesFor).
      const usable = faces.flatMap((f) => registerOnce(`montage-fallback-${basename(f.path).replace(/\.[^.]+$/, '')}`, f.path, f, false) ?? []);
      if (usable.length === 0) continue;
      families.set(key(family), { name: family, faces: usable, bundled: true });
      this.#chainKeys.push(key(family));
    }
    const emoji = families.get(key('Noto Color Emoji'));
    if (emoji) families.set('emoji', { ...emoji, name: 'emoji' });
  }

  /**
   * Makes the font file at `path` (a local file already fetched) usable as `family`. Declaring the
   * same family again adds faces to it (e.g. a regular and a bold file); declaring a bundled or
   * generic name replaces the bundled font for this render.
   *
   * @param pointer JSON Pointer of the `fonts` entry, for the error's `problems`.
   * @throws MontageError MONTAGE_E_FONT_UNREADABLE if the file cannot be read, is not a font, has no
   *   usable character map or is refused by Skia.
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
      return fail('the file could not be read; check that it exists and is readable', e);
    }
    const problem = fontFileProblem(bytes, path);
    if (problem) fail(problem);
    const alias = `montage-font-${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}`;
    const faces = registerOnce(alias, path) ?? fail(`the font data is damaged or of a kind Skia cannot read; ${USE_ANOTHER}`);

    const existing = this.#families.get(key(family));
    if (existing && !existing.bundled) existing.faces.push(...faces);
    else this.#families.set(key(family), { name: family.trim(), faces: [...faces], bundled: false });
  }

  /**
   * The canvas font string for a family (or CSS-style list), weight and size, followed by
   * Montage's fallback chain. Family names match case-insensitively; a family without the exact
   * weight uses its nearest face (CSS rules: for 400–500 lighter first, above that heavier first).
   *
   * @param family default "DejaVu Sans"; may be a list, `"Brand Sans, DejaVu Sans"`.
   * @param weight 100–900, "normal" (400) or "bold" (700); default 400.
   * @param size pixels; default 48.
   * @param pointer JSON Pointer of the `font.family` field, for the error's `problems`.
   * @throws MontageError MONTAGE_E_INVALID_COMPOSITION for a family that is neither bundled nor declared.
   */
  resolve(family?: string, weight?: FontWeight, size: number = DEFAULT_FONT_SIZE, pointer?: string): string {
    return this.resolveFont({ family, weight, size }, pointer).css;
  }

  /**
   * {@link resolve} with the slant, returning the faces too. For each named family (then each
   * family of the chain not already named) the face nearest to the weight and slant is chosen;
   * the font string carries the weight asked for, as CSS does: each face is drawn as it is, and
   * Skia synthesizes bold (weight 600 or more on a face lighter than 600) or italic only where
   * the face chosen lacks it. (Carrying the first face's weight instead left a declared
   * regular-only family regular at weight 700, and made a bold-only one embolden the regular
   * fallback faces of a regular text.)
   */
  resolveFont(req: FontRequest, pointer?: string): ResolvedFont {
    const size = req.size ?? DEFAULT_FONT_SIZE;
    const italic = req.style === 'italic';
    const names = parseFamilyList(req.family ?? DEFAULT_FONT_FAMILY);
    const chosen: Family[] = [];
    for (const name of names.length > 0 ? names : [DEFAULT_FONT_FAMILY]) {
      const entry = this.#families.get(key(name));
      // A fallback font named in the list but not installed on this host is skipped, as CSS skips
      // a missing family; the characters only it has are reported as missing instead.
      if (!entry && FALLBACK_NAMES.has(key(name))) continue;
      if (!entry || entry.faces.length === 0) {
        const detail = `Font family "${name}" is not available; use one of ${this.families().map((f) => `"${f}"`).join(', ')}, or declare it in "fonts".`;
        throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', detail, {
          problems: pointer === undefined ? [] : [{ pointer, detail }],
        });
      }
      chosen.push(entry);
    }
    for (const k of this.#chain) {
      const entry = this.#families.get(k);
      if (entry && entry.faces.length > 0) chosen.push(entry);
    }
    const faces: Face[] = [];
    for (const entry of chosen) {
      const face = pickFace(entry.faces, numericWeight(req.weight), italic);
      if (!faces.some((f) => f.alias === face.alias && f.weight === face.weight && f.italic === face.italic)) faces.push(face);
    }
    const head = `${italic ? 'italic ' : ''}${numericWeight(req.weight)} ${size}px `;
    const css = head + faces.map((f) => `"${f.alias}"`).join(', ');
    const emoji = this.#families.get('emoji')?.faces[0];
    const emojiFaces = emoji ? [emoji, ...faces.filter((f) => f.alias !== emoji.alias)] : faces;
    const emojiCss = head + emojiFaces.map((f) => `"${f.alias}"`).join(', ');
    return { css, size, faces, emojiCss, emojiFaces };
  }

  /**
   * The characters of `text` that no face of `font` has a glyph for (each once, in order of
   * appearance). Whitespace, joiners, variation selectors and other invisible characters never count.
   */
  missingCharacters(text: string, font: ResolvedFont): string[] {
    return this.fontProblems(text, font).missing;
  }

  /**
   * {@link missingCharacters}, and the files of the faces that would draw some character of `text`
   * but cannot be loaded (a fallback file that is damaged or that Skia refuses): their characters
   * go to the next face that has them, or are missing. A registry for drawing hands each face it
   * finds to Skia, as drawing would; one that only checks coverage tells a damaged file by its map.
   */
  fontProblems(text: string, font: ResolvedFont): { missing: string[]; unloadable: string[] } {
    // A face's coverage is read only when the faces before it lack a character: Latin text reads
    // DejaVu's cmap alone, not the thirty files of the fallback chain.
    const coverages: (Coverage | undefined)[] = [];
    const missing = new Set<string>();
    const unloadable = new Set<string>();
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (needsNoGlyph(cp) || missing.has(ch)) continue;
      const found = font.faces.some((f, i) => {
        const coverage = (coverages[i] ??= coverageOf(f.path));
        if (!coverage.readable) unloadable.add(f.path);
        if (!coverage.has(cp)) return false;
        if (loadable(f, this.#forDrawing)) return true;
        unloadable.add(f.path);
        return false;
      });
      if (!found) missing.add(ch);
    }
    return { missing: [...missing], unloadable: [...unloadable] };
  }

  /** Every family name this registry resolves (bundled, generic and declared), for messages. */
  families(): string[] {
    return [...new Set([...this.#families.values()].filter((f) => f.faces.length > 0 && !this.#isFallback(f)).map((f) => f.name))];
  }

  /** Montage's fallback chain as installed here, in order (DejaVu Sans first). */
  fallbackFamilies(): string[] {
    return this.#chain.map((k) => this.#families.get(k)!.name);
  }

  #isFallback(f: Family): boolean {
    return f.bundled && (this.#chain.slice(1).includes(key(f.name)) || f.name === 'emoji');
  }
}

/**
 * The names of a CSS-style family list, in order: `Brand Sans, "DejaVu Sans"` → ["Brand Sans",
 * "DejaVu Sans"]. Quotes around a name are optional; empty items are dropped.
 */
export function parseFamilyList(family: string): string[] {
  return family.split(',').map((s) => s.trim().replace(/^(["'])(.*)\1$/, '$2').trim()).filter((s) => s !== '');
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

/** Faces found per registered alias: listing GlobalFonts.families costs milliseconds per call. */
const registered = new Map<string, Face[]>();
/** Aliases Skia has: its family list when this module first registered a file, plus what it registered since. */
let skiaFamilies: Set<string> | undefined;

/**
 * Registers `path` under `alias` unless the process already has it, and returns its faces; null if
 * Skia cannot load the file. `known` gives the face for files whose style Montage knows (bundled
 * and fallback fonts), sparing the look-up in Skia's family list; declared files are looked up.
 * `forDrawing` false: known files are not registered (and not remembered as registered).
 */
function registerOnce(alias: string, path: string, known?: { weight: number; italic: boolean }, forDrawing = true): Face[] | null {
  const cached = registered.get(alias);
  if (cached) return cached;
  // Only checking coverage: a file Skia could not load reads as covering nothing (readCoverage),
  // which warns about the same characters as leaving it out.
  if (!forDrawing && known) return [{ alias, path, ...known }];
  if (!handToSkia(alias, path)) return null;
  const GlobalFonts = skiaFonts();
  let faces: Face[];
  if (known) {
    faces = [{ alias, path, ...known }];
  } else {
    const styles = GlobalFonts.families.find((f) => f.family === alias)?.styles ?? [];
    const byStyle = new Map<string, Face>();
    for (const s of styles) {
      const italic = s.style === 'italic' || s.style === 'oblique';
      byStyle.set(`${s.weight}/${italic}`, { alias, weight: s.weight, italic, path });
    }
    // A registered file that lists no style still draws; treat it as regular rather than losing it.
    faces = byStyle.size === 0 ? [{ alias, weight: 400, italic: false, path }] : [...byStyle.values()];
  }
  registered.set(alias, faces);
  return faces;
}

/** Registers `path` under `alias` with Skia unless it has it; false if Skia cannot load the file. */
function handToSkia(alias: string, path: string): boolean {
  const GlobalFonts = skiaFonts();
  // GlobalFonts.has lists (and JSON-parses) every family per call, about 2 ms each with fifty
  // fallback files: the families Skia already has are listed once per process instead.
  skiaFamilies ??= new Set(GlobalFonts.families.map((f) => f.family));
  if (skiaFamilies.has(alias)) return true;
  if (GlobalFonts.registerFromPath(path, alias) === null) return false;
  skiaFamilies.add(alias);
  return true;
}

/** Faces registerFacesFor or fontProblems have handed to Skia, and whether Skia took each: each is tried once per process. */
const handed = new Map<string, boolean>();

/**
 * Whether a face can draw: its file has a usable character map and, for drawing, Skia has it
 * (handed over now if it is not yet). Without drawing, a file Skia would refuse for another reason
 * passes: only loading it could tell.
 */
function loadable(face: Face, forDrawing: boolean): boolean {
  if (!coverageOf(face.path).readable) return false;
  if (!forDrawing || registered.has(face.alias)) return true;
  let ok = handed.get(face.alias);
  if (ok === undefined) handed.set(face.alias, (ok = handToSkia(face.alias, face.path)));
  return ok;
}

/** The sentence that ends every unreadable-font message. */
const USE_ANOTHER = 'use an undamaged TTF, OTF, TTC, WOFF or WOFF2 file (export or download the font again)';

/**
 * Why the bytes of a declared font file cannot be a usable font, or undefined: not a font
 * container, or no character map that a renderer could use.
 */
export function fontFileProblem(bytes: Buffer, path: string): string | undefined {
  if (!FONT_MAGIC.includes(bytes.subarray(0, 4).toString('hex'))) {
    const head = bytes.subarray(0, 16).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    return `the file is not a TTF, OTF, TTC, WOFF or WOFF2 font (it begins "${head}"); point src at a font file`;
  }
  if (!coverageOf(path).readable) {
    return `its character map (the "cmap" table) is missing or damaged, so no character could be drawn with it; ${USE_ANOTHER}`;
  }
  return undefined;
}

/**
 * Hands Skia the faces that drawing `text` with `faces` (a ResolvedFont's `faces` or
 * `emojiFaces`) needs: for each character, the first face that has it, which is the one Skia's own
 * per-character fallback over the same list picks. Montage's fallback fonts (Noto: Arabic, CJK,
 * emoji… about 50 files) are registered this way, on first need, rather than all when the first
 * text is drawn: a Latin title costs DejaVu Sans alone. Bundled and declared fonts are already
 * registered; a face is looked at only when the faces before it lack a character.
 */
export function registerFacesFor(text: string, faces: readonly Face[]): void {
  if (faces.every((f) => handed.has(f.alias) || registered.has(f.alias))) return;
  const coverages: (Coverage | undefined)[] = [];
  const seen = new Set<number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (needsNoGlyph(cp) || seen.has(cp)) continue;
    seen.add(cp);
    // A face Skia refuses is passed over, as Skia's own fallback passes over a family it lacks.
    faces.find((f, i) => (coverages[i] ??= coverageOf(f.path)).has(cp) && loadable(f, true));
  }
}

/** Weight and slant of a bundled DejaVu file, from its name (DejaVuSans-BoldOblique.ttf → 700, italic). */
function dejaVuStyle(file: string): { weight: number; italic: boolean } {
  return {
    weight: /-Bold/.test(file) ? 700 : /-ExtraLight/.test(file) ? 200 : 400,
    italic: /(Oblique|Italic)/.test(file),
  };
}

/** Which characters each file covers, read once per process (files are immutable while we run). */
const coverages = new Map<string, Coverage>();
function coverageOf(path: string): Coverage {
  let c = coverages.get(path);
  if (!c) coverages.set(path, (c = readCoverage(path)));
  return c;
}

/** The face of the wanted slant if the family has one (else upright), nearest in weight. */
function pickFace(faces: readonly Face[], weight: number, italic: boolean): Face {
  const slanted = faces.filter((f) => f.italic === italic);
  return nearestFace(slanted.length > 0 ? slanted : faces, weight);
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
