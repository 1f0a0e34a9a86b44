/**
 * Easing curves shared by keyframes and transitions, as plain functions (for layout maths and tests)
 * and as ffmpeg expressions (for per-frame filter options). Both forms must agree: a test checks it.
 * Curves are cubic, like CSS's ease-in/ease-out families; `p` is progress in [0, 1].
 */
import type { Easing } from '../composition/schema.ts';

export const ease = (easing: Easing, p: number): number => {
  const x = Math.min(1, Math.max(0, p));
  switch (easing) {
    case 'linear': return x;
    case 'easeIn': return x * x * x;
    case 'easeOut': return 1 - (1 - x) ** 3;
    case 'easeInOut': return x < 0.5 ? 4 * x * x * x : 1 - (-2 * x + 2) ** 3 / 2;
  }
};

/** The same curve as an ffmpeg expression of `p` (an expression string already clipped to [0, 1]). */
export const easeExpr = (easing: Easing, p: string): string => {
  switch (easing) {
    case 'linear': return p;
    case 'easeIn': return `pow(${p},3)`;
    case 'easeOut': return `(1-pow(1-(${p}),3))`;
    case 'easeInOut': return `if(lt(${p},0.5),4*pow(${p},3),1-pow(-2*(${p})+2,3)/2)`;
  }
};

/** Formats a number for an ffmpeg expression or option: finite, no exponent, at most 6 decimals. */
export const num = (n: number): string => {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const r = Math.round(n * 1e6) / 1e6;
  return (Object.is(r, -0) ? 0 : r).toFixed(6).replace(/\.?0+$/, '') || '0';
};

/** `expr − value` as ffmpeg expression text, without a double minus for negative values. */
export const minus = (expr: string, value: number): string => (value < 0 ? `${expr}+${num(-value)}` : `${expr}-${num(value)}`);
