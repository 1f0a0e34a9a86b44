/**
 * The frame's part of a moving picture far larger than the frame (a clip keyed from 10× down to
 * its size, Shotstack's `zoom`): the sub-pixel map (subpixel-transform.ts) resampled a canvas of
 * the picture's largest drawn extent (10246×5766 for a 1024×576 frame) on every frame, though
 * the overlay showed only the frame's 1024×576 of it.
 *
 * Per axis, the map's canvas can instead be the frame (overlaid at 0), and its source the part of
 * the padded picture P that maps into the frame: a fixed-size crop at an even offset that follows
 * the motion (`start`, an expression of clip-local time evaluated alike by crop and by the map,
 * which folds it into its offset). The map is the same affine map of P onto the frame, so the
 * frame's pixels are the same up to the map's fixed-point rounding (1/256 px); the crop keeps
 * the bilinear neighbours and the transparent margin wherever the picture's edge is in view, and
 * is whole-pixel (no copy in ffmpeg). Both sizes are fixed for the window (ffmpeg 5.1 does not take
 * a frame size changing on a link).
 *
 * The canvas is max(frame, the largest span of P in view + room) per axis: where the picture
 * shrinks (the map scales P down), its part in view is larger than the frame. Used only where it is
 * smaller than the picture's own canvas (`old`): a small moving picture keeps its own canvas.
 */
/** Room (px) past the span in view: the bilinear neighbours (1), the even offset (1), evaluation slack (2 + 2). */
const ROOM = 2;
const SLACK = 4;

export interface FrameCut {
  /** The canvas (and crop) size on this axis: even. */
  readonly D: number;
  /** The padded picture's size on this axis (P with its margin, at least D). */
  readonly Q: number;
  /** The crop's offset into the padded picture: an expression of the position and P's scale onto the frame. */
  readonly start: (pos: string, scale: string) => string;
}

/**
 * One axis: W the frame's size, p the picture P's, `old` the picture's own canvas; per frame of the
 * window, P's position on the frame and its scale onto the frame (frame px per P px). The picture
 * sits at `margin` px into its padded copy.
 */
export const frameCut = (o: { W: number; p: number; old: number; pos: readonly number[]; scale: readonly number[]; margin?: number }): FrameCut | undefined => {
  const m = o.margin ?? 2;
  const Q0 = 2 * Math.ceil((o.p + 2 * m) / 2);
  const startAt = (pos: number, s: number) => Math.max(0, 2 * Math.floor((m + Math.max(0, -pos / s) - ROOM) / 2));
  let need = 0;
  o.pos.forEach((pos, i) => {
    const s = o.scale[i];
    const hi = Math.min(o.p, (o.W - pos) / s);
    need = Math.max(need, Math.ceil(m + hi + ROOM) - startAt(pos, s));
  });
  const D = 2 * Math.ceil(Math.max(o.W, need + SLACK) / 2);
  if (D >= o.old) return undefined;
  const Q = Math.max(Q0, D);
  return {
    D,
    Q,
    start: (pos, scale) => `max(0,min(${Q - D},2*floor((${m}+max(0,-(${pos})/${scale})-${ROOM})/2)))`,
  };
};
