/**
 * A Ken Burns zoom on a still drawn by swscale at a ratio chosen frame by frame, for a fraction of
 * the sub-pixel map's CPU (docs/benchmarks.md, "A zoom by a chosen ratio"). The map
 * (subpixel-transform.ts, zoomFilters) resamples every pixel through a per-frame coordinate table in
 * plain C. swscale is fast, but scales whole pixels to whole pixels: a window of w source pixels
 * drawn w′ wide is the ratio w′/w, cut at a whole pixel, and a zoom needs any ratio and any offset.
 * So:
 *
 *  1. once, before the still's frame is repeated: COPIES of it at four scales u, all larger than
 *     the largest zoom (lanczos), each padded by PAD px with its edges smeared, stacked in one frame;
 *  2. per frame, for each copy, each of STARTS window starts and CANDIDATES window sizes, the even
 *     output size nearest the zoom: the window whose ratio (as swscale draws it, with its 16.16
 *     step) and whose landing of the zoom's fixed point (on an even whole pixel of the output, the
 *     4:2:0 grid) are together nearest the ideal is cut from its copy (`crop`), scaled down
 *     (bicubic) and cut to the box (`crop`).
 *
 * Four copies, because one cannot come near a ratio close to a simple fraction (no window under
 * 2000 px draws a ratio of 1.0003); four whose ratios avoid each other's simple fractions leave some
 * window within a few hundredths of a pixel everywhere in the box, for any zoom from 1 to 1.15.
 * Larger than the zoom, because every frame is then shrunk, and a shrink is as sharp as the output's
 * own grid whichever copy it comes from: copies at 1–1.14× drawn by enlarging were sharper or softer
 * by copy, and a picture flickered as frames changed copy (docs/benchmarks.md). No sub-pixel shift
 * follows either (a bilinear shift softens the picture by a different amount every frame, the
 * shimmer of the zoompan route this replaces): the landing itself is chosen.
 *
 * Every size and offset comes from command files, frame by frame (several files, each of
 * FRAMES_PER_FILE frames: ffmpeg 5.1's sendcmd parser takes memory growing with the square of its
 * file's length). Each frame is chosen from its own zoom alone, so any range or piece of a clip
 * draws the frames of the whole clip. The error left is computed here for every frame, and the zoom
 * is drawn this way only where it stays within its budget (Axis.error) everywhere in the box; otherwise
 * (zooms too slow for it, small boxes, odd sizes) the caller keeps the map.
 */
import { num } from './easing.ts';
import type { FilterGraph } from './filter-graph.ts';
import type { Size } from './layout-box.ts';

/** Largest distance (output px) of a feature from the ideal zoom that is allowed, anywhere in the box. */
const TOLERANCE = 0.05;
/** Largest miss of the fixed point's landing (px): a quarter of the least step the smooth-motion checks count. */
const LANDING = 0.0125;
/** The copies' scales (copy px per box px): above the largest zoom (1.15), and each one's ratios near simple fractions far from the others'. */
const COPIES = [1.16, 1.2111, 1.2673, 1.3291];
/** Window sizes tried per frame, copy and axis (each 2 px apart), and starts for each (2 px apart). */
const CANDIDATES = 96;
const STARTS = 48;
/** Each copy's padding (px, even): room for the largest window tried and its bicubic taps. */
const PAD = 128;
/** Frames of commands per sendcmd. */
const FRAMES_PER_FILE = 60;
/** Largest box drawn this way (its stacked copies are about eight times its area, in one frame). */
const MAX_AREA = 3840 * 2160;

export interface ZoomRatioInput {
  /** The box (the still's frame is this size). */
  readonly B: Size;
  /** The zoom at clip-local time t (≥ 1), and the zoom's fixed point in B's pixels. */
  readonly zoomAt: (t: number) => number;
  readonly centre: { readonly x: number; readonly y: number };
  /** Clip-local time of the first frame, the frames, the frame rate. */
  readonly skip: number;
  readonly N: number;
  readonly F: number;
  /** The frames' pixel format (yuv420p, or yuva420p where something after the zoom adds alpha; gbrp for GIFs and stills). */
  readonly pix: string;
  readonly uid: string;
}

export interface ZoomByRatio {
  /**
   * Filters for the still's one frame, before it is repeated: the copies, stacked. `seed` names the
   * branches' labels: the same for the same still, so that FilterGraph.sharedChain makes the stack
   * once for all of the clip's windows, and apart from any other still's.
   */
  readonly once: (seed: string) => string[];
  /** Filters after the repeat (and its retime), in place of the map. */
  readonly perFrame: (graph: FilterGraph) => string[];
}

