/**
 * SVG images become PNGs before planning, each drawn once at the largest size any clip shows it:
 * the clip's fitted box × its largest `scale` (static or keyframed) × the Ken Burns overscan, as
 * plan-visual-clip.ts sizes it, so ffmpeg only ever scales the picture down and edges stay sharp.
 * An SVG used as a clip's `mask` is drawn at least as large as that clip's box, which it is
 * stretched over (look/masks.ts).
 * The media entry keeps the SVG's intrinsic size (for `fit` and `fit: none`) and points at the PNG.
 */
import { writeFile } from 'node:fs/promises';
import type { Clip, Composition } from '../composition/schema.ts';
import type { MediaInfo } from '../assets/media-info.ts';
import { loadSvg } from '../assets/svg-image.ts';
import { fitSize, type Size } from './layout-box.ts';
import { EFFECT_ZOOM } from './ken-burns.ts';
import { MAX_SVG_PIXELS, MAX_SVG_SIDE, rasterizeSvg } from './raster/rasterize-svg.ts';

/**
 * The largest box of a clip (output px) that its mask is stretched over: its source after `crop`,
 * fitted (as look/clip-box.ts sizes it), × its largest scale; the frame for clips without a
 * source picture (colour, and as a bound for text, shapes and captions).
 */
const maskedBox = (clip: Clip, media: ReadonlyMap<string, MediaInfo>, frame: { width: number; height: number }): Size => {
  const a = clip.asset;
  const v = (a.type === 'video' || a.type === 'image') ? media.get(a.src)?.video : undefined;
  const crop = clip.crop ?? {};
  const src = v ? { w: v.width * (1 - (crop.left ?? 0) - (crop.right ?? 0)), h: v.height * (1 - (crop.top ?? 0) - (crop.bottom ?? 0)) } : undefined;
  const fitted = src && src.w > 0 && src.h > 0 ? fitSize(clip.fit ?? 'cover', src, { w: frame.width, h: frame.height }) : { w: frame.width, h: frame.height };
  const scale = Math.max(...(clip.keyframes?.scale?.map((key) => key.value) ?? [clip.scale ?? 1]), 1e-3);
  return { w: fitted.w * scale, h: fitted.h * scale };
};

export async function rasterizeSvgMedia(
  c: Composition, media: Map<string, MediaInfo>, frame: { width: number; height: number }, workDir: string, pointers: ReadonlyMap<string, string>,
): Promise<void> {
  let n = 0;
  for (const [src, info] of media) {
    if (info.container !== 'svg' || !info.video) continue;
    const intrinsic = { w: info.video.width, h: info.video.height };
    let k = 0; // largest width of the drawn picture, as a multiple of the intrinsic width
    for (const t of c.tracks) {
      for (const clip of t.clips) {
        if (clip.asset.type !== 'image' || clip.asset.src !== src) continue;
        const fitted = fitSize(clip.fit ?? 'cover', intrinsic, { w: frame.width, h: frame.height });
        const scales = clip.keyframes?.scale?.map((key) => key.value) ?? [clip.scale ?? 1];
        const factor = Math.max(...scales, 1e-3) * (clip.effect ? EFFECT_ZOOM : 1);
        k = Math.max(k, (fitted.w * factor) / intrinsic.w);
      }
      // As a mask it is stretched over the clip's box, on each axis on its own.
      for (const clip of t.clips) {
        if (clip.mask?.src !== src) continue;
        const box = maskedBox(clip, media, frame);
        k = Math.max(k, box.w / intrinsic.w, box.h / intrinsic.h);
      }
    }
    if (k === 0) k = 1;
    // Within the planner's side limit and a pixel budget (the canvas is 4 bytes a pixel), in the
    // SVG's proportions.
    k = Math.min(k, MAX_SVG_SIDE / intrinsic.w, MAX_SVG_SIDE / intrinsic.h, Math.sqrt(MAX_SVG_PIXELS / (intrinsic.w * intrinsic.h)));
    const { bytes } = loadSvg(info.path, pointers.get(src) ?? '');
    const png = `${workDir}/svg-${n++}.png`;
    await writeFile(png, rasterizeSvg(bytes, Math.ceil(intrinsic.w * k), Math.ceil(intrinsic.h * k)));
    media.set(src, { ...info, path: png, container: 'png_pipe', video: { ...info.video, codec: 'png' } });
  }
}
