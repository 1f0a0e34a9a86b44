/**
 * Text animation settings that are valid but probably not meant: in and out that overlap within
 * a short clip. Warnings only; the render still plays both (COMPOSITION.md: "out plays over the
 * clip's last duration seconds").
 */
import type { FieldProblem } from '../errors/registry.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const seconds = (part: unknown): number | undefined => {
  const p = obj(part);
  if (p.style === undefined) return undefined;
  return typeof p.duration === 'number' ? p.duration : 0.6;
};

export const textAnimationWarnings = (asset: Obj, at: string, clipLength: unknown, warnings: FieldProblem[]): void => {
  const anim = obj(asset.animation);
  const [tin, tout] = [seconds(anim.in), seconds(anim.out)];
  if (typeof clipLength !== 'number' || asset.type !== 'text') return;
  // One direction alone longer than the clip: its last units never arrive (or its first never
  // leave); most likely milliseconds written for seconds.
  const alone = (tin ?? 0) > clipLength + 1e-9 || (tout ?? 0) > clipLength + 1e-9;
  for (const [dir, t] of [['in', tin], ['out', tout]] as const) {
    if (t === undefined || t <= clipLength + 1e-9) continue;
    const given = typeof obj(anim[dir]).duration === 'number';
    warnings.push({
      pointer: `${at}/asset/animation/${dir}${given ? '/duration' : ''}`,
      detail: `${given ? 'is' : 'lasts (by default)'} ${t} s, longer than the clip (${clipLength} s): the text is never all ${dir === 'in' ? 'in' : 'shown'}; durations are in seconds`,
    });
  }
  const total = (tin ?? 0) + (tout ?? 0);
  if (!alone && total > clipLength + 1e-9) {
    warnings.push({
      pointer: `${at}/asset/animation`,
      // Rounded as a person writes seconds: 2.1 + 1.3 is 3.4000000000000004 in binary floating point.
      detail: `plays in and out for ${Number(total.toFixed(3))} s in a clip of ${clipLength} s, so they overlap and the text never rests: shorten the durations or lengthen the clip`,
    });
  }
};
