/**
 * A Shotstack clip's `width` × `height` on a video or image: a box of that many pixels, placed by
 * `position` and `offset` as the picture would be, with `fit` sizing the picture inside it (crop:
 * fills it and cuts the overflow, centred; contain: the whole picture, centred, the rest empty;
 * cover: stretched to it; none: the source's own pixels, centred, cut to the box). Montage fits a
 * picture into the frame only, so the box becomes what draws the same picture there: a centred
 * `crop` of the source, Montage's `fit`, a `scale` that makes the fitted picture the size it has
 * in the box, and, where the picture is smaller than the box, an offset from the box's edge to the
 * picture's. All of it needs the source's size (after the asset's `crop`), which the /edit/v1
 * routes read by probing the source when the Edit is submitted (`sourceSizes`).
 */
import { isObject, pathText, type EditPath, type JsonObject } from './edit-problems.ts';
import type { Keyframe } from './map-motion.ts';
import type { TextContext } from './map-text.ts';

/** A source's upright size in pixels, or why it could not be read. */
export type SourceSize = { readonly width: number; readonly height: number } | { readonly error: string };

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The `src` of every video and image clip of an Edit that sets `width` or `height`. */
export function boxedSources(edit: unknown): string[] {
  const out = new Set<string>();
  const tracks = isObject(edit) && isObject(edit.timeline) && Array.isArray(edit.timeline.tracks) ? edit.timeline.tracks : [];
  for (const t of tracks) for (const c of (isObject(t) && Array.isArray(t.clips) ? t.clips : [])) {
    if (!isObject(c) || (c.width === undefined && c.height === undefined) || !isObject(c.asset)) continue;
    if ((c.asset.type === 'video' || c.asset.type === 'image') && typeof c.asset.src === 'string') out.add(c.asset.src);
  }
  return [...out];
}

/**
 * Applies the clip box to the mapped `clip` (its `fit`, `crop`, `scale` and `offset`, and the
 * scale and x/y keyframes). `fit` is Shotstack's (default `crop`). Without a known source size
 * (`montage import`, a template being saved) the source is taken to have the box's shape, with a
 * warning; the service reads the real one before it renders.
 */
export function fitClipBox(
  c: JsonObject, src: string, fit: string, clip: JsonObject, keyframes: Record<string, Keyframe[]>, path: EditPath, ctx: TextContext,
): void {
  const F = { w: ctx.width, h: ctx.height };
  const dim = (k: 'width' | 'height', frame: number): number | undefined => {
    const v = c[k];
    if (v === undefined) return frame;
    if (typeof v !== 'number' || !(v >= 1 && v <= 7680)) { ctx.problems.add([...path, k], 'must be the box\'s size in pixels, 1 to 7680.'); return undefined; }
    return v;
  };
  const W = dim('width', F.w);
  const H = dim('height', F.h);
  if (W === undefined || H === undefined) return;

  const known = ctx.sourceSizes?.get(src);
  if (known && 'error' in known) {
    ctx.problems.add([...path, 'asset', 'src'], `could not be read for the clip's width and height, which need the source's size: ${known.error}`);
    return;
  }
  if (!known) ctx.warnings.push(`${pathText(path)}: the box of ${W} × ${H} px is drawn as if the source had the box's shape; the service reads the source's size before it renders.`);
  // The source after the asset's own crop (fractions of the whole source).
  const crop = isObject(clip.crop) ? { ...clip.crop } as Record<string, number> : {};
  const keepX = 1 - (crop.left ?? 0) - (crop.right ?? 0);
  const keepY = 1 - (crop.top ?? 0) - (crop.bottom ?? 0);
  const s = known ? { w: known.width * keepX, h: known.height * keepY } : { w: W, h: H };

  /** The source's pixels Montage fits: all of `s`, or what cutTo leaves. */
  const cut = { w: s.w, h: s.h };
  /** Cuts the source further, centred, to `w` × `h` of its pixels (composed with the asset's crop). */
  const cutTo = (w: number, h: number) => {
    cut.w = Math.min(w, s.w);
    cut.h = Math.min(h, s.h);
    const cx = Math.max(0, (1 - w / s.w) / 2) * keepX;
    const cy = Math.max(0, (1 - h / s.h) / 2) * keepY;
    if (cx > 1e-6) { crop.left = round((crop.left ?? 0) + cx); crop.right = round((crop.right ?? 0) + cx); }
    if (cy > 1e-6) { crop.top = round((crop.top ?? 0) + cy); crop.bottom = round((crop.bottom ?? 0) + cy); }
  };
  /** The picture's size in the box, and Montage's fit that draws it (before `scale`). */
  let picture: { w: number; h: number };
  let montageFit: string;
  switch (fit) {
    case 'contain': {
      const k = Math.min(W / s.w, H / s.h);
      picture = { w: s.w * k, h: s.h * k };
      montageFit = 'contain';
      break;
    }
    case 'cover': {
      // Stretched to the box: Montage stretches only to the frame, so the box must have its shape.
      if (Math.abs(W / H - F.w / F.h) > 0.005 * (F.w / F.h)) {
        ctx.problems.add([...path, 'fit'], `"cover" stretches the picture to the box, and Montage stretches a picture only to the frame's shape (${F.w} × ${F.h}), not to ${W} × ${H}: use "crop" (fills the box, cutting the overflow) or "contain", or a box of the frame's shape.`);
        return;
      }
      picture = { w: W, h: H };
      montageFit = 'fill';
      break;
    }
    case 'none': {
      picture = { w: Math.min(W, s.w), h: Math.min(H, s.h) };
      cutTo(picture.w, picture.h);
      montageFit = 'none';
      break;
    }
    default: { // crop
      const k = Math.max(W / s.w, H / s.h);
      cutTo(W / k, H / k);
      picture = { w: W, h: H };
      montageFit = 'contain';
    }
  }
  if (Object.keys(crop).length) clip.crop = crop;
  clip.fit = montageFit;
  // The cut source, fitted into the frame by Montage, then scaled to the picture's size.
  const fitted = montageFit === 'none' ? cut
    : montageFit === 'fill' ? F
      : { w: cut.w * Math.min(F.w / cut.w, F.h / cut.h), h: cut.h * Math.min(F.w / cut.w, F.h / cut.h) };
  const k = picture.w / fitted.w;
  const own = typeof clip.scale === 'number' ? clip.scale : 1;
  if (keyframes.scale) keyframes.scale = keyframes.scale.map((key) => ({ ...key, value: round(key.value * k) }));
  clip.scale = round(own * k);
  // A picture smaller than its box sits in the box's middle, not at the box's anchored edge.
  const position = typeof clip.position === 'string' ? clip.position : 'center';
  const sx = /left$/i.test(position) ? 1 : /right$/i.test(position) ? -1 : 0;
  const sy = /^top/.test(position) ? 1 : /^bottom/.test(position) ? -1 : 0;
  const shift = { x: round((sx * own * (W - picture.w)) / (2 * F.w)), y: round((sy * own * (H - picture.h)) / (2 * F.h)) };
  const offset = isObject(clip.offset) ? { ...clip.offset } : {};
  for (const axis of ['x', 'y'] as const) {
    if (shift[axis] === 0) continue;
    if (keyframes[axis]) keyframes[axis] = keyframes[axis].map((key) => ({ ...key, value: round(key.value + shift[axis]) }));
    offset[axis] = round((typeof offset[axis] === 'number' ? offset[axis] as number : 0) + shift[axis]);
  }
  if (Object.keys(offset).length) clip.offset = offset;
}
