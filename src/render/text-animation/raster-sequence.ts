/**
 * A picture that changes at known instants: animated text and word-level captions. Drawn once per
 * distinct state (a static stretch is one image, a state that comes back reuses its image) and
 * handed to ffmpeg as one concat-demuxer input with a duration per image (plan-raster-sequence.ts).
 *
 * Which image shows is decided by clip-local time, sampled on the output's frame grid, so a clip
 * renders the same frames whatever range of the timeline is rendered (chunks included).
 */
import type { RasterRef } from '../timeline.ts';
import { MontageError } from '../../errors/registry.ts';

/**
 * Most distinct pictures one clip may draw: an hour of word captions (about 9000 words, two
 * states each) fits; an animation whose `duration` spans an hour of frames does not.
 */
export const MAX_SEQUENCE_IMAGES = 20_000;

/** When an image begins to show, in clip-local seconds. */
export interface SequenceChange { readonly at: number; readonly image: number }

export interface RasterSequence {
  /** Every image has this size and element box; `path` is the first image. */
  readonly frame: RasterRef;
  /** The images' files, by image number (named `paths` so that a piece key hashes their bytes: piece-key.ts). */
  readonly paths: readonly string[];
  /** Ascending by `at`; the first is the clip's first frame. */
  readonly changes: readonly SequenceChange[];
}

/** What the builder needs: the state at a clip-local time as a key, and how to draw and save it. */
export interface SequenceSource {
  /** Clip start on the timeline and its length, seconds. */
  readonly start: number;
  readonly length: number;
  readonly fps: number;
  /** A timeline instant on the output's frame grid (the rendered range's start). */
  readonly origin: number;
  /** Only frames before this timeline instant are rendered (a range render): later ones need no image. */
  readonly until?: number;
  /** The clip's asset, for the message when it needs too many pictures. */
  readonly pointer: string;
  /** A string that is equal for two instants exactly when they look the same. */
  readonly keyAt: (t: number) => string;
  /** Draws the state at `t` and stores it; returns the image's path. */
  readonly draw: (t: number, index: number) => Promise<string>;
}

/** Samples every frame of the clip on the output grid and draws each distinct state once. */
export const buildRasterSequence = async (src: SequenceSource, size: Omit<RasterRef, 'path'>): Promise<RasterSequence> => {
  const F = src.fps;
  // Frames before the origin are never rendered: a range render starts there, a whole render at 0.
  const g0 = Math.max(0, Math.ceil((src.start - src.origin) * F - 1e-6));
  const end = Math.min(src.start + src.length, src.until ?? Infinity);
  const g1 = Math.ceil((end - src.origin) * F - 1e-6);
  const byKey = new Map<string, number>();
  const images: string[] = [];
  const changes: SequenceChange[] = [];
  let last: string | undefined;
  for (let g = g0; g < Math.max(g1, g0 + 1); g++) {
    const t = Math.max(0, Math.round((src.origin + g / F - src.start) * 1e9) / 1e9);
    const key = src.keyAt(t);
    if (key === last) continue;
    last = key;
    let image = byKey.get(key);
    if (image === undefined) {
      if (images.length >= MAX_SEQUENCE_IMAGES) {
        const detail = `needs more than ${MAX_SEQUENCE_IMAGES} different pictures (one per frame while its units move): shorten animation.duration, or split long captions into several clips`;
        throw new MontageError('MONTAGE_E_LIMIT_EXCEEDED', `The animated text at ${src.pointer} needs more than ${MAX_SEQUENCE_IMAGES} pictures.`, { problems: [{ pointer: src.pointer, detail }] });
      }
      image = images.length;
      byKey.set(key, image);
      images.push(await src.draw(t, image));
    }
    changes.push({ at: t, image });
  }
  return { frame: { ...size, path: images[0] }, paths: images, changes };
};

/** Runs of output frames: image `image` for `frames` frames. */
export interface SequenceRun { readonly image: number; readonly frames: number }

/**
 * The images for `count` output frames whose first is `skip` seconds into the clip, as runs.
 * A frame shows the last change at or before it (half a frame of slack absorbs float noise and a
 * still's instant that is off the grid).
 */
export const sequenceRuns = (seq: RasterSequence, skip: number, count: number, fps: number): SequenceRun[] => {
  const runs: { image: number; frames: number }[] = [];
  let c = 0;
  for (let n = 0; n < count; n++) {
    const t = skip + n / fps + 0.5 / fps;
    while (c + 1 < seq.changes.length && seq.changes[c + 1].at <= t) c++;
    const image = seq.changes[c]?.image ?? 0;
    const prev = runs[runs.length - 1];
    if (prev && prev.image === image) prev.frames++;
    else runs.push({ image, frames: 1 });
  }
  return runs;
};

/** What a sequence costs ffmpeg: the images it decodes and their pixels. */
export interface SequenceCost { readonly images: number; readonly pixels: number }

export const sequenceCost = (seq: RasterSequence): SequenceCost => ({
  images: seq.paths.length,
  pixels: seq.paths.length * seq.frame.width * seq.frame.height,
});
