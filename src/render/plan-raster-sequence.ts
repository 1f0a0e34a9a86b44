/**
 * A raster sequence (animated text, word captions) as an ffmpeg source: one concat-demuxer input
 * listing each image once per run of frames with its duration, decoded once per run and repeated
 * by `fps` for free. No filter per letter or word, no per-frame picture from Node.
 */
import type { FilterGraph } from './filter-graph.ts';
import { num } from './easing.ts';
import { sequenceRuns, type RasterSequence } from './text-animation/raster-sequence.ts';

/**
 * Input options for a concat list that Montage wrote itself, listing PNGs it drew itself. Like the
 * chunk join (chunk-plan.ts), this is the concat demuxer on our own files only: no user input ever
 * reaches a list, so it cannot be used to open other files. The inner images may only be PNGs.
 */
const OWN_PNG_LIST = ['-f', 'concat', '-safe', '0', '-format_whitelist', 'concat,png_pipe,image2'];

/** Timestamps of the listed images in microseconds: exact enough for any frame rate. */
const MICROSECONDS = 1_000_000;

const quote = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;

/**
 * The ffconcat text for `count` frames starting `skip` seconds into the clip. The last image is
 * listed once more, a frame later, so that `fps` knows where the one before it ends.
 */
export const sequenceList = (seq: RasterSequence, skip: number, count: number, fps: number): string => {
  const runs = sequenceRuns(seq, skip, count, fps);
  // Each duration is the difference of whole microseconds since the first frame, so rounding
  // never accumulates along a long list.
  const us = (frames: number) => Math.round((frames * MICROSECONDS) / fps);
  let done = 0;
  const entry = (image: number, frames: number) => {
    const d = us(done + frames) - us(done);
    done += frames;
    return `file ${quote(seq.paths[image])}\noption framerate ${MICROSECONDS}\nduration ${num(d / MICROSECONDS)}\n`;
  };
  return `ffconcat version 1.0\n${runs.map((r) => entry(r.image, r.frames)).join('')}${entry(runs[runs.length - 1].image, 1)}`;
};

/**
 * Adds the sequence's input and returns the label of a stream of exactly `count` frames on the
 * output grid, at the sequence's own size, with alpha.
 */
export const planSequenceSource = (
  seq: RasterSequence, graph: FilterGraph, opts: { readonly name: string; readonly skip: number; readonly count: number; readonly fps: number },
): string => {
  const list = graph.sideFile(`seq-${opts.name}.ffconcat`, sequenceList(seq, opts.skip, opts.count, opts.fps));
  const i = graph.input(list, OWN_PNG_LIST);
  return `${i}:v`;
};
