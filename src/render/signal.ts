/**
 * Time-varying values of a clip (scale, opacity, offsets, transition progress) as functions of
 * clip-local seconds, each both evaluable here and printable as an ffmpeg expression.
 */
import type { Easing } from '../composition/schema.ts';
import { type Curve, constantCurve } from './keyframe-curve.ts';
import { ease, easeExpr, num } from './easing.ts';

export type Signal = Pick<Curve, 'at' | 'expr' | 'animated'>;

export const constant = (v: number): Signal => constantCurve(v);

/** 0 before t0, eased 0→1 over [t0, t0 + d], 1 after. */
export const ramp = (t0: number, d: number, easing: Easing): Signal => ({
  at: (t) => ease(easing, (t - t0) / d),
  expr: (tv) => easeExpr(easing, `clip((${tv}-${num(t0)})/${num(d)},0,1)`),
  animated: true,
});

export const invert = (s: Signal): Signal => ({
  at: (t) => 1 - s.at(t),
  expr: (tv) => `(1-${s.expr(tv)})`,
  animated: s.animated,
});

export const product = (...signals: Signal[]): Signal => {
  const moving = signals.filter((s) => s.animated);
  const k = signals.filter((s) => !s.animated).reduce((a, s) => a * s.at(0), 1);
  if (moving.length === 0) return constant(k);
  return {
    at: (t) => moving.reduce((a, s) => a * s.at(t), k),
    expr: (tv) => [...(k === 1 ? [] : [num(k)]), ...moving.map((s) => s.expr(tv))].join('*'),
    animated: true,
  };
};

/** a·(1−w) + b·w, for values that move from a resting place to another along weight w. */
export const mix = (a: Signal, b: Signal, w: Signal): Signal => ({
  at: (t) => a.at(t) * (1 - w.at(t)) + b.at(t) * w.at(t),
  expr: (tv) => `(${a.expr(tv)}*(1-${w.expr(tv)})+${b.expr(tv)}*${w.expr(tv)})`,
  animated: a.animated || b.animated || w.animated,
});

/** a + b. */
export const sum = (a: Signal, b: Signal): Signal => ({
  at: (t) => a.at(t) + b.at(t),
  expr: (tv) => `(${a.expr(tv)}+${b.expr(tv)})`,
  animated: a.animated || b.animated,
});
