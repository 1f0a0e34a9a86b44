/**
 * Easing curves shared by keyframes and transitions, as plain functions (for layout maths, per-frame
 * command files and tests) and as ffmpeg expressions (for per-frame filter options). Both forms must
 * agree: src/render/easing.test.ts evaluates every expression in ffmpeg and compares.
 *
 * `p` is progress in [0, 1]. `linear`, `easeIn`, `easeOut`, `easeInOut` are the cubic curves of the
 * first release; (1.1) adds the Penner set as on easings.net (the same formulas), `hold` (0 until
 * the end, then 1) and CSS cubic Béziers `[x1, y1, x2, y2]`.
 */
import type { Easing } from '../composition/schema.ts';

const C1 = 1.70158;
const C2 = C1 * 1.525;
const C3 = C1 + 1;
const C4 = (2 * Math.PI) / 3;
const C5 = (2 * Math.PI) / 4.5;

const bounceOut = (x: number): number => {
  const n1 = 7.5625;
  const d1 = 2.75;
  if (x < 1 / d1) return n1 * x * x;
  if (x < 2 / d1) return n1 * (x -= 1.5 / d1) * x + 0.75;
  if (x < 2.5 / d1) return n1 * (x -= 2.25 / d1) * x + 0.9375;
  return n1 * (x -= 2.625 / d1) * x + 0.984375;
};

/** The Penner curves and the first release's cubics, by name (`hold` and Béziers are handled apart). */
const NAMED: Record<string, (x: number) => number> = {
  linear: (x) => x,
  easeIn: (x) => x * x * x,
  easeOut: (x) => 1 - (1 - x) ** 3,
  easeInOut: (x) => (x < 0.5 ? 4 * x * x * x : 1 - (-2 * x + 2) ** 3 / 2),
  easeInSine: (x) => 1 - Math.cos((x * Math.PI) / 2),
  easeOutSine: (x) => Math.sin((x * Math.PI) / 2),
  easeInOutSine: (x) => -(Math.cos(Math.PI * x) - 1) / 2,
  easeInQuad: (x) => x * x,
  easeOutQuad: (x) => 1 - (1 - x) * (1 - x),
  easeInOutQuad: (x) => (x < 0.5 ? 2 * x * x : 1 - (-2 * x + 2) ** 2 / 2),
  easeInCubic: (x) => x ** 3,
  easeOutCubic: (x) => 1 - (1 - x) ** 3,
  easeInOutCubic: (x) => (x < 0.5 ? 4 * x ** 3 : 1 - (-2 * x + 2) ** 3 / 2),
  easeInQuart: (x) => x ** 4,
  easeOutQuart: (x) => 1 - (1 - x) ** 4,
  easeInOutQuart: (x) => (x < 0.5 ? 8 * x ** 4 : 1 - (-2 * x + 2) ** 4 / 2),
  easeInQuint: (x) => x ** 5,
  easeOutQuint: (x) => 1 - (1 - x) ** 5,
  easeInOutQuint: (x) => (x < 0.5 ? 16 * x ** 5 : 1 - (-2 * x + 2) ** 5 / 2),
  easeInExpo: (x) => (x === 0 ? 0 : 2 ** (10 * x - 10)),
  easeOutExpo: (x) => (x === 1 ? 1 : 1 - 2 ** (-10 * x)),
  easeInOutExpo: (x) => (x === 0 ? 0 : x === 1 ? 1 : x < 0.5 ? 2 ** (20 * x - 10) / 2 : (2 - 2 ** (-20 * x + 10)) / 2),
  easeInCirc: (x) => 1 - Math.sqrt(1 - x * x),
  easeOutCirc: (x) => Math.sqrt(1 - (x - 1) ** 2),
  easeInOutCirc: (x) => (x < 0.5 ? (1 - Math.sqrt(1 - (2 * x) ** 2)) / 2 : (Math.sqrt(1 - (-2 * x + 2) ** 2) + 1) / 2),
  easeInBack: (x) => C3 * x ** 3 - C1 * x * x,
  easeOutBack: (x) => 1 + C3 * (x - 1) ** 3 + C1 * (x - 1) ** 2,
  easeInOutBack: (x) => (x < 0.5 ? ((2 * x) ** 2 * ((C2 + 1) * 2 * x - C2)) / 2 : ((2 * x - 2) ** 2 * ((C2 + 1) * (x * 2 - 2) + C2) + 2) / 2),
  easeInElastic: (x) => (x === 0 ? 0 : x === 1 ? 1 : -(2 ** (10 * x - 10)) * Math.sin((x * 10 - 10.75) * C4)),
  easeOutElastic: (x) => (x === 0 ? 0 : x === 1 ? 1 : 2 ** (-10 * x) * Math.sin((x * 10 - 0.75) * C4) + 1),
  easeInOutElastic: (x) => (x === 0 ? 0 : x === 1 ? 1 : x < 0.5
    ? -(2 ** (20 * x - 10) * Math.sin((20 * x - 11.125) * C5)) / 2
    : (2 ** (-20 * x + 10) * Math.sin((20 * x - 11.125) * C5)) / 2 + 1),
  easeInBounce: (x) => 1 - bounceOut(1 - x),
  easeOutBounce: bounceOut,
  easeInOutBounce: (x) => (x < 0.5 ? (1 - bounceOut(1 - 2 * x)) / 2 : (1 + bounceOut(2 * x - 1)) / 2),
};

