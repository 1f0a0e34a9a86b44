/**
 * A Ken Burns zoom on a still for about two thirds of the sub-pixel map's CPU (docs/benchmarks.md,
 * "A cheaper smooth zoom", wip/speed3). The map (subpixel-transform.ts, zoomFilters) resamples every
 * pixel through a per-frame coordinate table in plain C (≈ 8.5 ms a 1280×720 frame here). Instead:
 *
 *  1. once, before the still's frame is repeated: the frame sized up 2× across and 3× down
 *     (lanczos), and its edges smeared a few pixels outwards;
 *  2. per frame, `zoompan` cuts a whole-pixel window (w, h) of that copy and scales it (swscale,
 *     bicubic) to a canvas 2 px wider than the box on each side. zoompan derives both sides from one
 *     zoom factor Z (w = ⌊iw/Z⌋, h = ⌊ih/Z⌋); Z is chosen here, frame by frame over the whole clip,
 *     for the (w, h) pair nearest the ideal zoom, each side strictly shrinking (or growing) every
 *     frame, so that every feature advances every frame;
 *  3. the window's sub-pixel offset at the zoom's fixed point, which the whole-pixel window leaves,
 *     is taken out by a 3×3 `convolution` with bilinear weights (1/64 steps, set per frame by a
 *     command file), and the canvas is cut back to the box at an even offset.
 *
 * The only error left is the window's size rounding, a scale error that grows towards the frame's
 * edges. It is computed here for every frame, and the zoom is drawn this way only where it stays
 * within ZOOM_WINDOW_TOLERANCE px at the box's edges; otherwise (small or tall boxes, slow zooms,
 * where whole windows cannot shrink every frame) the caller keeps the map.
 */
import { rateOf } from './frame-rate.ts';
import { num } from './easing.ts';
import { q, type FilterGraph } from './filter-graph.ts';
import type { Size } from './layout-box.ts';

/** Largest distance (output px, at the box's edges) of a feature from the ideal zoom that is allowed. */
export const ZOOM_WINDOW_TOLERANCE = 0.2;
/** The copy's size: 2× across, 3× down (3× down halves the error of the side Z does not pick). */
const KX = 2;
const KY = 3;
/** Canvas margin around the box (even: the chroma grid), room for a shift of under 2 px. */
const M = 2;
/** Longest window handed to one zoompan (its Z is a tree of constants, one per frame). */
const MAX_FRAMES = 1800;
/** Largest box drawn this way: measured at 1280×720 and 1920×1080 (its copy is six times the box). */
const MAX_AREA = 1920 * 1080;

export interface ZoomWindowInput {
  /** The box (the still's frame is this size). */
  readonly B: Size;
  /** The zoom at clip-local time t (≥ 1), and the zoom's fixed point in B's pixels. */
  readonly zoomAt: (t: number) => number;
  readonly centre: { readonly x: number; readonly y: number };
  /** Clip-local time of the window's first frame, its frames, frame rate, the clip's length. */
  readonly skip: number;
  readonly N: number;
  readonly F: number;
  readonly len: number;
  readonly tbDen: number | string;
  /** The frames' pixel format (yuv420p, or yuva420p where something after the zoom adds alpha). */
  readonly pix: string;
  readonly uid: string;
}

export interface ZoomWindow {
  /** Filters for the still's one frame, before it is repeated. */
  readonly once: string[];
  /** Filters after the repeat (and its retime), in place of the map. */
  readonly perFrame: (graph: FilterGraph) => string[];
}

interface FrameWindow { readonly Z: number; readonly m: string; readonly mc: string }

/** Bilinear weights (in 64ths) at −1, 0, +1 for a shift by r (|r| < 1). */
const weights = (r: number): number[] => {
  const q = Math.round(64 * Math.abs(r));
  return r < 0 ? [q, 64 - q, 0] : [0, 64 - q, q];
};
const matrix = (rx: number, ry: number): string => {
  const [wx, wy] = [weights(rx), weights(ry)];
  return wy.flatMap((a) => wx.map((b) => a * b)).join(' ');
};

/**
 * The zoom's filters, or undefined where this way would miss the ideal zoom by more than
 * ZOOM_WINDOW_TOLERANCE or let a feature stall for a frame (the caller then keeps the map).
 */
