/**
 * A Shotstack Edit (timeline → tracks → clips → assets, output, merge, callback) → a Montage
 * composition. Pure: no I/O, the same for `montage import shotstack`, `montage render` of an Edit
 * and the /edit/v1 routes. Everything Montage cannot render is a problem naming its path in the
 * Edit; nothing is dropped without a word. The field-by-field table is docs/shotstack.md.
 *
 * Conventions that differ: Shotstack's first track is the top layer (Montage's last); its offset
 * `y` points up; its `fit: crop` is Montage's `cover` and its `cover` stretches; its 8-digit colours
 * put alpha first.
 */
import { isObject, ProblemList, type EditPath, type EditProblem, type JsonObject } from './edit-problems.ts';
import type { SourceSize } from './clip-box-fit.ts';
import { mapClip } from './map-clip.ts';
import { mapOutput } from './map-output.ts';
import { colour, type TextContext } from './map-text.ts';

export { looksLikeShotstackEdit } from './looks-like-edit.ts';
export { boxedSources, type SourceSize } from './clip-box-fit.ts';

export interface ImportedEdit {
  /** The composition, complete where `problems` is empty. */
  readonly composition: JsonObject;
  readonly problems: readonly EditProblem[];
  /** Approximations worth knowing (a font Montage does not have, …); the render goes ahead. */
  readonly warnings: readonly string[];
  /** The Edit's `callback` URL, if any: Montage POSTs Shotstack's callback body to it. */
  readonly callback?: string;
  /** Where each composition clip came from: `clipOrigins[track][clip]` is its path in the Edit. */
  readonly clipOrigins: readonly (readonly EditPath[])[];
  /** `output.repeat: false` on a GIF: render it with RenderJob.gifPlaysOnce (not a composition field). */
  readonly gifPlaysOnce?: boolean;
}


