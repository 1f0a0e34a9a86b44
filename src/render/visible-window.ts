/**
 * The visible window of a clip's box (issue 12, "Speed"): a cover-fitted landscape source in a
 * portrait frame is drawn into a box about three frames wide (2276×1280 in a 720×1280 frame), and
 * every per-frame step (the Ken Burns map, a pan's crops and blend, a looped or frozen video's
 * frames) worked on the whole box although only the central columns ever show.
 *
 * When nothing can bring the hidden part into view, the content is cut to the window of the box
 * the frame shows (plus MARGIN px where it is cut, for the resamplers' neighbours, and the zoom's
 * centre), right after the source is scaled to its content size E: the crop is whole-pixel and at
 * even offsets, so the picture is the same, and the effect then runs on the window with the same
 * geometry (the zoom about the box's centre, the pan over the same travel). The layer is placed
 * at the window's offset in the box.
 *
 * Conditions (all must hold; otherwise the whole box is drawn, as before):
 * - an image or video source (not text, captions, shapes, colour);
 * - nothing moves or resizes the box: no keyframed x, y, scale or rotate, no fixed rotation, and
 *   no transition but `fade`, the wipes and the reveals (slides, zoom/pop, spin and the flips move
 *   or resize it; blur reads across the cut; pixelate's blocks are aligned to the frame's corner).
 *   A wipe's or reveal's mask is made for the whole box as before and cut to the window too;
 * - nothing reads pixels across the cut or is sized by the box: no `blur` filter or blur keyframes,
 *   no chroma key, mask, rounded corners, border, shadow or non-normal blend mode;
 * - the window saves at least a tenth of the box's area.
 * Per-pixel steps (crop and flip before sizing, the colour filters but blur, opacity, fade) are
 * unaffected by where the picture is cut.
 *
 * The plan option `wholeBoxes` turns the cut off (the reference the tests compare the cut with).
 * A playing video is also cut before it is scaled: source-window.ts.
 */
import type { EffectKind } from '../composition/schema.ts';
import { anchorOf, type Size } from './layout-box.ts';
import type { Frame, TimelineClip } from './timeline.ts';
import { KINDS } from './transitions/transition-kinds.ts';

/** Pixels kept beyond the frame's edge where the box is cut (bilinear and bicubic neighbours, overlay's even rounding). */
export const WINDOW_MARGIN = 4;

/** A whole-pixel window: offsets even (the chroma grid), sizes even. */
export interface Rect { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

export interface VisibleWindow {
  /** The part of the box drawn, in box pixels. */
  readonly view: Rect;
  /** The part of the content (E-sized) the effect reads, in content pixels: cut right after scaling. */
  readonly content: Rect;
  /** What the Ken Burns effect sees: its output size, its input size, and the zoom's centre (in view pixels). */
  readonly B: Size;
  readonly E: Size;
  readonly centre?: { readonly x: number; readonly y: number };
}

/** Whether nothing can bring the hidden part of the box into view (see the module comment). */
export const boxIsFixed = (clip: TimelineClip): boolean => {
  const k = clip.keyframes;
  const look = clip.look;
  const maskOrFade = [clip.transitionIn, clip.transitionOut].every((t) => !t || ['fade', 'wipe', 'reveal'].includes(KINDS[t.kind].family));
  return (clip.asset.type === 'image' || clip.asset.type === 'video') && !!clip.media?.video && !clip.raster && !clip.sequence
    && !k.x?.length && !k.y?.length && !k.scale?.length && !k.rotate?.length && !k.blur?.length
    && clip.rotate % 360 === 0 && maskOrFade && clip.filter !== 'blur'
    && (!look || (!look.chromaKey && !look.mask && !look.frame && !look.shadow && !look.border && look.radius === 0 && look.blend === 'normal'));
};

/** The box's top-left corner in the frame (output px): the arithmetic of the placement at scale 1. */
export const boxOrigin = (clip: Pick<TimelineClip, 'position' | 'offset'>, frame: Pick<Frame, 'width' | 'height'>, B: Size) => {
  const { ax, ay } = anchorOf(clip.position);
  const axis = (a: number, W: number, b: number, o: number) => a * W + (1 - 2 * a) * b / 2 + o * W - b / 2;
  return { x: axis(ax, frame.width, B.w, clip.offset.x), y: axis(ay, frame.height, B.h, clip.offset.y) };
};

/** The even-aligned span of [0, b) that [lo, hi) (box px) covers, widened by the margin where cut. */
const span = (lo: number, hi: number, b: number) => {
  const from = Math.max(0, 2 * Math.floor((Math.floor(lo) - WINDOW_MARGIN) / 2));
  const to = Math.min(b, 2 * Math.ceil((Math.ceil(hi) + WINDOW_MARGIN) / 2));
  return { from, size: Math.max(0, to - from) };
};

/**
 * The window for a clip whose box B (content E, Ken Burns `effect`) sits at `origin` in the frame,
 * or undefined where the whole box must be drawn.
 */
export const visibleWindow = (
  clip: TimelineClip, frame: Pick<Frame, 'width' | 'height'>, B: Size, E: Size, effect: EffectKind | undefined,
): VisibleWindow | undefined => {
  if (!boxIsFixed(clip)) return undefined;
  const o = boxOrigin(clip, frame, B);
  const zoom = effect === 'zoomIn' || effect === 'zoomOut';
  // A zoom (≥ 1, about the box's centre) reads between each shown pixel and the centre: keep the centre in.
  const cx = B.w / 2;
  const cy = B.h / 2;
  const sx = span(zoom ? Math.min(-o.x, cx) : -o.x, zoom ? Math.max(frame.width - o.x, cx) : frame.width - o.x, B.w);
  const sy = span(zoom ? Math.min(-o.y, cy) : -o.y, zoom ? Math.max(frame.height - o.y, cy) : frame.height - o.y, B.h);
  if (sx.size <= 0 || sy.size <= 0) return undefined;
  if (sx.size * sy.size > 0.9 * B.w * B.h) return undefined;
  const view: Rect = { x: sx.from, y: sy.from, w: sx.size, h: sy.size };
  const V: Size = { w: view.w, h: view.h };
  const dx = E.w - B.w;
  const dy = E.h - B.h;
  if (!effect) return { view, content: view, B: V, E: V };
  if (zoom) return { view, content: view, B: V, E: V, centre: { x: cx - view.x, y: cy - view.y } };
  // A pan crops B-sized views of E at an offset that travels along one axis (0 … dx or dy) and
  // sits at the middle (dx/2 or dy/2) on the other: the window keeps the travel, and the fixed
  // offset moves into the content cut (the pan then crops at 0 on that axis).
  const horizontal = effect === 'panLeft' || effect === 'panRight';
  const content: Rect = horizontal
    ? { x: view.x, y: dy / 2 + view.y, w: view.w + dx, h: view.h }
    : { x: dx / 2 + view.x, y: view.y, w: view.w, h: view.h + dy };
  return { view, content, B: V, E: { w: content.w, h: content.h } };
};

/** The whole-pixel cut of the content, right after it is scaled to E. */
export const windowCrop = (w: VisibleWindow): string => `crop=w=${w.content.w}:h=${w.content.h}:x=${w.content.x}:y=${w.content.y}:exact=1`;
