/**
 * The I/O half of planning: resolve every `src` to a local file, probe the media, load fonts,
 * read caption files and rasterize text, shapes and cues into PNGs in the work directory. The
 * result is a Timeline, which the pure planner takes from there.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { CaptionsAsset, Composition, TextAsset } from '../composition/schema.ts';
import type { ResolveSrc } from '../ports/render-engine.ts';
import type { MediaInfo } from '../assets/media-info.ts';
import { inSpan } from '../telemetry/trace-context.ts';
import { MontageError, type FieldProblem } from '../errors/registry.ts';
import { FontRegistry } from './raster/font-registry.ts';
import { captionFileText } from './captions/caption-file-text.ts';
import { renderText } from './raster/render-text.ts';
import { renderShape } from './raster/render-shape.ts';
import { withLookRasters } from './look/look-rasters.ts';
import { scaleComposition } from '../composition/scale-composition.ts';
import { buildTimeline, resolveTimelineTimes, type CueRaster, type RasterRef, type Timeline } from './timeline.ts';
import type { RasterSequence } from './text-animation/raster-sequence.ts';

// Loaded when a composition has what they draw or read (about twenty modules in all): a title card
// starts without the prober, the SVG rasterizer, text animation and captions.
const mediaModules = () => Promise.all([import('../assets/probe-media.ts'), import('./prepare-svg.ts'), import('./prepare-animated-webp.ts')]);
const textAnimation = () => import('./text-animation/animated-text-sequence.ts');
const captions = () => Promise.all([import('./captions/caption-sequence.ts'), import('./captions/read-transcript.ts'), import('./raster/render-caption.ts'), import('./captions/caption-glyph-warnings.ts')]);

export interface PrepareOptions {
  readonly composition: Composition;
  readonly resolveSrc: ResolveSrc;
  readonly workDir: string;
  readonly ffprobePath: string;
  readonly signal: AbortSignal;
  /** Answers a probe from what an earlier render learned of the same file (remembered-inputs.ts); `run` probes it. */
  readonly rememberProbe?: (path: string, run: () => Promise<MediaInfo>) => Promise<MediaInfo>;
}

const MAX_CAPTION_FILE = 5 * 1024 * 1024;

/** Runs `fn` over items with at most `limit` in flight. */
const inPool = async <T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
};

