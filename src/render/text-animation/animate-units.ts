/**
 * From an animation and a time to how each laid-out unit is drawn. The layout may be finer than
 * an animation's unit (letters laid out, words animated): units are grouped, and a group moves as
 * one (the same progress and the same slide distance for its letters).
 */
import type { TextAnimation, TextAnimationUnit } from '../../composition/schema.ts';
import type { TextUnit, UnitDraw, UnitLayout } from './text-units.ts';
import { BLUR_FRACTION, REST, SLIDE_FRACTION, motionAt, resolveAnimation, unitMotion, type UnitAnimation, type UnitMotion } from './unit-motion.ts';
import { ease } from '../easing.ts';

const FINENESS: Record<TextAnimationUnit, number> = { letter: 0, word: 1, line: 2 };

export interface ResolvedAnimation { readonly in?: UnitAnimation; readonly out?: UnitAnimation }

export const resolveTextAnimation = (a: TextAnimation | undefined): ResolvedAnimation => ({ in: resolveAnimation(a?.in), out: resolveAnimation(a?.out) });

/** The finest unit any direction (and any other need, such as word highlights) asks for. */
export const finestUnit = (...units: (TextAnimationUnit | undefined)[]): TextAnimationUnit =>
  units.filter((u): u is TextAnimationUnit => !!u).sort((a, b) => FINENESS[a] - FINENESS[b])[0] ?? 'word';

/** Which group (of `by`) each laid-out unit belongs to, how many groups, and each group's width. */
export interface UnitGroups { readonly of: readonly number[]; readonly count: number; readonly width: readonly number[] }

export const unitGroups = (units: readonly TextUnit[], by: TextAnimationUnit): UnitGroups => {
  const keys = units.map((u, i) => (by === 'letter' ? i : by === 'word' ? u.word : u.line));
  const distinct = [...new Set(keys)];
  const of = keys.map((k) => distinct.indexOf(k));
  const width = distinct.map((_, g) => {
    const members = units.filter((_, i) => of[i] === g);
    return Math.max(...members.map((u) => u.x + u.width)) - Math.min(...members.map((u) => u.x));
  });
  return { of, count: distinct.length, width };
};

// A layout is sampled at every frame of its clip: group it once per unit kind.
const groupCache = new WeakMap<UnitLayout, Map<TextAnimationUnit, UnitGroups>>();
const groupsOf = (layout: UnitLayout, by: TextAnimationUnit): UnitGroups => {
  const cache = groupCache.get(layout) ?? new Map<TextAnimationUnit, UnitGroups>();
  groupCache.set(layout, cache);
  const hit = cache.get(by);
  if (hit) return hit;
  const groups = unitGroups(layout.units, by);
  cache.set(by, groups);
  return groups;
};

/** The motion of every laid-out unit at clip-local `t` of a stretch lasting `length` seconds. */
export const animatedDraws = (
  layout: UnitLayout, anim: ResolvedAnimation, t: number, length: number, frame: number,
): UnitDraw[] => {
  const gIn = anim.in && groupsOf(layout, anim.in.by);
  const gOut = anim.out && groupsOf(layout, anim.out.by);
  return layout.units.map((_, i) => {
    const mIn = anim.in && gIn ? unitMotion({ in: anim.in }, gIn.of[i], gIn.count, t, length, frame) : REST;
    const mOut = anim.out && gOut ? unitMotion({ out: anim.out }, gOut.of[i], gOut.count, t, length, frame) : REST;
    const slideX = (g?: UnitGroups) => (g ? g.width[g.of[i]] * SLIDE_FRACTION : 0);
    return toDraw(layout, mIn, slideX(gIn), mOut, slideX(gOut));
  });
};

const toDraw = (layout: UnitLayout, a: UnitMotion, ax: number, b: UnitMotion, bx: number): UnitDraw => {
  const dy = layout.lineHeight * SLIDE_FRACTION;
  return {
    alpha: a.alpha * b.alpha,
    dx: a.dx * ax + b.dx * bx,
    dy: (a.dy + b.dy) * dy,
    scale: a.scale * b.scale,
    blur: Math.max(a.blur, b.blur) * BLUR_FRACTION * layout.size,
  };
};

/** Samples of an easing's curve, for how far past its ends it carries a value. */
const EASE_SAMPLES = 256;

/**
 * The most an easing reaches past its end (1), as a multiple of the slide distance, at least 1:
 * a slid unit rests 1 − e slide distances from its place, so `e` of 7.6 (a Bézier with y up to 10)
 * carries it 6.6 distances beyond. Below 0 the unit is invisible (its opacity is the same e).
 */
const slideReach = (a: UnitAnimation): number => {
  let hi = 1;
  for (let i = 0; i <= EASE_SAMPLES; i++) hi = Math.max(hi, ease(a.easing, i / EASE_SAMPLES));
  return Math.max(1, hi - 1);
};

/** The largest scale a `pop` unit reaches with this easing (its overshoot on top of the curve's). */
const popScale = (a: UnitAnimation): number => {
  let most = 1;
  for (let i = 0; i <= EASE_SAMPLES; i++) most = Math.max(most, motionAt(a, i / EASE_SAMPLES).scale);
  return most;
};

/** How far units may travel or grow beyond the text box, in pixels. */
export const animationReach = (layout: UnitLayout, anim: ResolvedAnimation): { x: number; y: number } => {
  let x = 0;
  let y = 0;
  const widest = Math.max(0, ...layout.units.map((u) => u.width));
  for (const a of [anim.in, anim.out]) {
    if (!a) continue;
    if (a.style === 'slideLeft' || a.style === 'slideRight') x = Math.max(x, Math.max(0, ...unitGroups(layout.units, a.by).width) * SLIDE_FRACTION * slideReach(a));
    if (a.style === 'slideUp' || a.style === 'slideDown') y = Math.max(y, layout.lineHeight * SLIDE_FRACTION * slideReach(a));
    if (a.style === 'pop') {
      // (s − 1) of the unit on each side, twice what it grows there: the 10 % kept for the default overshoot.
      const grow = Math.max(0.1, popScale(a) - 1);
      x = Math.max(x, widest * grow);
      y = Math.max(y, layout.lineHeight * grow);
    }
    if (a.style === 'blur') { x = Math.max(x, 3 * BLUR_FRACTION * layout.size); y = Math.max(y, 3 * BLUR_FRACTION * layout.size); }
  }
  return { x, y };
};

/** Equal for two lists of draws that give the same picture (to a 255th of opacity, a 20th of a pixel). */
export const drawKey = (draws: readonly UnitDraw[]): string =>
  draws.map((d) => (d.alpha <= 0 || d.scale <= 0 ? '-'
    : `${Math.round(d.alpha * 255)},${Math.round(d.dx * 20)},${Math.round(d.dy * 20)},${Math.round(d.scale * 1000)},${Math.round(d.blur * 20)},${d.color ?? ''},${d.backdrop ?? ''}`)).join(';');