type Bezier = readonly [number, number, number, number];
const bez = (a: number, b: number, t: number) => 3 * (1 - t) * (1 - t) * t * a + 3 * (1 - t) * t * t * b + t * t * t;

/** Bisection on x(t) = p (x is monotone for x1, x2 in [0, 1]); 30 halvings reach 1e-9 of t. */
const BISECTIONS = 30;
const bezierAt = ([x1, y1, x2, y2]: Bezier, p: number): number => {
  let lo = 0;
  for (let step = 0.5, i = 0; i < BISECTIONS; i++, step /= 2) if (bez(x1, x2, lo + step) < p) lo += step;
  return bez(y1, y2, lo + 2 ** -BISECTIONS);
};

export const ease = (easing: Easing, p: number): number => {
  const x = Math.min(1, Math.max(0, p));
  if (typeof easing !== 'string') return x === 0 ? 0 : x === 1 ? 1 : bezierAt(easing, x);
  if (easing === 'hold') return x >= 1 ? 1 : 0;
  return NAMED[easing](x);
};

/** Whether the curve leaves [0, 1] between its ends (Back, Elastic, some Béziers): values overshoot. */
export const overshoots = (easing: Easing): boolean =>
  typeof easing !== 'string' ? easing[1] < 0 || easing[1] > 1 || easing[3] < 0 || easing[3] > 1 : /Back|Elastic/.test(easing);

const n = (v: number) => num(v);
const bounceOutExpr = (x: string): string =>
  `if(lt(${x},${n(1 / 2.75)}),7.5625*pow(${x},2),if(lt(${x},${n(2 / 2.75)}),7.5625*pow(${x}-${n(1.5 / 2.75)},2)+0.75,` +
  `if(lt(${x},${n(2.5 / 2.75)}),7.5625*pow(${x}-${n(2.25 / 2.75)},2)+0.9375,7.5625*pow(${x}-${n(2.625 / 2.75)},2)+0.984375)))`;