interface Axis {
  /** The window's first pixel (in its padded copy) and size; the scaled size; where the box is cut from it. */
  readonly at: number;
  readonly size: number;
  readonly out: number;
  readonly cut: number;
  /**
   * The largest share of its budget that the window's error takes (within it at ≤ 1). A window may
   * miss the ideal zoom where the zoom's fixed point lands by LANDING (this misses every pixel by as
   * much), and at the box's edges, where the scale's error adds to it, by a quarter of the zoom's
   * own step there and at most TOLERANCE, so that features advance on every frame; a zoom too slow
   * for that keeps the map.
   */
  readonly error: number;
}

/** swscale's step (source px per output px, 16.16 fixed point) from `src` pixels to `dst` (libswscale/utils.c). */
export const swsStep = (src: number, dst: number): number => Math.floor((src * 65536 + (dst >> 1)) / dst) / 65536;

/** Per size index j (size = min + 2j): the scaled size, swscale's step, and the error the ratio alone takes (fitAxis's scratch). */
const OUT = new Float64Array(STARTS + CANDIDATES);
const STEP = new Float64Array(STARTS + CANDIDATES);
const RATIO = new Float64Array(STARTS + CANDIDATES);

/**
 * One axis of one frame from one copy (u copy px per box px, `length` px before padding): box pixel
 * p (its centre p + ½) must show the copy at PAD + u·(c + (p + ½ − c)/z). swscale puts output pixel
 * j's centre at window position (j + ½)·r, and the box starts at output pixel `cut`. `step`: the
 * zoom's relative change from frame to frame.
 *
 * The search is the first window, in order of start then size, with the least error. A size's
 * scaled size and ratio do not depend on the start, so they are worked out once per size (a start
 * and its k-th size share one of STARTS + CANDIDATES sizes), and a window whose ratio alone takes
 * at least the best error found so far is passed over: the landing only adds to it. This finds
 * the same window as trying them all, at a fraction of the cost (ref-b's 18 s zoom: 0.5 s before).
 */
const fitAxis = (z: number, step: number, c: number, box: number, u: number, length: number): Axis | undefined => {
  const zc = z / u;
  const cc = PAD + c * u;
  // The window's latest first pixel, and its least size from there (its bicubic taps included).
  const last = 2 * Math.floor((cc - c / zc - 3) / 2);
  const min = 2 * Math.ceil((cc + (box - c) / zc + 3 - last) / 2);
  const reach = Math.max(c, box - c);
  const edgeBudget = Math.min(TOLERANCE, (reach * step) / 4);
  for (let j = 0; j < STARTS + CANDIDATES; j++) {
    const size = min + 2 * j;
    const out = 2 * Math.round((size * zc) / 2);
    const r = swsStep(size, out);
    OUT[j] = out;
    STEP[j] = r;
    RATIO[j] = reach * Math.abs(r * zc - 1);
  }
  let best: Axis | undefined;
  let bestError = Infinity;
  // Earlier starts move where the fixed point lands by about 2/r − 2 px each; larger sizes change the ratio.
  for (let a = 0; a < STARTS; a++) {
    const at = last - 2 * a;
    if (at < 0) break;
    for (let k = 0; k < CANDIDATES; k++) {
      const j = a + k;
      const size = min + 2 * j;
      if (at + size > length + 2 * PAD) break;
      if (RATIO[j] / edgeBudget >= bestError) continue;
      const out = OUT[j];
      const r = STEP[j];
      // Box pixel p is output pixel cut + p; the fixed point c lands at v (≈ cut + c).
      const v = (cc - at) / r - c;
      const cut = 2 * Math.round(v / 2);
      if (cut < 0 || cut + box > out) continue;
      const landing = Math.abs(v - cut);
      const error = Math.max(landing / LANDING, (landing + RATIO[j]) / edgeBudget);
      if (error < bestError) {
        best = { at, size, out, cut, error };
        bestError = error;
      }
    }
  }
  return best;
};

/**
 * The zoom's filters, or undefined where some frame's best window misses its budget (Axis.error) or
 * the box cannot be drawn this way (odd sizes, above MAX_AREA): the caller then keeps the map.
 */
