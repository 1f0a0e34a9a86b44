/**
 * (1.1) The look of a visual clip, normalized: flip, crop, chroma key, mask, blend mode, rounded
 * corners, border and drop shadow, with every default applied and the mask's source probed. Pure
 * data on the TimelineClip; each concern is planned by its own module in this folder.
 */
import type { BlendMode, Clip, Flip } from '../../composition/schema.ts';
import type { MediaInfo } from '../../assets/media-info.ts';
import type { FieldProblem } from '../../errors/registry.ts';

/** A picture file the planner reads (the same shape as the timeline's RasterRef). */
export interface LookRaster { readonly path: string; readonly width: number; readonly height: number }

export interface CropSides { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number }

export interface ClipLook {
  readonly flip?: Flip;
  readonly crop?: CropSides;
  readonly chromaKey?: { readonly color: string; readonly similarity: number; readonly blend: number };
  readonly mask?: { readonly media: MediaInfo; readonly mode: 'luma' | 'alpha'; readonly invert: boolean };
  readonly blend: BlendMode;
  /** Corner radius in output pixels (video, image and colour clips). */
  readonly radius: number;
  readonly border?: { readonly color: string; readonly width: number };
  readonly shadow?: { readonly color: string; readonly blur: number; readonly x: number; readonly y: number };
  /**
   * Pictures of the clip's box, rasterized once at its exact size (see look-rasters.ts): the
   * rounded-corner coverage as a grey mask, and the border as a transparent picture.
   */
  readonly frame?: { readonly mask?: LookRaster; readonly border?: LookRaster };
}

/** Asset types whose box `radius` and `border` apply to. */
export const BOXED_TYPES: ReadonlySet<string> = new Set(['video', 'image', 'color']);

export const DEFAULT_KEY_SIMILARITY = 0.3;
export const DEFAULT_KEY_BLEND = 0.1;

/**
 * The clip's look, or undefined when it uses none of the look fields (so plans of compositions
 * without them stay exactly as they were). Problems that need the probed mask go to `problems`.
 */
export const clipLookOf = (
  clip: Clip, media: ReadonlyMap<string, MediaInfo>, pointer: string, problems: FieldProblem[],
): ClipLook | undefined => {
  const { flip, crop, chromaKey, mask, blend, radius, border, shadow } = clip;
  if (!flip && !crop && !chromaKey && !mask && (!blend || blend === 'normal') && !radius && !border && !shadow) return undefined;
  if (clip.asset.type === 'audio') return undefined;
  const boxed = BOXED_TYPES.has(clip.asset.type);
  let maskMedia: MediaInfo | undefined;
  if (mask) {
    maskMedia = media.get(mask.src);
    if (maskMedia && !maskMedia.video) {
      problems.push({ pointer: `${pointer}/mask/src`, detail: 'has no picture: use an image or a video as the mask' });
    }
  }
  const cropSides = crop ? { top: crop.top ?? 0, bottom: crop.bottom ?? 0, left: crop.left ?? 0, right: crop.right ?? 0 } : undefined;
  return {
    ...(flip ? { flip } : {}),
    ...(cropSides && (cropSides.top || cropSides.bottom || cropSides.left || cropSides.right) ? { crop: cropSides } : {}),
    ...(chromaKey && (clip.asset.type === 'video' || clip.asset.type === 'image') ? {
      chromaKey: { color: chromaKey.color, similarity: chromaKey.similarity ?? DEFAULT_KEY_SIMILARITY, blend: chromaKey.blend ?? DEFAULT_KEY_BLEND },
    } : {}),
    ...(mask && maskMedia?.video ? { mask: { media: maskMedia, mode: mask.mode ?? 'luma', invert: mask.invert ?? false } } : {}),
    blend: blend ?? 'normal',
    radius: boxed ? radius ?? 0 : 0,
    ...(border && boxed && border.width > 0 ? { border: { color: border.color, width: border.width } } : {}),
    ...(shadow ? { shadow: { color: shadow.color, blur: shadow.blur ?? 0, x: shadow.x ?? 0, y: shadow.y ?? 0 } } : {}),
  };
};

/** Whether the look makes parts of the clip transparent (so its frames must carry alpha). */
export const lookMakesAlpha = (look: ClipLook | undefined): boolean =>
  !!look && (!!look.chromaKey || !!look.mask || look.radius > 0);
