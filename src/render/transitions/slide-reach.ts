/**
 * How far a clip's drawing reaches beyond its box on each side (px): its drop shadow, moved by its
 * offset and widened by its blur. A slide starts (in) or ends (out) that much further beyond the
 * frame's edge, so that on its first frame in, and its last out, nothing of the clip shows: the
 * shadow of a clip resting just past the edge used to lie in the frame already.
 */
import type { TimelineClip } from '../timeline.ts';
import { shadowMargin } from '../look/shadow.ts';

export interface Reach { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number }

export const slideReach = (clip: TimelineClip): Reach => {
  const s = clip.look?.shadow;
  if (!s) return { left: 0, right: 0, top: 0, bottom: 0 };
  const m = shadowMargin(s.blur);
  return { left: Math.max(0, m - s.x), right: Math.max(0, m + s.x), top: Math.max(0, m - s.y), bottom: Math.max(0, m + s.y) };
};
