/**
 * Keeps the native memory of canvases bounded.
 *
 * @napi-rs/canvas keeps a canvas's pixels, and every copy of them read back (getImageData), outside
 * V8's heap without telling V8 their size. V8 then sees a heap of a few MiB, collects rarely, and
 * the pixels of canvases long done with stay until it does: preparing ref-c's animated title and
 * captions (45 pictures) raised the process's peak RSS by about 110 MiB, nearly all of it such
 * garbage (with a collection after each picture the rise was about 25 MiB; docs/benchmarks.md,
 * "Memory of text and captions").
 *
 * So every canvas and pixel read is counted here ({@link createCountedCanvas}, {@link notePixels}),
 * and {@link settle}, called after each picture of a sequence is stored, runs a full collection
 * once more than {@link NATIVE_BUDGET_BYTES} have been counted since the last one: a handful of
 * collections per render (a few milliseconds each with Montage's small heap), never one per frame.
 * The budget is low because Skia allocates more per picture than is counted (shadow and blur
 * temporaries, glyph masks): 8 MiB gave the same peak as a collection after every picture.
 * The collector is reached through V8's `--expose-gc` flag set at run time; where that is refused,
 * nothing is collected early and memory behaves as before.
 */
import type { Canvas } from '@napi-rs/canvas';
import { createCanvas } from './skia.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Counted native bytes that trigger a collection. */
export const NATIVE_BUDGET_BYTES = 8 * 1024 * 1024;

let owed = 0;
let collect: (() => void) | null | undefined;

const collector = (): (() => void) | null => {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
};

/** Counts `bytes` of native pixel memory (a canvas's surface, a getImageData copy). */
export const notePixels = (bytes: number): void => {
  owed += Math.max(0, bytes);
};

/** A canvas whose pixels are counted. */
export const createCountedCanvas = (width: number, height: number): Canvas => {
  notePixels(width * height * 4);
  return createCanvas(width, height);
};

/**
 * Gives a canvas's pixels back at once, after its last read (encoding): a canvas resized to 1×1
 * frees its surface. Never for a canvas still to be drawn into another one.
 */
export const releaseCanvas = (canvas: Canvas): void => {
  canvas.width = 1;
  canvas.height = 1;
};

/** Collects garbage when more than the budget of native pixels was counted since the last collection. */
export const settle = (): void => {
  if (owed < NATIVE_BUDGET_BYTES) return;
  owed = 0;
  collector()?.();
};