const fileStem = (src: string) => {
  const name = decodeURIComponent(src.split(/[?#]/)[0].split('/').pop() ?? '');
  return name.replace(/\.[a-z0-9]+$/i, '');
};
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Every `font.family` the Edit's assets name. */
const familiesUsed = (tracks: unknown[]): string[] => {
  const out = new Set<string>();
  for (const t of tracks) for (const c of (isObject(t) && Array.isArray(t.clips) ? t.clips : [])) {
    const a = isObject(c) ? c.asset : undefined;
    if (isObject(a) && isObject(a.font) && typeof a.font.family === 'string') out.add(a.font.family);
  }
  return [...out];
};

/**
 * Shotstack fonts are bare files (`{src}`): the family is the name inside the file. Montage needs a
 * name, so each file is matched to a family the Edit uses whose letters begin its file name
 * ("Open Sans" ↔ OpenSans-Bold.ttf); a file that matches none is declared under its file name's
 * first part.
 */
const mapFonts = (fonts: unknown, used: string[], problems: ProblemList): { fonts: JsonObject[]; families: Set<string> } => {
  const out: JsonObject[] = [];
  const families = new Set<string>();
  if (fonts === undefined) return { fonts: out, families };
  if (!Array.isArray(fonts)) { problems.add(['timeline', 'fonts'], 'must be an array of {"src": URL}.'); return { fonts: out, families }; }
  fonts.forEach((f, i) => {
    if (!isObject(f) || typeof f.src !== 'string') { problems.add(['timeline', 'fonts', i, 'src'], 'must be the URL of a TTF, OTF, WOFF or WOFF2 file.'); return; }
    const stem = fileStem(f.src);
    const match = used.filter((u) => squash(stem).startsWith(squash(u))).sort((a, b) => b.length - a.length)[0];
    const family = match ?? (stem.split(/[-_]/)[0] || stem);
    out.push({ family, src: f.src });
    families.add(family);
  });
  return { fonts: out, families };
};

const SOUNDTRACK_EFFECTS = new Set(['fadeIn', 'fadeOut', 'fadeInFadeOut']);

export interface ImportOptions {
  /**
   * The sizes of the sources of video and image clips that set `width`/`height`
   * (boxedSources(edit)), read by probing; without them such a box is drawn as if the source had
   * its shape, with a warning.
   */
  readonly sourceSizes?: ReadonlyMap<string, SourceSize>;
}

export function importShotstackEdit(edit: unknown, opts: ImportOptions = {}): ImportedEdit {
  const problems = new ProblemList();
  const warnings: string[] = [];
  if (!isObject(edit)) {
    problems.add([], 'The Edit must be a JSON object with "timeline" and "output".');
    return { composition: {}, problems: problems.items, warnings, clipOrigins: [] };
  }
  for (const k of Object.keys(edit)) {
    if (!['timeline', 'output', 'merge', 'callback', 'disk', 'instance'].includes(k)) problems.add([k], 'is not an Edit field Montage knows; remove it.');
  }
  // `disk` and `instance` pick Shotstack's hardware, which changes nothing in the output: ignored.
  if (edit.instance !== undefined && !['s1', 's2', 'a1'].includes(String(edit.instance))) problems.add(['instance'], `"${String(edit.instance)}" is not a Shotstack instance type: use s1, s2 or a1 (Montage ignores it), or remove it.`);
  const timeline = isObject(edit.timeline) ? edit.timeline : {};
  if (!isObject(edit.timeline)) problems.add(['timeline'], 'is required: an object with "tracks".');
  for (const k of Object.keys(timeline)) {
    if (!['background', 'fonts', 'soundtrack', 'tracks', 'cache'].includes(k)) problems.add(['timeline', k], 'is not a timeline field Montage knows; remove it.');
  }
  const tracks = Array.isArray(timeline.tracks) ? timeline.tracks : [];
  if (!Array.isArray(timeline.tracks) || tracks.length === 0) problems.add(['timeline', 'tracks'], 'must be an array with at least one track.');

  const { output, mute, gifPlaysOnce } = mapOutput(edit.output, ['output'], problems);
  const { fonts, families } = mapFonts(timeline.fonts, familiesUsed(tracks), problems);
  const ctx: TextContext = { width: Number(output.width), height: Number(output.height), problems, families, warnings, ...(opts.sourceSizes ? { sourceSizes: opts.sourceSizes } : {}) };
  const composition: JsonObject = { output };

  if (timeline.background !== undefined) {
    if (timeline.background === 'transparent') composition.background = 'transparent';
    else {
      const bg = colour(timeline.background, ['timeline', 'background'], problems);
      if (bg) composition.background = bg;
    }
  }
  if (fonts.length) composition.fonts = fonts;

  const soundtrack = timeline.soundtrack;
  if (soundtrack !== undefined && !mute) {
    if (!isObject(soundtrack) || typeof soundtrack.src !== 'string') problems.add(['timeline', 'soundtrack', 'src'], 'must be the URL of the music file.');
    else {
      for (const k of Object.keys(soundtrack)) if (!['src', 'effect', 'volume'].includes(k)) problems.add(['timeline', 'soundtrack', k], 'is not a soundtrack field: use src, effect and volume.');
      // Shotstack plays the soundtrack once, for the video or the file, whichever is shorter; Montage's loops by default.
      const st: JsonObject = { src: soundtrack.src, loop: false };
      if (soundtrack.volume !== undefined) {
        if (typeof soundtrack.volume !== 'number' || soundtrack.volume < 0 || soundtrack.volume > 2) problems.add(['timeline', 'soundtrack', 'volume'], 'must be from 0 to 2.');
        else st.volume = soundtrack.volume;
      }
      if (soundtrack.effect !== undefined) {
        if (!SOUNDTRACK_EFFECTS.has(String(soundtrack.effect))) problems.add(['timeline', 'soundtrack', 'effect'], `"${String(soundtrack.effect)}" is not supported: use fadeIn, fadeOut or fadeInFadeOut.`);
        // Shotstack's soundtrack fades last about two seconds.
        if (soundtrack.effect === 'fadeIn' || soundtrack.effect === 'fadeInFadeOut') st.fadeIn = 2;
        if (soundtrack.effect === 'fadeOut' || soundtrack.effect === 'fadeInFadeOut') st.fadeOut = 2;
      }
      composition.soundtrack = st;
    }
  }

  // Shotstack's first track is the top layer: Montage draws later tracks on top, so reverse.
  const outTracks: JsonObject[] = [];
  const clipOrigins: EditPath[][] = [];
  tracks.forEach((t, ti) => {
    const tpath = ['timeline', 'tracks', ti];
    if (!isObject(t) || !Array.isArray(t.clips)) { problems.add(tpath, 'must be {"clips": [...]}.'); return; }
    for (const k of Object.keys(t)) if (k !== 'clips') problems.add([...tpath, k], 'is not a track field: use clips.');
    const clips: JsonObject[] = [];
    const origins: EditPath[] = [];
    const lumas: { src: string; start: unknown; length: unknown; index: number }[] = [];
    // Text boxes Shotstack fills behind the lines (mapClip's `under`): a track just beneath this one.
    const unders: JsonObject[] = [];
    const underOrigins: EditPath[] = [];
    t.clips.forEach((c, ci) => {
      const m = mapClip(c, [...tpath, 'clips', ci], ctx, mute);
      if (m.luma) lumas.push({ ...m.luma, index: ci });
      else if (m.clip) {
        clips.push(m.clip);
        origins.push([...tpath, 'clips', ci]);
        if (m.under) { unders.push(m.under); underOrigins.push([...tpath, 'clips', ci]); }
      }
    });
    // A luma matte on a track masks the clip of that track that starts when it does. Montage plays
    // a mask from its clip's start, so a matte that starts later inside a clip (a luma "out"
    // transition) would play too early: refused with the fix.
    for (const l of lumas) {
      const target = clips.find((c) => c.start === l.start);
      const inside = target ? undefined : clips.find((c) => typeof c.start === 'number' && typeof l.start === 'number'
        && typeof c.length === 'number' && c.start < l.start && l.start < c.start + c.length);
      if (inside) problems.add([...tpath, 'clips', l.index, 'start'], `is ${String(l.start)} s, inside a clip that starts at ${String(inside.start)} s: Montage plays a luma matte from the start of the clip it masks, so it would play early; split that clip at ${String(l.start)} s into two clips and give the matte the second one's start.`);
      else if (!target) problems.add([...tpath, 'clips', l.index], 'is a luma matte with no clip to mask: put it on the same track as the clip it reveals, with the same start.');
      else if (target.mask) problems.add([...tpath, 'clips', l.index], 'is a second luma matte for the same clip: keep one.');
      else target.mask = { src: l.src, mode: 'luma' };
    }
    if (clips.length) { outTracks.push({ clips }); clipOrigins.push(origins); }
    // Pushed after its track, so beneath it once the tracks are reversed.
    if (unders.length) { outTracks.push({ clips: unders }); clipOrigins.push(underOrigins); }
  });
  composition.tracks = outTracks.reverse();
  clipOrigins.reverse();

  if (edit.merge !== undefined) {
    if (!Array.isArray(edit.merge)) problems.add(['merge'], 'must be an array of {"find": KEY, "replace": value}.');
    else {
      const merge: JsonObject = {};
      edit.merge.forEach((m, i) => {
        if (!isObject(m) || typeof m.find !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(m.find.trim())) {
          problems.add(['merge', i, 'find'], 'must be a placeholder name of letters, digits, "_", "." or "-".');
        } else if (!['string', 'number', 'boolean'].includes(typeof m.replace)) {
          problems.add(['merge', i, 'replace'], 'must be a string, number or boolean.');
        } else merge[m.find.trim()] = m.replace;
      });
      if (Object.keys(merge).length) composition.merge = merge;
    }
  }
  let callback: string | undefined;
  if (edit.callback !== undefined) {
    if (typeof edit.callback !== 'string' || !/^https?:\/\//.test(edit.callback)) problems.add(['callback'], 'must be an https:// URL.');
    else callback = edit.callback;
  }
  return { composition, problems: problems.items, warnings, callback, clipOrigins, ...(gifPlaysOnce ? { gifPlaysOnce } : {}) };
}
