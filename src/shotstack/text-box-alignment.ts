/**
 * Shotstack's `text` and `rich-text` assets are a box of the clip's (or asset's) `width` placed by
 * the clip's `position` and `offset`, with the lines aligned left, centre or right inside that box.
 * Montage's text box hugs the widest line and `align` only places lines within it, so a
 * single-line left-aligned text would sit in the middle of the frame. Here the Montage clip is
 * anchored on the aligned side instead: `position` takes the alignment's side, and `offset.x` moves
 * that side to where the edge of Shotstack's box is (keyframed `x` moves with it).
 */
import type { JsonObject } from './edit-problems.ts';
import type { Keyframe } from './map-motion.ts';

type Horizontal = 'left' | 'center' | 'right';
type Vertical = 'top' | 'center' | 'bottom';

const split = (position: string): [Vertical, Horizontal] => {
  const v: Vertical = /^top/.test(position) ? 'top' : /^bottom/.test(position) ? 'bottom' : 'center';
  const h: Horizontal = /left$/i.test(position) ? 'left' : /right$/i.test(position) ? 'right' : 'center';
  return [v, h];
};
const join = (v: Vertical, h: Horizontal): string => {
  if (v === 'center') return h;
  if (h === 'center') return v;
  return `${v}${h === 'left' ? 'Left' : 'Right'}`;
};
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Anchors a left- or right-aligned text clip at its box's edge; `clip.asset` is the mapped Montage text. */
export function anchorAlignedText(clip: JsonObject, keyframes: Record<string, Keyframe[]>): void {
  const asset = clip.asset as JsonObject;
  const align = asset.align;
  if (align !== 'left' && align !== 'right') return;
  // Without a width Shotstack's box is the whole frame.
  const width = typeof asset.width === 'number' ? Math.min(1, asset.width) : 1;
  const [v, h] = split(typeof clip.position === 'string' ? clip.position : 'center');
  const boxLeft = h === 'left' ? 0 : h === 'right' ? 1 - width : (1 - width) / 2;
  // Montage's anchor on the aligned side sits at the frame's edge: move it to the box's edge.
  const shift = round(align === 'left' ? boxLeft : boxLeft + width - 1);
  const position = join(v, align);
  if (position === 'center') delete clip.position; else clip.position = position;
  if (shift === 0) return;
  if (keyframes.x) keyframes.x = keyframes.x.map((k) => ({ ...k, value: round(k.value + shift) }));
  const offset = (clip.offset ?? {}) as JsonObject;
  clip.offset = { ...offset, x: round((typeof offset.x === 'number' ? offset.x : 0) + shift) };
}
