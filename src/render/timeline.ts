/**
 * The normalized composition: every default applied, every `"auto"` length resolved from the
 * probed sources, clips in drawing order. Pure data, built by `buildTimeline` from a validated
 * composition and the probe results; the planner reads nothing else.
 */
import type {
  Asset, Composition, Easing, EffectKind, FilterKind, Fit, Keyframe, OutputFormat, Position, Quality, TransitionKind,
} from '../composition/schema.ts';
import type { MediaInfo } from '../assets/media-info.ts';
import { MontageError, type FieldProblem } from '../errors/registry.ts';
import { resolveClipTimes } from '../composition/clip-times.ts';
import { clipLookOf, type ClipLook } from './look/clip-look.ts';
import { exactFps } from './frame-rate.ts';
import { reverseProblem, trimPastEnd } from './source-segments.ts';
import type { RasterSequence } from './text-animation/raster-sequence.ts';

export interface Frame { readonly width: number; readonly height: number; readonly fps: number }

export interface RasterRef {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  /**
   * The drawn element (text box, shape) inside the image, which is centred in it; the image is
   * larger by a shadow's or glyph overhang's margin. Positions anchor the element, not the image,
   * so `topLeft` puts the text box, not its shadow margin, at the corner.
   */
  readonly box?: { readonly width: number; readonly height: number };
}
export interface CueRaster extends RasterRef { readonly start: number; readonly end: number }

export interface TimedTransition {
  readonly kind: TransitionKind;
  readonly duration: number;
  /** (1.1) `transition.easing`: replaces the kind's own curve. */
  readonly easing?: Easing;
}

export interface TimelineClip {
  readonly id: string;
  readonly pointer: string;
  readonly asset: Asset;
  readonly start: number;
  readonly length: number;
  readonly fit: Fit;
  readonly scale: number;
  readonly position: Position;
  readonly offset: { readonly x: number; readonly y: number };
  readonly opacity: number;
  readonly rotate: number;
  readonly transitionIn?: TimedTransition;
  readonly transitionOut?: TimedTransition;
  readonly effect?: EffectKind;
  readonly filter?: FilterKind;
  readonly keyframes: { readonly opacity?: Keyframe[]; readonly scale?: Keyframe[]; readonly x?: Keyframe[]; readonly y?: Keyframe[]; readonly rotate?: Keyframe[]; readonly blur?: Keyframe[]; readonly volume?: Keyframe[] };
  /** Probed source for video, image and audio assets. */
  readonly media?: MediaInfo;
  /** Pre-rendered picture for text and shape assets. */
  readonly raster?: RasterRef;
  /** Pre-rendered cues for captions assets (times relative to the clip start). */
  readonly cues?: readonly CueRaster[];
  /** (1.1) Flip, crop, chroma key, mask, blend, radius, border, shadow; undefined when none is used. */
  readonly look?: ClipLook;
  /** Animated text and word captions: images switched at known times (`raster` is their size). */
  readonly sequence?: RasterSequence;
}

export interface TimelineSoundtrack {
  readonly media: MediaInfo;
  readonly volume: number;
  readonly trim: number;
  readonly fadeIn: number;
  readonly fadeOut: number;
  readonly loop: boolean;
  readonly duck?: number;
}

export interface Timeline {
  readonly frame: Frame;
  readonly format: OutputFormat;
  readonly quality: Quality;
  readonly background: string;
  /** Seconds of the whole timeline (end of the last clip, or output.duration). */
  readonly duration: number;
  /** The part to render, in timeline seconds. For png/jpg: one frame at `output.frame`. */
  readonly range: { readonly start: number; readonly end: number };
  /** Every clip, in drawing order (earlier = further below). */
  readonly clips: readonly TimelineClip[];
  readonly soundtrack?: TimelineSoundtrack;
  /** output.loudness: the target (LUFS), and once the mix is measured, the gain that meets it. */
  readonly loudness?: number;
  readonly loudnessGain?: import('./loudness.ts').LoudnessGain;
  /** Found while preparing (e.g. text characters that no loaded font can draw). */
  readonly warnings?: readonly FieldProblem[];
}

