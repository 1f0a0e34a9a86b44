/**
 * `output.scale`: the same video at another size. A pure function of the validated composition,
 * applied once before anything is prepared or planned: the frame size and every length in pixels
 * are multiplied, so rasterizing, layout and the planner never hear of the scale.
 *
 * The lengths are a table of paths, one line per field: a new pixel field is one more line.
 * `*` matches every array item or object key; a path ending in a field that the composition leaves
 * out is filled from `fallback` first where the renderer would use a pixel default (text drawn at
 * the default 48 px must come out at 24 px at scale 0.5).
 */
import type { Composition } from './schema.ts';
import { DEFAULT_CAPTION_PADDING, defaultCaptionSize } from './caption-defaults.ts';

interface PixelField {
  /** Slash-separated path from the composition root; `*` = every item or key. */
  readonly path: string;
  /** The renderer's default (unscaled), for a field left out, when its parent object is there. */
  readonly fallback?: number | ((c: Composition) => number);
  /** Only where the asset (the nearest `asset` on the path) is of one of these types. */
  readonly assets?: readonly string[];
}

const CLIP = 'tracks/*/clips/*';
const TEXT = ['text', 'captions'];

/** Every length in pixels of COMPOSITION.md, 1.0 and 1.1. Fractions, degrees and seconds are not listed. */
export const PIXEL_FIELDS: readonly PixelField[] = [
  // Clip look (1.1)
  { path: `${CLIP}/radius` },
  { path: `${CLIP}/border/width` },
  { path: `${CLIP}/shadow/blur` },
  { path: `${CLIP}/shadow/x` },
  { path: `${CLIP}/shadow/y` },
  { path: `${CLIP}/keyframes/blur/*/value` },
  // Shapes
  { path: `${CLIP}/asset/width`, assets: ['shape'] },
  { path: `${CLIP}/asset/height`, assets: ['shape'] },
  { path: `${CLIP}/asset/radius`, assets: ['shape'] },
  { path: `${CLIP}/asset/stroke/width` },
  // Text and captions
  { path: `${CLIP}/asset/font/size`, fallback: 48, assets: ['text'] },
  // A caption's default size follows the unscaled frame's height (5%, at least 16 px).
  { path: `${CLIP}/asset/font/size`, fallback: (c) => defaultCaptionSize(c.output.height ?? 720), assets: ['captions'] },
  { path: `${CLIP}/asset/font/letterSpacing`, assets: TEXT },
  { path: `${CLIP}/asset/minSize`, fallback: 12, assets: ['text'] },
  { path: `${CLIP}/asset/padding`, assets: ['text'] },
  { path: `${CLIP}/asset/padding`, fallback: DEFAULT_CAPTION_PADDING, assets: ['captions'] },
  { path: `${CLIP}/asset/shadow/blur`, assets: TEXT },
  { path: `${CLIP}/asset/shadow/x`, assets: TEXT },
  { path: `${CLIP}/asset/shadow/y`, assets: TEXT },
  { path: `${CLIP}/asset/background/radius`, assets: TEXT },
  { path: `${CLIP}/asset/text/*/font/size`, assets: TEXT },
  { path: `${CLIP}/asset/text/*/font/letterSpacing`, assets: TEXT },
  { path: `${CLIP}/asset/text/*/background/radius`, assets: TEXT },
];

type Node = Record<string, unknown> | unknown[];
const isNode = (v: unknown): v is Node => !!v && typeof v === 'object';

const walk = (node: unknown, keys: readonly string[], field: PixelField, s: number, assetType?: string): void => {
  if (!isNode(node)) return;
  const type = !Array.isArray(node) && isNode(node.asset) && !Array.isArray(node.asset) ? String(node.asset.type) : assetType;
  const [key, ...rest] = keys;
  if (rest.length === 0) {
    if (Array.isArray(node) || (field.assets && !field.assets.includes(type ?? ''))) return;
    const v = node[key];
    if (typeof v === 'number') node[key] = v * s;
    else if (typeof v === 'undefined' && typeof field.fallback === 'number') node[key] = field.fallback * s;
    return;
  }
  const children = key === '*' ? Object.values(node) : [(node as Record<string, unknown>)[key]];
  // A fallback may need its parent object (a text asset without `font` still has a 48 px size).
  if (key !== '*' && children[0] === undefined && field.fallback !== undefined && rest.length === 1 && !Array.isArray(node)
    && (!field.assets || field.assets.includes(type ?? ''))) {
    node[key] = {};
    children[0] = node[key];
  }
  for (const child of children) walk(child, rest, field, s, type);
};

const VIDEO_FORMATS = new Set(['mp4', 'webm', 'mov']);

/** The composition at `output.scale` (a deep copy), or the same object when there is no scale. */
export const scaleComposition = (c: Composition): Composition => {
  const s = c.output.scale;
  if (s === undefined || s === 1) return c;
  const out = structuredClone(c) as Composition & Record<string, unknown>;
  const format = out.output.format ?? 'mp4';
  // Encoders of 4:2:0 video need even sizes; others only whole pixels.
  const size = (v: number) => (VIDEO_FORMATS.has(format) ? Math.max(2, 2 * Math.round((v * s) / 2)) : Math.max(1, Math.round(v * s)));
  out.output = { ...out.output, width: size(out.output.width ?? 1280), height: size(out.output.height ?? 720), scale: undefined };
  delete (out.output as Record<string, unknown>).scale;
  for (const field of PIXEL_FIELDS) {
    const fallback = typeof field.fallback === 'function' ? field.fallback(c) : field.fallback;
    walk(out, field.path.split('/'), { ...field, fallback }, s);
  }
  // `fit: "none"` keeps source pixels: the same video at another size draws them at that size too.
  for (const track of out.tracks) {
    for (const clip of track.clips) {
      if ((clip.fit ?? (clip.asset.type === 'video' || clip.asset.type === 'image' ? 'cover' : 'none')) !== 'none') continue;
      if (clip.asset.type !== 'video' && clip.asset.type !== 'image') continue;
      clip.scale = (clip.scale ?? 1) * s;
      if (clip.keyframes?.scale) clip.keyframes.scale = clip.keyframes.scale.map((k) => ({ ...k, value: k.value * s }));
    }
  }
  return out;
};
