/**
 * What the animated text and word-caption tracks of a timeline hand to ffmpeg: the images it
 * decodes (each once per run of frames it shows in) and their pixels. Benchmark-friendly: plain
 * numbers from a prepared timeline, no render needed.
 */
import type { Timeline } from '../timeline.ts';
import { sequenceCost } from './raster-sequence.ts';

export interface TextTrackCost {
  /** Clips drawn as raster sequences (animated text, word captions). */
  readonly clips: number;
  /** Distinct images drawn, and their pixels in total. */
  readonly images: number;
  readonly pixels: number;
  /** Times ffmpeg switches image over the whole timeline (decodes, at most one per run). */
  readonly switches: number;
  /** For comparison: the pixels of the frames those clips cover, had each been drawn full-frame. */
  readonly fullFramePixels: number;
}

export const textTrackCost = (tl: Timeline): TextTrackCost => {
  let [clips, images, pixels, switches, fullFramePixels] = [0, 0, 0, 0, 0];
  for (const c of tl.clips) {
    if (!c.sequence) continue;
    const cost = sequenceCost(c.sequence);
    clips++;
    images += cost.images;
    pixels += cost.pixels;
    switches += c.sequence.changes.length;
    fullFramePixels += Math.round(c.length * tl.frame.fps) * tl.frame.width * tl.frame.height;
  }
  return { clips, images, pixels, switches, fullFramePixels };
};
