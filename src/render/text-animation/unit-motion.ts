/**
 * Text animation timing, as pure maths: for a unit of a text at a clip-local time, how far along
 * its own motion it is and what that motion does to it (opacity, offset, scale, blur). The rules
 * of COMPOSITION.md "Text animation (1.1)":
 * - `duration` (default 0.6 s) runs from the first unit's start to the last unit's end;
 * - each unit's own motion lasts a third of it, and at least one frame (a lone unit, all of it);
 * - units start evenly spread, in reading order (the caller orders them);
 * - `out` is `in` played backwards over the clip's last `duration` seconds, so units leave in
 *   reverse order and each unit's motion is mirrored in time.
 * `typewriter` has no motion: unit i of n appears once i/n of the duration has passed, so about
 * half the units show at half the duration.
 */
import type { Easing, TextAnimationPart, TextAnimationStyle, TextAnimationUnit } from '../../composition/schema.ts';
import { ease } from '../easing.ts';

export const DEFAULT_ANIMATION_SECONDS = 0.6;
export const DEFAULT_ANIMATION_EASING: Easing = 'easeOut';
/** How far a sliding unit travels, as a fraction of its line height (up/down) or its own width (left/right). */
export const SLIDE_FRACTION = 1 / 3;
/** Blur sigma of a `blur` unit at its start, as a fraction of the font size. */
export const BLUR_FRACTION = 0.25;

/** One resolved direction of an animation. */
export interface UnitAnimation {
  readonly style: TextAnimationStyle;
  readonly by: TextAnimationUnit;
  readonly duration: number;
  readonly easing: Easing;
}

/** What a unit looks like at one instant, relative to its resting state. */
export interface UnitMotion {
  /** 0–1, multiplies the unit's opacity. */
  readonly alpha: number;
  /** Offset in units of the slide distance: −1…1 on each axis (the caller scales it to pixels). */
  readonly dx: number;
  readonly dy: number;
  /** Size multiplier about the unit's centre. */
  readonly scale: number;
  /** Blur, as a fraction 0–1 of the style's greatest blur. */
  readonly blur: number;
}

export const REST: UnitMotion = { alpha: 1, dx: 0, dy: 0, scale: 1, blur: 0 };

/** Fills the defaults of one direction of `animation`. */
export const resolveAnimation = (part: TextAnimationPart | undefined): UnitAnimation | undefined => part && {
  style: part.style,
  by: part.by ?? (part.style === 'typewriter' ? 'letter' : 'word'),
  duration: part.duration ?? DEFAULT_ANIMATION_SECONDS,
  easing: part.easing ?? DEFAULT_ANIMATION_EASING,
};

/** CSS-like easeOutBack: an overshoot of about 10 % before settling at 1. */
const backOut = (x: number) => {
  const c1 = 1.70158;
  return 1 + (c1 + 1) * (x - 1) ** 3 + c1 * (x - 1) ** 2;
};

/**
 * Progress 0–1 of unit `i` of `n` at `t` seconds after the animation began (`t` < 0: not begun).
 * `frame` is one output frame in seconds: the shortest a unit's motion may be.
 */
export const unitProgress = (a: UnitAnimation, i: number, n: number, t: number, frame: number): number => {
  if (a.style === 'typewriter') return t > (a.duration * i) / n + 1e-9 ? 1 : 0;
  // A lone unit is both the first and the last: its motion spans the whole duration (a third of
  // it made a one-line title fade in a third as long as asked, and rest for the rest).
  const own = n > 1 ? Math.min(a.duration, Math.max(a.duration / 3, frame)) : a.duration;
  const start = n > 1 ? (i * (a.duration - own)) / (n - 1) : 0;
  return Math.min(1, Math.max(0, (t - start) / own));
};

/** What the style does to a unit at progress `p` (0 = not yet shown, 1 = at rest). */
export const motionAt = (a: UnitAnimation, p: number): UnitMotion => {
  if (p >= 1) return REST;
  const e = ease(a.easing, p);
  switch (a.style) {
    case 'typewriter': return { ...REST, alpha: p > 0 ? 1 : 0 };
    case 'fade': return { ...REST, alpha: e };
    case 'slideUp': return { ...REST, alpha: e, dy: 1 - e };
    case 'slideDown': return { ...REST, alpha: e, dy: -(1 - e) };
    case 'slideLeft': return { ...REST, alpha: e, dx: 1 - e };
    case 'slideRight': return { ...REST, alpha: e, dx: -(1 - e) };
    case 'pop': return { ...REST, alpha: p > 0 ? 1 : 0, scale: Math.max(0, backOut(e)) };
    case 'blur': return { ...REST, alpha: e, blur: 1 - e };
  }
};

/** Combines the in and out motions of a unit (both may play at once in a short clip). */
const combine = (m1: UnitMotion, m2: UnitMotion): UnitMotion => ({
  alpha: m1.alpha * m2.alpha, dx: m1.dx + m2.dx, dy: m1.dy + m2.dy, scale: m1.scale * m2.scale, blur: Math.max(m1.blur, m2.blur),
});

/**
 * The motion of unit `i` of `n` (in reading order) at clip-local time `t` of a clip (or caption
 * page) lasting `length` seconds.
 */
export const unitMotion = (
  anim: { in?: UnitAnimation; out?: UnitAnimation }, i: number, n: number, t: number, length: number, frame: number,
): UnitMotion => {
  let m = REST;
  if (anim.in) m = motionAt(anim.in, unitProgress(anim.in, i, n, t, frame));
  if (anim.out) {
    // Backwards in time from the end, and in reverse order: the last unit leaves first.
    const mirrored = length - t - frame;
    m = combine(m, motionAt(anim.out, unitProgress(anim.out, i, n, mirrored, frame)));
  }
  return m;
};
