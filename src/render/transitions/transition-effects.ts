/**
 * A clip's `in` and `out` transitions as time-varying values (clip-local seconds), ready for the
 * clip's chain: opacity, width and height factors, rotation, blur sigma, pixelation block size, and
 * the slide that moves its placement. Each is a Signal, so it can be evaluated per frame here (for
 * command files) or printed as an ffmpeg expression (for filters that take expressions of time).
 */
import { num } from '../easing.ts';
import { constant, invert, product, ramp, sum, type Signal } from '../signal.ts';
import type { Size } from '../layout-box.ts';
import type { TimedTransition } from '../timeline.ts';
import { KINDS, type TransitionFamily } from './transition-kinds.ts';
import type { Reach } from './slide-reach.ts';

const NO_REACH: Reach = { left: 0, right: 0, top: 0, bottom: 0 };

export interface ClipTransitions {
  readonly tin?: TimedTransition;
  readonly tout?: TimedTransition;
  /** Clip-local second where `out` begins. */
  readonly outStart: number;
}

/** `in`: eased progress 0 → 1 over [0, duration] (= how much is shown). */
export const inProgress = (tin: TimedTransition): Signal => ramp(0, tin.duration, tin.easing ?? KINDS[tin.kind].easeIn);
/** `out`: eased progress 0 → 1 over its last `duration` seconds (= how much is gone). */
export const outProgress = (tout: TimedTransition, outStart: number): Signal => ramp(outStart, tout.duration, tout.easing ?? KINDS[tout.kind].easeOut);

/** How much of the clip is shown, 1 when no transition of the families plays: the product of in and out. */
const shown = (c: ClipTransitions, families: readonly TransitionFamily[]): Signal => product(
  c.tin && families.includes(KINDS[c.tin.kind].family) ? inProgress(c.tin) : constant(1),
  c.tout && families.includes(KINDS[c.tout.kind].family) ? invert(outProgress(c.tout, c.outStart)) : constant(1),
);

/** Opacity factor: fade, and the fade that goes with blur and pixelate. */
export const transitionOpacity = (c: ClipTransitions): Signal => shown(c, ['fade', 'blur', 'pixelate']);

/** Width and height factors: zoom and pop (both), spin (both), flipX (width), flipY (height). */
export const transitionSize = (c: ClipTransitions): { w: Signal; h: Signal } => ({
  w: shown(c, ['zoom', 'spin', 'flipX']),
  h: shown(c, ['zoom', 'spin', 'flipY']),
});

/** Extra rotation in degrees: spin turns from −180° to 0 in, and on to −180° out. */
export const transitionRotation = (c: ClipTransitions): Signal | undefined => {
  const s = shown(c, ['spin']);
  if (!s.animated) return undefined;
  return {
    at: (t) => -180 * (1 - s.at(t)),
    expr: (tv) => `(-180*(1-${s.expr(tv)}))`,
    animated: true,
  };
};

/** Blur sigma in px at clip-local t: heavy (5 % of the box's shorter side) when hidden, 0 when shown. */
export const transitionBlur = (c: ClipTransitions, B: Size): ((t: number) => number) | undefined => {
  const s = shown(c, ['blur']);
  if (!s.animated) return undefined;
  const heavy = 0.05 * Math.min(B.w, B.h);
  return (t) => heavy * (1 - Math.min(1, Math.max(0, s.at(t))));
};

/** Pixelation block in px at clip-local t: a tenth of the box's shorter side when hidden, 1 (none) when shown. */
export const transitionBlock = (c: ClipTransitions, B: Size): ((t: number) => number) | undefined => {
  const s = shown(c, ['pixelate']);
  if (!s.animated) return undefined;
  const big = Math.max(1, Math.min(B.w, B.h) / 10);
  return (t) => Math.max(1, Math.round(1 + (big - 1) * (1 - Math.min(1, Math.max(0, s.at(t))))));
};

/**
 * Slides: the overlay position moves between the resting place and beyond the frame's edge.
 * `T` is the clip-local time as an overlay expression; `x`, `y` the resting place.
 */
export const slidePlacement = (
  c: ClipTransitions, frame: { width: number; height: number }, T: string, at: { x: string; y: string }, reach: Reach = NO_REACH,
): { x: string; y: string } => {
  let { x, y } = at;
  const { tin, tout } = c;
  if (tin && KINDS[tin.kind].family === 'slide') {
    const e = inProgress(tin).expr(T);
    if (tin.kind === 'slideRight') x = `(${x})*${e}+(-overlay_w-${num(reach.right)})*(1-${e})`;
    if (tin.kind === 'slideLeft') x = `(${x})*${e}+${num(frame.width + reach.left)}*(1-${e})`;
    if (tin.kind === 'slideDown') y = `(${y})*${e}+(-overlay_h-${num(reach.bottom)})*(1-${e})`;
    if (tin.kind === 'slideUp') y = `(${y})*${e}+${num(frame.height + reach.top)}*(1-${e})`;
  }
  if (tout && KINDS[tout.kind].family === 'slide') {
    const e = outProgress(tout, c.outStart).expr(T);
    if (tout.kind === 'slideRight') x = `(${x})*(1-${e})+${num(frame.width + reach.left)}*${e}`;
    if (tout.kind === 'slideLeft') x = `(${x})*(1-${e})+(-overlay_w-${num(reach.right)})*${e}`;
    if (tout.kind === 'slideDown') y = `(${y})*(1-${e})+${num(frame.height + reach.top)}*${e}`;
    if (tout.kind === 'slideUp') y = `(${y})*(1-${e})+(-overlay_h-${num(reach.bottom)})*${e}`;
  }
  return { x, y };
};

/** A rotation in degrees: the clip's own (static or keyframed) plus a spin's. */
export const withSpin = (rotation: Signal, c: ClipTransitions): Signal => {
  const spin = transitionRotation(c);
  return spin ? sum(rotation, spin) : rotation;
};