/** Everything the engine learned before planning: probes by src and rasters by clip pointer. */
export interface PreparedInputs {
  readonly media: ReadonlyMap<string, MediaInfo>;
  readonly rasters: ReadonlyMap<string, RasterRef>;
  readonly cues: ReadonlyMap<string, readonly CueRaster[]>;
  /** Animated text and word captions by clip pointer. */
  readonly sequences?: ReadonlyMap<string, RasterSequence>;
}

export const DEFAULT_TRANSITION_SECONDS = 0.5;
const VISUAL_FIT_DEFAULT: Partial<Record<Asset['type'], Fit>> = { video: 'cover', image: 'cover' };

/** Every clip's start and length, `"auto"` and `"end"` resolved with the probed media (clip-times.ts). */
export const resolveTimelineTimes = (c: Composition, media: ReadonlyMap<string, MediaInfo>) =>
  resolveClipTimes(c.tracks.map((t) => t.clips), (ti, ci) => {
    const a = c.tracks[ti].clips[ci].asset;
    const m = 'src' in a && a.src && a.type !== 'captions' ? media.get(a.src) : undefined;
    return (a.type === 'video' || a.type === 'audio') && m?.duration ? Math.max(0, m.duration - (a.trim ?? 0)) / (a.speed ?? 1) : undefined;
  }, c.output.duration);

