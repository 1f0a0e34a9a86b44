/**
 * A playing video's visible window, cut from the source before it is scaled (issue 12, "Speed").
 *
 * visible-window.ts cuts a cover-fitted box to the part the frame shows right after the source is
 * scaled to its content size E. A still is scaled once, but a video is scaled on every frame: a
 * 1920×1080 clip cover-fitted into a 720×1280 frame was upscaled to 2276×1280 (2.9 Mpx) per frame
 * to show 0.93 Mpx of it. Here the source is cut first, to the columns (rows) the window reads plus
 * the scaler's neighbours, and that part is scaled at the same ratio, so each shown pixel is
 * sampled where the whole-box scale samples it. Then the scaled part is cut to the window.
 *
 * The sampling grid. swscale maps output pixel j of a scale from s to e pixels to source position
 * (j + ½)·s/e − ½. For a cut source [x0, x0 + c) scaled to o pixels that land at X in the box,
 * pixel j of the window sits at x0 + (j + ½)·c/o − ½, and at (X + j + ½)·S/E − ½ in the whole-box
 * scale. Whole even pixels (4:2:0 chroma) rarely make the two equal, so x0, c (and with them X, o)
 * are searched for the pair whose positions differ least over the window: for ref-c's 1920→2276
 * the best is 0.006 source px, which moves a few output values by 1 or 2 (in 8 bits) where the
 * picture has sharp edges; measured on clip1.mp4: 99.5 % of the values identical, PSNR 71 dB.
 * A pair is taken only when that error is at most MAX_GRID_ERROR.
 *
 * The cut keeps, around the window, the source pixels the scaler's taps read: bicubic (ffmpeg's
 * default for `scale`) reads 2 pixels either side on upscaling, 2·S/E on downscaling, in chroma
 * pixels for the chroma planes (twice as wide in 4:2:0), so pixels near the cut are drawn from the
 * same neighbours as in the whole box, and none of those near the source's new edges is shown.
 */
import type { Size } from './layout-box.ts';
import type { Rect } from './visible-window.ts';

/** Largest difference, in source pixels, between where the cut and the whole-box scale sample a shown pixel. */
export const MAX_GRID_ERROR = 0.02;

/** A sampling difference (source px) below which the smallest part is taken rather than the closest grid. */
const GOOD_GRID_ERROR = 0.01;

/** How far (source px) the search looks beyond the least cut on either side. */
const SEARCH = 320;

export interface SourceCut {
  /** The cut of the source (its own pixels, even offsets and sizes), before scaling. */
  readonly crop: string;
  /** What the cut is scaled to. */
  readonly size: Size;
  /** The cut of the scaled part to the window (content pixels of the box, relative to the part). */
  readonly cut: string;
  /** The largest sampling difference (source px) over the window, on either axis. */
  readonly gridError: number;
}

interface AxisCut { readonly from: number; readonly size: number; readonly at: number; readonly out: number; readonly error: number }

/** The smallest part that samples within GOOD_GRID_ERROR, else the one that samples best. */
const better = (c: AxisCut, best: AxisCut): boolean => {
  const [cg, bg] = [c.error <= GOOD_GRID_ERROR, best.error <= GOOD_GRID_ERROR];
  if (cg !== bg) return cg;
  return cg ? c.out < best.out || (c.out === best.out && c.error < best.error) : c.error < best.error;
};

/** swscale's step (source px per output px, in 1/65536): `lumXInc` and `chrXInc` in libswscale/utils.c. */
const step = (s: number, e: number) => Math.floor((s * 65536 + Math.floor(e / 2)) / e);

/**
 * How far (source px) the cut samples the window's ends from where the whole scale samples them,
 * luma and 4:2:0 chroma: swscale samples output pixel j at (j + ½)·step/65536 − ½.
 */
const gridError = (S: number, E: number, a: number, b: number, c: Omit<AxisCut, 'error'>): number => {
  const plane = (k: number) => {
    const [fS, fE, cS, cE] = [Math.ceil(S / k), Math.ceil(E / k), Math.ceil(c.size / k), Math.ceil(c.out / k)];
    const [whole, cut] = [step(fS, fE), step(cS, cE)];
    const at = (j: number) => Math.abs(c.from / k + ((j + 0.5) * cut) / 65536 - ((c.at / k + j + 0.5) * whole) / 65536) * k;
    return Math.max(at((a - c.at) / k), at(Math.ceil((b - c.at) / k) - 1));
  };
  return Math.max(plane(1), plane(2));
};

/**
 * One axis: the source [0, S) scaled to [0, E), of which [a, b) is shown. The source's part
 * [from, from + size) is scaled to `out` pixels that land at `at` in the box.
 */
const axisCut = (S: number, E: number, a: number, b: number): AxisCut | undefined => {
  if (a <= 0 && b >= E) return { from: 0, size: S, at: 0, out: E, error: 0 };
  const r = S / E;
  // Taps: 2 (chroma) pixels either side, wider when shrinking; in luma pixels, plus the even rounding.
  const margin = 4 * Math.ceil(Math.max(1, r)) + 4;
  const lo = a * r - margin;
  const hi = b * r + margin;
  let best: AxisCut | undefined;
  for (let from = Math.max(0, 2 * Math.floor(lo / 2)); from >= Math.max(0, lo - SEARCH); from -= 2) {
    const at = 2 * Math.round(from / r / 2);
    if (at > a) continue;
    for (let end = Math.min(S - (S % 2), 2 * Math.ceil(hi / 2)); end <= Math.min(S, hi + SEARCH); end += 2) {
      const size = end - from;
      // The source's far edge stays the far edge: scaled as a whole, it maps onto E's.
      const out = end === S ? E - at : 2 * Math.round(size / r / 2);
      if (size <= 0 || out <= 0 || at + out < b || at + out > E) continue;
      const error = gridError(S, E, a, b, { from, size, at, out });
      if (!best || better({ from, size, at, out, error }, best)) best = { from, size, at, out, error };
    }
  }
  return best;
};

/**
 * The source cut for a video of (decoded) size S scaled to E of which the rect `content` (E px) is
 * drawn, or undefined when no cut samples like the whole scale or the cut saves little.
 */
export const sourceCut = (S: Size, E: Size, content: Rect): SourceCut | undefined => {
  const x = axisCut(S.w, E.w, content.x, content.x + content.w);
  const y = axisCut(S.h, E.h, content.y, content.y + content.h);
  if (!x || !y || Math.max(x.error, y.error) > MAX_GRID_ERROR) return undefined;
  if (x.out * y.out > 0.9 * E.w * E.h) return undefined;
  return {
    crop: `crop=w=${x.size}:h=${y.size}:x=${x.from}:y=${y.from}:exact=1`,
    size: { w: x.out, h: y.out },
    cut: `crop=w=${content.w}:h=${content.h}:x=${content.x - x.at}:y=${content.y - y.at}:exact=1`,
    gridError: Math.max(x.error, y.error),
  };
};