export const prepareTimeline = async (opts: PrepareOptions): Promise<Timeline> => {
  // output.scale multiplies every pixel length once, here, before anything reads one.
  const c = scaleComposition(opts.composition);
  const { signal } = opts;
  const frame = { width: c.output.width ?? 1280, height: c.output.height ?? 720 };

  // Every media src once, with the pointer of its first use for messages.
  const mediaSrcs = new Map<string, string>();
  c.tracks.forEach((t, ti) => t.clips.forEach((clip, ci) => {
    const a = clip.asset;
    if ((a.type === 'video' || a.type === 'image' || a.type === 'audio') && !mediaSrcs.has(a.src)) {
      mediaSrcs.set(a.src, `/tracks/${ti}/clips/${ci}/asset/src`);
    }
    // (1.1) A mask is a source like any other: fetched, guarded and probed the same way.
    if (clip.mask && !mediaSrcs.has(clip.mask.src)) mediaSrcs.set(clip.mask.src, `/tracks/${ti}/clips/${ci}/mask/src`);
  }));
  if (c.soundtrack && !mediaSrcs.has(c.soundtrack.src)) mediaSrcs.set(c.soundtrack.src, '/soundtrack/src');

  const probed = new Map<string, MediaInfo>();
  if (mediaSrcs.size > 0) {
    const [{ probeMedia }, { rasterizeSvgMedia }, { decodeAnimatedWebpMedia }] = await mediaModules();
    await inPool([...mediaSrcs], 4, async ([src, pointer]) => {
      const path = await inSpan('fetch', () => opts.resolveSrc(src, pointer, signal), { attributes: { 'montage.src_pointer': pointer } });
      const probe = () => probeMedia(path, { ffprobePath: opts.ffprobePath, pointer, signal });
      probed.set(src, await inSpan('probe', () => (opts.rememberProbe ? opts.rememberProbe(path, probe) : probe()), { attributes: { 'montage.src_pointer': pointer } }));
    });
    await rasterizeSvgMedia(c, probed, frame, opts.workDir, mediaSrcs);
    await decodeAnimatedWebpMedia(probed, opts.workDir, mediaSrcs);
  }

  const fonts = new FontRegistry();
  for (const [i, f] of (c.fonts ?? []).entries()) {
    const path = await opts.resolveSrc(f.src, `/fonts/${i}/src`, signal);
    fonts.registerFile(f.family, path, `/fonts/${i}/src`);
  }

  const sequences = new Map<string, RasterSequence>();
  const savePng = async (name: string, png: Buffer) => {
    const path = `${opts.workDir}/${name}.png`;
    await writeFile(path, png);
    return path;
  };
  // Animated pictures are sampled on the output's frame grid, which starts at the rendered range.
  const still = c.output.format === 'png' || c.output.format === 'jpg';
  const origin = c.output.range?.start ?? (still ? c.output.frame ?? 0 : 0);
  const fps = c.output.fps ?? 30;
  const until = c.output.range ? c.output.range.start + c.output.range.length : undefined;
  // Animated text and word captions are drawn for their clip's times, "auto" and "end" resolved.
  const times = resolveTimelineTimes(c, probed).clips;
  const timingOf = (ti: number, ci: number) => ({ start: times[ti][ci].start ?? 0, length: times[ti][ci].length ?? 0, fps, origin, until });
  const captionWords = async (a: CaptionsAsset, pointer: string, readTranscript: typeof import('./captions/read-transcript.ts').readTranscript) => (a.src !== undefined
    ? readTranscript(await readCaptionFile(await opts.resolveSrc(a.src, `${pointer}/asset/src`, signal), `${pointer}/asset/src`), `${pointer}/asset/src`)
    : a.words ? { words: a.words } : { cues: a.cues ?? [] });
  const rasters = new Map<string, RasterRef>();
  const warnings: FieldProblem[] = [];
  const cues = new Map<string, CueRaster[]>();
  const save = async (name: string, img: { png: Buffer; width: number; height: number; box?: { width: number; height: number } }): Promise<RasterRef> => {
    const path = `${opts.workDir}/${name}.png`;
    await writeFile(path, img.png);
    return { path, width: img.width, height: img.height, ...(img.box ? { box: { width: img.box.width, height: img.box.height } } : {}) };
  };
  // Only layout can tell that `shrink` text does not fit even at `minSize`: told whatever the fonts.
  const overflow = (w: FieldProblem) => warnings.push(w);
  for (const [ti, t] of c.tracks.entries()) {
    for (const [ci, clip] of t.clips.entries()) {
      if (signal.aborted) throw new MontageError('MONTAGE_E_RENDER_CANCELED', 'The render was canceled.');
      const pointer = `/tracks/${ti}/clips/${ci}`;
      const a = clip.asset;
      const { type: _type, ...style } = a as TextAsset;
      if (a.type === 'text' && a.animation && (a.animation.in || a.animation.out)) {
        const warn = (c.fonts?.length ?? 0) > 0 ? (w: FieldProblem) => warnings.push(w) : undefined;
        const { animatedTextSequence } = await textAnimation();
        sequences.set(pointer, await animatedTextSequence(style, a.text, frame, fonts, `${pointer}/asset`, timingOf(ti, ci), `text-${ti}-${ci}`, savePng, warn, overflow));
      } else if (a.type === 'text') {
        // Texts naming a declared font are checked here, once its file is loaded; the rest were
        // checked at validation (glyph-warnings.ts), so only new findings are kept.
        const warn = (c.fonts?.length ?? 0) > 0 ? (w: FieldProblem) => warnings.push(w) : undefined;
        rasters.set(pointer, await save(`text-${ti}-${ci}`, renderText(style, a.text, frame, fonts, `${pointer}/asset`, warn, overflow)));
      } else if (a.type === 'shape') {
        rasters.set(pointer, await save(`shape-${ti}-${ci}`, renderShape(a, `${pointer}/asset`)));
      } else if (a.type === 'captions') {
        const [{ captionSequence, wantsWordCaptions }, { readTranscript }, { renderCaption }, { captionGlyphWarnings }] = await captions();
        const source = await captionWords(a, pointer, readTranscript);
        if (a.src !== undefined && (source.words ?? source.cues ?? []).length === 0) {
          warnings.push({ pointer: `${pointer}/asset/src`, detail: 'holds no cues or words with text, so this clip shows nothing: check that it is the right file' });
        }
        // As for text: a `src` file (unknown at validation) and captions in declared fonts are
        // checked here; the same findings as validation's are told once by the CLI.
        if (a.src !== undefined || (c.fonts?.length ?? 0) > 0) warnings.push(...captionGlyphWarnings(a, source, fonts, `${pointer}/asset`, a.src !== undefined));
        if (wantsWordCaptions(a, source)) {
          sequences.set(pointer, await captionSequence(a, source, frame, fonts, pointer, { ...timingOf(ti, ci), position: clip.position }, `cap-${ti}-${ci}`, savePng));
          continue;
        }
        const list = source.cues ?? [];
        const { cues: _c, src: _s, ...captionStyle } = style as typeof style & { cues?: unknown; src?: unknown };
        const out: CueRaster[] = [];
        for (const [qi, cue] of list.entries()) {
          const img = await save(`cue-${ti}-${ci}-${qi}`, renderCaption(captionStyle, cue.text, frame, fonts, `${pointer}/asset`));
          out.push({ ...img, start: cue.start, end: cue.end });
        }
        cues.set(pointer, out);
      }
    }
  }
  // withLookRasters is async: spreading its promise (below, with warnings) would lose the timeline.
  const timeline = await withLookRasters(buildTimeline(c, { media: probed, rasters, cues, sequences }), opts.workDir);
  return warnings.length > 0 ? { ...timeline, warnings: [...(timeline.warnings ?? []), ...warnings] } : timeline;
};

const readCaptionFile = async (path: string, pointer: string): Promise<string> => {
  const s = await stat(path);
  if (s.size > MAX_CAPTION_FILE) {
    throw new MontageError('MONTAGE_E_CAPTIONS_UNREADABLE', `The captions file at ${pointer} is larger than 5 MiB.`,
      { problems: [{ pointer, detail: 'is larger than 5 MiB: split the captions into several clips' }] });
  }
  return captionFileText(await readFile(path), pointer);
};
