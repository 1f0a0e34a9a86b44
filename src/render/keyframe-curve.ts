/**
 * A keyframed property over clip-local time: before the first key and after the last the value holds;
 * between keys it moves with the easing of the earlier key. Key times increase strictly (validation refuses a repeat, naming the fix).
 */
import type { Easing, Keyframe } from '../composition/schema.ts';
import { ease, easeExpr, num } from './easing.ts';

export interface Curve {
  /** Value at clip-local time `t` (seconds). */
  at(t: number): number;
  /** An ffmpeg expression of the variable `tVar` (clip-local seconds). */
  expr(tVar: string): string;
  readonly min: number;
  readonly max: number;
  readonly animated: boolean;
}

export const constantCurve = (value: number): Curve => ({
  at: () => value,
  expr: () => num(value),
  min: value,
  max: value,
  animated: false,
});

export const keyframeCurve = (keys: readonly Keyframe[]): Curve => {
  const sorted = [...keys].sort((a, b) => a.time - b.time);
  if (sorted.length === 1) return constantCurve(sorted[0].value);
  const segs = sorted.slice(1).map((k, i) => ({
    t0: sorted[i].time, t1: k.time, v0: sorted[i].value, v1: k.value,
    easing: (sorted[i].easing ?? 'linear') as Easing,
  }));
  const values = sorted.map((k) => k.value);
  return {
    at(t) {
      let v = sorted[0].value;
      for (const s of segs) {
        const p = s.t1 === s.t0 ? (t >= s.t0 ? 1 : 0) : (t - s.t0) / (s.t1 - s.t0);
        v += (s.v1 - s.v0) * ease(s.easing, p);
      }
      return v;
    },
    expr(tVar) {
      // A sum of eased ramps, not nested ifs: its size grows linearly with the number of keys and
      // the expression parser never recurses deeply.
      const parts = segs
        .filter((s) => s.v1 !== s.v0)
        .map((s) => {
          const p = s.t1 === s.t0 ? `gte(${tVar},${num(s.t0)})` : `clip((${tVar}-${num(s.t0)})/${num(s.t1 - s.t0)},0,1)`;
          return `${num(s.v1 - s.v0)}*${easeExpr(s.easing, p)}`;
        });
      return parts.length === 0 ? num(sorted[0].value) : `(${num(sorted[0].value)}+${parts.join('+')})`;
    },
    min: Math.min(...values),
    max: Math.max(...values),
    animated: segs.some((s) => s.v1 !== s.v0),
  };
};

/** Samples a curve at every frame of [t0, t1) (clip-local), for per-frame command files. */
export const sampleCurve = (curve: Curve, t0: number, t1: number, fps: number): Array<{ t: number; v: number }> => {
  const out: Array<{ t: number; v: number }> = [];
  const n = Math.ceil((t1 - t0) * fps - 1e-9);
  for (let i = 0; i < n; i++) {
    const t = t0 + i / fps;
    out.push({ t, v: curve.at(t) });
  }
  return out;
};

/**
 * The curve's expression held within [lo, hi] where its easings overshoot the keys (Back, Elastic,
 * a Bézier with y outside 0–1), and as it is where they cannot: the keys themselves are validated.
 */
export const boundedExpr = (curve: Curve, keys: readonly Keyframe[], tVar: string, lo: number, hi: number): string => {
  const times = keys.map((k) => k.time);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const steps = 50 * keys.length;
  let leaves = false;
  for (let i = 0; i <= steps && !leaves; i++) {
    const v = curve.at(t0 + ((t1 - t0) * i) / steps);
    leaves = v < lo - 1e-9 || v > hi + 1e-9;
  }
  return leaves ? `clip(${curve.expr(tVar)},${num(lo)},${num(hi)})` : curve.expr(tVar);
};