/** Resolves `"auto"` lengths and defaults. Throws MONTAGE_E_INVALID_COMPOSITION for problems that need the assets. */
export const buildTimeline = (c: Composition, inputs: PreparedInputs): Timeline => {
  const problems: FieldProblem[] = [];
  const out = c.output;
  const format = out.format ?? 'mp4';
  const frame: Frame = { width: out.width ?? 1280, height: out.height ?? 720, fps: exactFps(out.fps ?? 30) };
  const clips: Array<TimelineClip & { track: number; order: number }> = [];
  const mediaOf = (asset: Asset) => ('src' in asset && asset.src && asset.type !== 'captions' ? inputs.media.get(asset.src) : undefined);
  // (1.1) "auto" starts and "end" lengths, once every "auto" length is known from its probe.
  const times = resolveTimelineTimes(c, inputs.media);
  problems.push(...times.problems);
  const warnings: FieldProblem[] = [];

  c.tracks.forEach((track, ti) => track.clips.forEach((clip, ci) => {
    const pointer = `/tracks/${ti}/clips/${ci}`;
    const asset = clip.asset;
    const media = mediaOf(asset);
    let length: number;
    if (clip.length === 'end') {
      length = times.clips[ti][ci].length ?? 0;
    } else if (clip.length === 'auto') {
      if ((asset.type === 'video' || asset.type === 'audio') && media?.duration) {
        length = Math.max(0, media.duration - (asset.trim ?? 0)) / (asset.speed ?? 1);
        if (length <= 0) problems.push({ pointer: `${pointer}/asset/trim`, detail: `skips past the end of the source (${media.duration.toFixed(2)} s long): lower trim` });
      } else if (asset.type === 'video' && media?.video?.still) {
        problems.push({ pointer: `${pointer}/length`, detail: 'is "auto" but the source holds a single frame, shown as a still: give the length in seconds' });
        length = 0;
      } else if (asset.type === 'video' || asset.type === 'audio') {
        problems.push({ pointer: `${pointer}/length`, detail: 'is "auto" but the source has no known duration: give the length in seconds' });
        length = 0;
      } else {
        problems.push({ pointer: `${pointer}/length`, detail: `"auto" only works for video and audio assets, not ${asset.type}: give the length in seconds` });
        length = 0;
      }
    } else {
      length = clip.length;
    }
    if (asset.type === 'video' && media && !media.video) {
      problems.push({ pointer: `${pointer}/asset/src`, detail: 'has no video stream: use an audio asset for sound-only files' });
    }
    if (asset.type === 'image' && media && !media.video) {
      problems.push({ pointer: `${pointer}/asset/src`, detail: 'is not an image: use png, jpg, webp or gif' });
    }
    const trimmed = trimPastEnd(asset, media?.duration, pointer);
    const reversed = reverseProblem(asset, media?.duration, length, pointer) ?? trimmed.problem;
    if (reversed) problems.push(reversed);
    else if (trimmed.warning) warnings.push(trimmed.warning);
    if (asset.type === 'audio' && media && !media.audio) {
      problems.push({ pointer: `${pointer}/asset/src`, detail: 'has no audio stream: use a sound file (mp3, aac, m4a, wav, flac, ogg, opus) or a video with sound; for its picture use a video or image asset' });
    }
    const inDur = clip.transition?.in ? clip.transition.duration ?? DEFAULT_TRANSITION_SECONDS : 0;
    const outDur = clip.transition?.out ? clip.transition.duration ?? DEFAULT_TRANSITION_SECONDS : 0;
    // Transitions never overlap each other: together they take at most the whole clip.
    const room = inDur + outDur > length && length > 0 ? length / (inDur + outDur) : 1;
    clips.push({
      id: `t${ti}c${ci}`,
      pointer,
      track: ti,
      order: ci,
      asset,
      start: times.clips[ti][ci].start ?? 0,
      length,
      fit: clip.fit ?? VISUAL_FIT_DEFAULT[asset.type] ?? 'none',
      scale: clip.scale ?? 1,
      position: clip.position ?? (asset.type === 'captions' ? 'bottom' : 'center'),
      offset: { x: clip.offset?.x ?? 0, y: clip.offset?.y ?? (asset.type === 'captions' && !clip.offset ? -0.05 : 0) },
      opacity: clip.opacity ?? 1,
      rotate: clip.rotate ?? 0,
      transitionIn: clip.transition?.in ? { kind: clip.transition.in, duration: inDur * room, ...(clip.transition.easing ? { easing: clip.transition.easing } : {}) } : undefined,
      transitionOut: clip.transition?.out ? { kind: clip.transition.out, duration: outDur * room, ...(clip.transition.easing ? { easing: clip.transition.easing } : {}) } : undefined,
      effect: clip.effect,
      filter: clip.filter,
      keyframes: clip.keyframes ?? {},
      media,
      raster: inputs.sequences?.get(pointer)?.frame ?? inputs.rasters.get(pointer),
      cues: inputs.cues.get(pointer),
      look: clipLookOf(clip, inputs.media, pointer, problems),
      sequence: inputs.sequences?.get(pointer),
    });
  }));

  const soundtrackMedia = c.soundtrack ? inputs.media.get(c.soundtrack.src) : undefined;
  if (c.soundtrack && soundtrackMedia && !soundtrackMedia.audio) {
    problems.push({ pointer: '/soundtrack/src', detail: 'has no audio stream: use a music file' });
  }
  if (problems.length) {
    throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', `The composition has ${problems.length} problem(s) that show once its assets are known.`, { problems });
  }

  const lastEnd = clips.reduce((m, k) => Math.max(m, k.start + k.length), 0);
  const duration = out.duration ?? lastEnd;
  const isStill = format === 'png' || format === 'jpg';
  const range = isStill
    ? { start: Math.min(out.frame ?? 0, Math.max(0, duration - 1 / frame.fps)), end: 0 }
    : { start: out.range?.start ?? 0, end: out.range ? Math.min(duration, out.range.start + out.range.length) : duration };
  if (isStill) range.end = range.start + 1 / frame.fps;

  clips.sort((a, b) => a.track - b.track || a.start - b.start || a.order - b.order);
  return {
    frame,
    format,
    quality: out.quality ?? 'medium',
    background: c.background ?? '#000000',
    duration,
    range,
    clips: clips.map(({ track: _t, order: _o, ...k }) => k),
    ...(warnings.length ? { warnings } : {}),
    loudness: out.loudness,
    soundtrack: c.soundtrack && soundtrackMedia ? {
      media: soundtrackMedia,
      volume: c.soundtrack.volume ?? 1,
      trim: c.soundtrack.trim ?? 0,
      fadeIn: c.soundtrack.fadeIn ?? 0,
      fadeOut: c.soundtrack.fadeOut ?? 0,
      loop: c.soundtrack.loop ?? true,
      duck: c.soundtrack.duck,
    } : undefined,
  };
};
