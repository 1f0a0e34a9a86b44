/**
 * `chromaKey`: pixels near the key colour become transparent, with a soft edge, and the key's
 * colour is taken out of what remains (despill), so the subject's edges do not glow green.
 *
 * Keying is done on chroma (ffmpeg `chromakey`, in YUV), so a screen lit unevenly, brighter here
 * and darker there, keys as one colour. `similarity` is measured along the way from the key colour
 * to a neutral grey of no colour at all: 0.5 reaches half-way, so the default 0.3 (with the default
 * soft edge of 0.1 beyond it) keys the shaded parts of a real screen and keeps every neutral, skin
 * and warm tone whole. See docs/composition-choices.md.
 */
import { num } from '../easing.ts';
import { ffColour, type FilterGraph } from '../filter-graph.ts';
import type { Size } from '../layout-box.ts';
import { multiplyAlpha } from './masks.ts';
import type { WorkingPixels } from '../working-pixels.ts';

/** Key colours with less chroma than this (greys) cannot be keyed on chroma: they key on RGB. */
const NEUTRAL_CHROMA = 0.03;

const rgbOf = (hex: string): [number, number, number] => {
  let h = hex.replace('#', '');
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
};

/**
 * The key colour's chroma distance from neutral grey in ffmpeg chromakey's own measure:
 * sqrt((ΔU² + ΔV²) / (2·255²)) with BT.601 limited-range U and V.
 */
export const chromaFromGrey = (hex: string): number => {
  const { u, v } = limitedYuv(hex);
  return Math.sqrt(((u - 128) ** 2 + (v - 128) ** 2) / (2 * 255 * 255));
};

/**
 * The colour as the frames carry it: BT.601 limited range. ffmpeg's chromakey converts an RGB key
 * with full-range coefficients, which puts pure green 0.045 away from itself in limited-range
 * frames; the key is therefore given in YUV.
 */
const limitedYuv = (hex: string): { y: number; u: number; v: number } => {
  const [r, g, b] = rgbOf(hex);
  const k = 224 / 255;
  return {
    y: 16 + (219 / 255) * (0.299 * r + 0.587 * g + 0.114 * b),
    u: 128 + k * (-0.168736 * r - 0.331264 * g + 0.5 * b),
    v: 128 + k * (0.5 * r - 0.418688 * g - 0.081312 * b),
  };
};