export const zoomRatio = (o: ZoomRatioInput): ZoomByRatio | undefined => {
  const { B, F, centre: c } = o;
  if (B.w % 2 || B.h % 2 || B.w * B.h > MAX_AREA || o.N < 1) return undefined;
  // Each copy: its size, its scale as swscale draws it, and where it sits in the stack.
  let top = 0;
  const copies = COPIES.map((u) => {
    const w = 2 * Math.round((B.w * u) / 2);
    const h = 2 * Math.round((B.h * u) / 2);
    const copy = { w, h, ux: 1 / swsStep(B.w, w), uy: 1 / swsStep(B.h, h), top };
    top += h + 2 * PAD;
    return copy;
  });
  const stackW = Math.max(...copies.map((k) => k.w)) + 2 * PAD;
  const frames: { x: Axis; y: Axis; top: number }[] = [];
  for (let n = 0; n < o.N; n++) {
    const z = o.zoomAt(o.skip + n / F);
    if (!(z >= 1)) return undefined;
    // The zoom's relative step to the next frame (or from the last, the larger).
    const step = Math.max(Math.abs(o.zoomAt(o.skip + (n + 1) / F) - z), Math.abs(z - o.zoomAt(o.skip + (n - 1) / F))) / z;
    let best: { x: Axis; y: Axis; top: number } | undefined;
    for (const k of copies) {
      const x = fitAxis(z, step, c.x, B.w, k.ux, k.w);
      const y = fitAxis(z, step, c.y, B.h, k.uy, k.h);
      if (x && y && (!best || Math.max(x.error, y.error) < Math.max(best.x.error, best.y.error))) best = { x, y, top: k.top };
    }
    if (!best || best.x.error > 1 || best.y.error > 1) return undefined;
    frames.push(best);
  }
  const win = `crop@zw${o.uid}`;
  const sc = `scale@zs${o.uid}`;
  const cut = `crop@zc${o.uid}`;
  // Each frame's commands: only what changed, but the scale's size whenever the window's changes
  // (the scale sets itself up again only on a command of its own).
  const lines = frames.flatMap((f, n) => {
    if (n === 0) return [];
    const p = frames[n - 1];
    const resized = f.x.size !== p.x.size || f.y.size !== p.y.size || f.x.out !== p.x.out || f.y.out !== p.y.out;
    const cmds = [
      ...(f.x.size !== p.x.size ? [`${win} w ${f.x.size}`] : []), ...(f.y.size !== p.y.size ? [`${win} h ${f.y.size}`] : []),
      ...(f.x.at !== p.x.at ? [`${win} x ${f.x.at}`] : []), ...(f.top + f.y.at !== p.top + p.y.at ? [`${win} y ${f.top + f.y.at}`] : []),
      ...(resized ? [`${sc} w ${f.x.out}`, `${sc} h ${f.y.out}`] : []),
      ...(f.x.cut !== p.x.cut ? [`${cut} x ${f.x.cut}`] : []), ...(f.y.cut !== p.y.cut ? [`${cut} y ${f.y.cut}`] : []),
    ];
    return cmds.length ? [`${num(n / F - 0.5 / F)} ${cmds.join(', ')};`] : [];
  });
  const first = frames[0];
  return {
    once: (seed) => {
      const ins = copies.map((_, i) => `zr${seed}c${i}`);
      const outs = copies.map((_, i) => `zr${seed}s${i}`);
      // Each copy placed PAD px in from the stack's left and its band's top, its edges smeared out to the band's.
      const copy = (k: (typeof copies)[number], i: number) => `[${ins[i]}]scale=${k.w}:${k.h}:flags=lanczos,`
        + `pad=${stackW}:${k.h + 2 * PAD}:${PAD}:${PAD},fillborders=left=${PAD}:right=${stackW - k.w - PAD}:top=${PAD}:bottom=${PAD}:mode=smear[${outs[i]}]`;
      return [`format=${o.pix},split=${copies.length}${ins.map((l) => `[${l}]`).join('')};${copies.map(copy).join(';')};`
        + `${outs.map((l) => `[${l}]`).join('')}vstack=inputs=${copies.length}`];
    },
    perFrame: (graph) => {
      const files: string[] = [];
      for (let i = 0; i < lines.length; i += FRAMES_PER_FILE) {
        files.push(`sendcmd=f=${graph.sideFile(`zoom-${o.uid}-${files.length}.txt`, lines.slice(i, i + FRAMES_PER_FILE).join('\n') + '\n')}`);
      }
      return [
        ...files,
        `${win}=w=${first.x.size}:h=${first.y.size}:x=${first.x.at}:y=${first.top + first.y.at}:exact=1`,
        // One thread: the scaler sets itself up again whenever its size changes (most frames),
        // and a threaded one starts and stops its slice threads each time (ffmpeg 5.1 gives it
        // one a core): ref-a's zoom took 3.9 ms a frame so, 2.2 ms on one thread, same pixels.
        `${sc}=w=${first.x.out}:h=${first.y.out}:flags=bicubic:threads=1`,
        `${cut}=w=${B.w}:h=${B.h}:x=${first.x.cut}:y=${first.y.cut}:exact=1`,
      ];
    },
  };
};