/** ffmpeg expressions of the named curves; `x` is an expression already clipped to [0, 1]. */
const NAMED_EXPR: Record<string, (x: string) => string> = {
  linear: (x) => x,
  easeIn: (x) => `pow(${x},3)`,
  easeOut: (x) => `(1-pow(1-(${x}),3))`,
  easeInOut: (x) => `if(lt(${x},0.5),4*pow(${x},3),1-pow(-2*(${x})+2,3)/2)`,
  easeInSine: (x) => `(1-cos((${x})*PI/2))`,
  easeOutSine: (x) => `sin((${x})*PI/2)`,
  easeInOutSine: (x) => `((1-cos(PI*(${x})))/2)`,
  easeInQuad: (x) => `pow(${x},2)`,
  easeOutQuad: (x) => `(1-pow(1-(${x}),2))`,
  easeInOutQuad: (x) => `if(lt(${x},0.5),2*pow(${x},2),1-pow(-2*(${x})+2,2)/2)`,
  easeInCubic: (x) => `pow(${x},3)`,
  easeOutCubic: (x) => `(1-pow(1-(${x}),3))`,
  easeInOutCubic: (x) => `if(lt(${x},0.5),4*pow(${x},3),1-pow(-2*(${x})+2,3)/2)`,
  easeInQuart: (x) => `pow(${x},4)`,
  easeOutQuart: (x) => `(1-pow(1-(${x}),4))`,
  easeInOutQuart: (x) => `if(lt(${x},0.5),8*pow(${x},4),1-pow(-2*(${x})+2,4)/2)`,
  easeInQuint: (x) => `pow(${x},5)`,
  easeOutQuint: (x) => `(1-pow(1-(${x}),5))`,
  easeInOutQuint: (x) => `if(lt(${x},0.5),16*pow(${x},5),1-pow(-2*(${x})+2,5)/2)`,
  easeInExpo: (x) => `if(lte(${x},0),0,pow(2,10*(${x})-10))`,
  easeOutExpo: (x) => `if(gte(${x},1),1,1-pow(2,-10*(${x})))`,
  easeInOutExpo: (x) => `if(lte(${x},0),0,if(gte(${x},1),1,if(lt(${x},0.5),pow(2,20*(${x})-10)/2,(2-pow(2,-20*(${x})+10))/2)))`,
  easeInCirc: (x) => `(1-sqrt(1-pow(${x},2)))`,
  easeOutCirc: (x) => `sqrt(1-pow((${x})-1,2))`,
  easeInOutCirc: (x) => `if(lt(${x},0.5),(1-sqrt(1-pow(2*(${x}),2)))/2,(sqrt(1-pow(-2*(${x})+2,2))+1)/2)`,
  easeInBack: (x) => `(${n(C3)}*pow(${x},3)-${n(C1)}*pow(${x},2))`,
  easeOutBack: (x) => `(1+${n(C3)}*pow((${x})-1,3)+${n(C1)}*pow((${x})-1,2))`,
  easeInOutBack: (x) => `if(lt(${x},0.5),pow(2*(${x}),2)*(${n(C2 + 1)}*2*(${x})-${n(C2)})/2,(pow(2*(${x})-2,2)*(${n(C2 + 1)}*(2*(${x})-2)+${n(C2)})+2)/2)`,
  easeInElastic: (x) => `if(lte(${x},0),0,if(gte(${x},1),1,-pow(2,10*(${x})-10)*sin((10*(${x})-10.75)*${n(C4)})))`,
  easeOutElastic: (x) => `if(lte(${x},0),0,if(gte(${x},1),1,pow(2,-10*(${x}))*sin((10*(${x})-0.75)*${n(C4)})+1))`,
  easeInOutElastic: (x) => `if(lte(${x},0),0,if(gte(${x},1),1,if(lt(${x},0.5),-(pow(2,20*(${x})-10)*sin((20*(${x})-11.125)*${n(C5)}))/2,` +
    `pow(2,-20*(${x})+10)*sin((20*(${x})-11.125)*${n(C5)})/2+1)))`,
  easeInBounce: (x) => `(1-${bounceOutExpr(`(1-(${x}))`)})`,
  easeOutBounce: (x) => bounceOutExpr(`(${x})`),
  easeInOutBounce: (x) => `if(lt(${x},0.5),(1-${bounceOutExpr(`(1-2*(${x}))`)})/2,(1+${bounceOutExpr(`(2*(${x})-1)`)})/2)`,
};

/**
 * A Bézier as an ffmpeg expression: bisection for t with the expression variables 0–2 (ld/st, which
 * each expression has its own of), then y(t). Self-contained, so several may follow each other in
 * one expression (a sum of keyframe segments); never nested, since `p` holds no easing.
 */
const bezierExpr = ([x1, y1, x2, y2]: Bezier, p: string): string => {
  const X = (t: string) => `(3*pow(1-${t},2)*${t}*${n(x1)}+3*(1-${t})*pow(${t},2)*${n(x2)}+pow(${t},3))`;
  const Y = (t: string) => `(3*pow(1-${t},2)*${t}*${n(y1)}+3*(1-${t})*pow(${t},2)*${n(y2)}+pow(${t},3))`;
  return `(st(0,${p});st(1,0);st(2,0.5);while(gt(ld(2),0.000000001),st(1,ld(1)+if(lt(${X('(ld(1)+ld(2))')},ld(0)),ld(2),0));st(2,ld(2)/2));` +
    `if(lte(ld(0),0),0,if(gte(ld(0),1),1,${Y('(ld(1)+0.000000001)')})))`;
};

/** The same curve as an ffmpeg expression of `p` (an expression string already clipped to [0, 1]). */
export const easeExpr = (easing: Easing, p: string): string => {
  if (typeof easing !== 'string') return bezierExpr(easing, p);
  if (easing === 'hold') return `gte(${p},1)`;
  return NAMED_EXPR[easing](p);
};

/** Formats a number for an ffmpeg expression or option: finite, no exponent, at most 6 decimals. */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  const r = Math.round(v * 1e6) / 1e6;
  return (Object.is(r, -0) ? 0 : r).toFixed(6).replace(/\.?0+$/, '') || '0';
}

/** `expr − value` as ffmpeg expression text, without a double minus for negative values. */
export const minus = (expr: string, value: number): string => (value < 0 ? `${expr}+${num(-value)}` : `${expr}-${num(value)}`);
