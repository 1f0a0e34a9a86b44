/**
 * Reveal-order maps: one 8-bit grayscale picture per clip size and kind, where a pixel's value is
 * when it shows (0 first, 255 last). Drawn once, in plain JS, at a small size (the long side at most
 * MAP_SIDE; ffmpeg scales it up once); per frame the mask is this map thresholded against the eased
 * progress by a 256-entry `lut` (reveal-mask.ts), so no per-pixel expression ever runs in ffmpeg.
 * Output is binary PGM (P5), which ffmpeg reads as `gray`.
 */
import type { TransitionKind } from '../../composition/schema.ts';
import type { Size } from '../layout-box.ts';

export type RevealKind = Extract<TransitionKind,
  'wipeUpLeft' | 'wipeUpRight' | 'wipeDownLeft' | 'wipeDownRight' | 'iris' | 'clock' | 'barnDoorHorizontal' | 'barnDoorVertical' | 'dissolve'>;

/** Longest side of a drawn gradient map; larger boxes get it scaled up (bilinear). */
export const MAP_SIDE = 480;

/**
 * Whether `out` keeps moving the same way, hiding what showed first (wipes, clock: "the edge, still
 * travelling, hides it"), rather than running `in` backwards (iris shrinks to a point, barn doors
 * close to the centre line, dissolve takes back the last blocks first).
 */
export const OUT_CONTINUES: Record<RevealKind, boolean> = {
  wipeUpLeft: true, wipeUpRight: true, wipeDownLeft: true, wipeDownRight: true, clock: true,
  iris: false, barnDoorHorizontal: false, barnDoorVertical: false, dissolve: false,
};

/**
 * Dissolve's grid of blocks: 24 along the box's shorter side (fewer on a box under 48 px, so a block
 * stays at least 2 px), the longer side in proportion. The grid depends on the box's shape, not its
 * size, so `output.scale` draws the same blocks, in the same order, at another size.
 */
export const dissolveGrid = (R: Size): Size => {
  const short = Math.min(R.w, R.h);
  const n = Math.max(1, Math.min(24, Math.floor(short / 2)));
  return { w: Math.max(1, Math.round((n * R.w) / short)), h: Math.max(1, Math.round((n * R.h) / short)) };
};

/** The map's own size: a gradient's at most MAP_SIDE long, dissolve's one pixel per block. */
export const mapSize = (kind: RevealKind, R: Size): Size => {
  if (kind === 'dissolve') return dissolveGrid(R);
  const k = Math.min(1, MAP_SIDE / Math.max(R.w, R.h));
  return { w: Math.max(2, Math.round(R.w * k)), h: Math.max(2, Math.round(R.h * k)) };
};

/** A small seeded PRNG (mulberry32): the same blocks on every render, in every chunk. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/**
 * Order in [0, 1] of the point (x, y) of a box w×h (pixel units, so circles stay round and the
 * clock's angles are true angles on a non-square box).
 */
const ORDER: Record<Exclude<RevealKind, 'dissolve'>, (x: number, y: number, w: number, h: number) => number> = {
  wipeDownRight: (x, y, w, h) => (x / w + y / h) / 2,
  wipeDownLeft: (x, y, w, h) => (1 - x / w + y / h) / 2,
  wipeUpRight: (x, y, w, h) => (x / w + 1 - y / h) / 2,
  wipeUpLeft: (x, y, w, h) => (2 - x / w - y / h) / 2,
  iris: (x, y, w, h) => Math.hypot(x - w / 2, y - h / 2) / Math.hypot(w / 2, h / 2),
  clock: (x, y, w, h) => {
    const a = Math.atan2(x - w / 2, h / 2 - y); // 0 at 12 o'clock, growing clockwise
    return (a < 0 ? a + 2 * Math.PI : a) / (2 * Math.PI);
  },
  barnDoorHorizontal: (x, _y, w) => Math.abs(x - w / 2) / (w / 2),
  barnDoorVertical: (_x, y, _w, h) => Math.abs(y - h / 2) / (h / 2),
};

/** The map as binary PGM bytes. `seed` only matters for dissolve. */
export const revealMap = (kind: RevealKind, R: Size, seed = 1): Uint8Array => {
  const G = mapSize(kind, R);
  const header = new TextEncoder().encode(`P5\n${G.w} ${G.h}\n255\n`);
  const out = new Uint8Array(header.length + G.w * G.h);
  out.set(header);
  const px = out.subarray(header.length);
  if (kind === 'dissolve') {
    // Every level equally often, in a seeded shuffle: the shown share grows linearly with progress.
    const n = G.w * G.h;
    const order = Array.from({ length: n }, (_, i) => Math.min(255, Math.floor((i * 256) / n)));
    const rnd = prng(seed);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    px.set(order);
    return out;
  }
  const f = ORDER[kind];
  for (let j = 0; j < G.h; j++) {
    for (let i = 0; i < G.w; i++) {
      // Pixel centres, in the clip's own pixel units.
      const x = ((i + 0.5) / G.w) * R.w;
      const y = ((j + 0.5) / G.h) * R.h;
      px[j * G.w + i] = Math.round(Math.min(1, Math.max(0, f(x, y, R.w, R.h))) * 255);
    }
  }
  return out;
};