const yuvHex = (hex: string): string => {
  const { y, u, v } = limitedYuv(hex);
  return `0x${[y, u, v].map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
};

/** Which screen the despill treats: the key's dominant channel, when it is green or blue. */
const spillOf = (hex: string): 'green' | 'blue' | undefined => {
  const [r, g, b] = rgbOf(hex);
  if (g > r && g > b) return 'green';
  if (b > r && b > g) return 'blue';
  return undefined;
};

type Key = { color: string; similarity: number; blend: number };

/** The key alone: frames (yuva420p) whose alpha becomes the key's, replacing any alpha they had. */
export const keyFilters = (key: Key): string[] => {
  const reach = chromaFromGrey(key.color);
  if (reach < NEUTRAL_CHROMA) {
    // A grey, white or black key: chroma cannot tell it apart, so key on RGB distance instead.
    const colour = ffColour(key.color).replace(/@.*/, '');
    return ['format=rgba', `colorkey=${colour}:${num(key.similarity)}:${num(key.blend)}`, 'format=yuva420p'];
  }
  const similarity = Math.min(1, Math.max(0.01, 2 * key.similarity * reach));
  const blend = Math.min(1, 2 * key.blend * reach);
  return [`chromakey=color=${yuvHex(key.color)}:similarity=${num(similarity)}:blend=${num(blend)}:yuv=1`];
};

/** The spill suppression for a green or blue key (none for other keys); keeps alpha, ends in `alpha` (the working format with alpha). */
export const despillFilters = (key: Key, alpha = 'yuva420p'): string[] => {
  const spill = chromaFromGrey(key.color) < NEUTRAL_CHROMA ? undefined : spillOf(key.color);
  return spill ? ['format=rgba', `despill=type=${spill}:mix=0.5:expand=0`, `format=${alpha}`] : [];
};

/**
 * The key's matte, a grey picture of `size` (white where the clip shows), from a copy of the clip's
 * frames of that size. A chroma key is computed on a half-size 4:4:4 copy: 4:2:0 frames carry
 * their colour at half size anyway, so the matte keeps the colour detail the key looks at; scaled
 * back up (bilinear) its edge stays soft. Keying the copy costs about a third of keying the whole
 * frame (docs/benchmarks.md, "ref-c per-clip costs"). A grey key (RGB distance) keys the frame itself.
 * The matte comes out `to` in size (bilinear), `size` by default.
 */
export const matteFilters = (key: Key, size: Size, to: Size = size, fullChroma = false): string[] => {
  const grow = to.w !== size.w || to.h !== size.h ? [`scale=${to.w}:${to.h}:flags=bilinear`] : [];
  if (chromaFromGrey(key.color) < NEUTRAL_CHROMA) return [...keyFilters(key), 'alphaextract', ...grow];
  // RGB frames (stills, GIF) carry their colour at every pixel: the matte is keyed at full size.
  if (fullChroma) return ['format=yuva444p', ...keyFilters(key), 'alphaextract', ...grow];
  const half = (n: number) => Math.max(2, Math.round(n / 2));
  return [
    `scale=${half(size.w)}:${half(size.h)}`, 'format=yuva444p', ...keyFilters(key), 'alphaextract',
    `scale=${to.w}:${to.h}:flags=bilinear`,
  ];
};

/**
 * The stream `head` (frames of `size`, in the working format with alpha) keyed: its matte (matteFilters) made on a copy and
 * multiplied into its alpha (taken as its alpha when it has none of its own), its colour despilled.
 *
 * With `to` (only for `head` without alpha of its own, any 4:2:0 format): `head` is a source
 * smaller than it is drawn; its matte is made from it at its own size (half of it, as above) and
 * only then sized up to `to`, and its colour is sized up to `to` before the despill, as without
 * `to`. The matte loses nothing: chroma key reads only the chroma, which a 4:2:0 source carries at
 * half its size, the matte's own size; sizing the source up first only interpolated it. Keying
 * 320² instead of 384² (ref-c's 640² green screen drawn at 768²) costs 0.7 as much (docs/benchmarks.md,
 * "ref-c, the matte at the source's size"). Despilling before sizing up would cost less again,
 * but moves the colours further (SSIM 0.989 of the keyed clip against the despill after sizing).
 */
export const keyedStream = (graph: FilterGraph, head: string, key: Key, size: Size, headHasAlpha: boolean, to?: Size): string => {
  const [keep, copy] = [graph.label('kp'), graph.label('kc')];
  graph.chain([head], ['split'], [keep, copy]);
  const rgb = keyOnCopy(graph.pixels);
  const matte = graph.chain([copy], matteFilters(key, size, to ?? size, rgb), graph.label('key'));
  const grow = to ? [`scale=${to.w}:${to.h}`, 'setsar=1', `format=${graph.pixels.alpha}`] : [];
  const colour = [...grow, ...despillFilters(key, graph.pixels.alpha)];
  const despilled = colour.length ? graph.chain([keep], colour, graph.label('ds')) : keep;
  return multiplyAlpha(graph, despilled, matte, headHasAlpha);
};

/**
 * Whether a clip drawn in these working pixels is keyed on a copy (keyedStream) whatever its source:
 * in RGB (stills, GIF), since chromakey works in YUV and keying the picture itself took its colour
 * through 4:2:0 (a purple fringe two pixels wide at a red/blue edge of the subject, #ff0000 coming
 * out 253,0,0); on a copy, only the matte is made in YUV (4:4:4) and the picture stays exact.
 */
export const keyOnCopy = (pixels: WorkingPixels): boolean => pixels.lut === 'lutrgb';

/** Filters that key the clip's frames (yuva420p, without alpha of their own) and leave them yuva420p. */
export const chromaKeyFilters = (key: Key): string[] => [...keyFilters(key), ...despillFilters(key)];