export const zoomWindow = (o: ZoomWindowInput): ZoomWindow | undefined => {
  const { B, F, centre: c } = o;
  if (B.w % 2 || B.h % 2 || B.w * B.h > MAX_AREA || o.N > MAX_FRAMES || o.N < 2) return undefined;
  const Wp = B.w + 2 * M;
  const Hp = B.h + 2 * M;
  // The copy, padded: the window at zoom 1 is the canvas, 2 px beyond the box on each side.
  const pad = 4 * KX;
  const iw = KX * Wp + 2 * pad;
  const ih = 2 * Math.round((iw * KY * Hp) / (KX * Wp) / 2);
  const pl = 2 * Math.floor((iw - KX * B.w) / 4);
  const pt = 2 * Math.floor((ih - KY * B.h) / 4);
  // The clip's own frame grid, from its first frame: a range or chunk of the clip gets the same windows.
  const phase = o.skip - Math.floor(o.skip * F + 1e-6) / F;
  const m0 = Math.round((o.skip - phase) * F);
  const total = m0 + o.N;
  const frames: FrameWindow[] = [];
  let prev: { w: number; h: number; z: number } | undefined;
  for (let m = 0; m < total; m++) {
    const z = o.zoomAt(phase + m / F);
    const wt = (KX * Wp) / z;
    const dir = prev ? Math.sign(z - prev.z) : 0;
    let best: { cost: number; w: number; h: number; e: number } | undefined;
    for (let w = Math.floor(wt) - 1; w <= Math.ceil(wt) + 1; w++) {
      // The heights zoompan gives this width, for Z = iw / (w + e), 0 < e ≤ 1; each with the middle of its e.
      const byH = new Map<number, number[]>();
      for (let i = 1; i <= 64; i++) {
        const h = Math.floor((ih * (w + i / 64)) / iw);
        byH.set(h, [...(byH.get(h) ?? []), i / 64]);
      }
      for (const [h, es] of byH) {
        const err = Math.max(
          Math.max(c.x, B.w - c.x) * Math.abs((KX * Wp) / w / z - 1),
          Math.max(c.y, B.h - c.y) * Math.abs((KY * Hp) / h / z - 1),
        );
        const moves = !prev || dir === 0 ? true : dir > 0 ? w < prev.w && h < prev.h : w > prev.w && h > prev.h;
        const cost = (moves ? 0 : 1000) + err;
        if (!best || cost < best.cost) best = { cost, w, h, e: es[Math.floor(es.length / 2)] };
      }
    }
    if (!best || best.cost > ZOOM_WINDOW_TOLERANCE) return undefined;
    const { w, h, e } = best;
    prev = { w, h, z };
    if (m < m0) continue;
    // zoompan's x and y: the same expressions below evaluate these from Z (even: 4:2:0).
    const x0 = 2 * Math.floor((pl + KX * c.x - ((c.x + M) * w) / Wp) / 2 + 0.5);
    const y0 = 2 * Math.floor((pt + KY * c.y - ((c.y + M) * h) / Hp) / 2 + 0.5);
    // Where the fixed point lands on the canvas, less where it belongs: the shift left to take out.
    const rx = ((pl + KX * c.x - x0) * Wp) / w - M - c.x;
    const ry = ((pt + KY * c.y - y0) * Hp) / h - M - c.y;
    if (Math.abs(rx) >= 1 || Math.abs(ry) >= 1) return undefined;
    frames.push({ Z: iw / (w + e), m: matrix(rx, ry), mc: matrix(rx / 2, ry / 2) });
  }
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) return frames[lo].Z.toFixed(9);
    const mid = (lo + hi) >> 1;
    return `if(lt(on,${mid}),${tree(lo, mid)},${tree(mid, hi)})`;
  };
  const xe = `2*floor((${num(pl + KX * c.x)}-${num(c.x + M)}*floor(iw/zoom)/${Wp})/2+0.5)`;
  const ye = `2*floor((${num(pt + KY * c.y)}-${num(c.y + M)}*floor(ih/zoom)/${Hp})/2+0.5)`;
  const name = `convolution@zw${o.uid}`;
  // Each plane's weights: 4:2:0 chroma (half the size) takes half the shift; planar RGB's three
  // planes (GIF and stills, working-pixels.ts) and an alpha plane take the whole of it, or a GIF's
  // colours and a transparent still's outline would lag the picture by up to half a pixel.
  const halfChroma = /^yuva?420p$/.test(o.pix);
  const alphaPlane = /^(yuva|gbrap)/.test(o.pix);
  const planes = (f: FrameWindow): string[] => [f.m, halfChroma ? f.mc : f.m, halfChroma ? f.mc : f.m, ...(alphaPlane ? [f.m] : [])];
  const first = planes(frames[0]);
  return {
    once: [
      `scale=${KX * B.w}:${KY * B.h}:flags=lanczos`, `format=${o.pix}`, `pad=${iw}:${ih}:${pl}:${pt}`,
      `fillborders=left=${pl}:right=${iw - KX * B.w - pl}:top=${pt}:bottom=${ih - KY * B.h - pt}:mode=smear`,
    ],
    perFrame: (graph) => {
      const commands = frames.flatMap((f, n) => (n > 0 && (f.m !== frames[n - 1].m || f.mc !== frames[n - 1].mc)
        ? [`${num(Math.max(0, n / F - 0.5 / F))} ${planes(f).map((m, i) => `${name} ${i}m '${m}'`).join(', ')};`] : []));
      return [
        `zoompan=z=${q(tree(0, frames.length))}:x=${q(xe)}:y=${q(ye)}:d=1:s=${Wp}x${Hp}:fps=${rateOf(F)}`,
        `settb=1/${o.tbDen}`, 'setpts=N*1000',
        ...(commands.length ? [`sendcmd=f=${graph.sideFile(`zoom-${o.uid}.txt`, commands.join('\n') + '\n')}`] : []),
        `${name}=${first.map((m, i) => `${i}m='${m}'`).join(':')}:${first.map((_, i) => `${i}rdiv=1/4096`).join(':')}`,
        `crop=${B.w}:${B.h}:${M}:${M}`,
      ];
    },
  };
};
