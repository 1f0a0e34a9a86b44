/**
 * The (1.1) rules of sources and outputs that a JSON Schema cannot say: a transparent background
 * needs a format that stores alpha, and `output.scale` must leave a frame size the encoders take.
 * Defensive like semanticProblems: it runs on input the schema may also have rejected.
 */
import type { FieldProblem } from '../errors/registry.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const ALPHA_OUTPUTS = ['webm', 'mov', 'png', 'gif'] as const;

export const outputSourceProblems = (c: Obj): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  const out = obj(c.output);
  const format = typeof out.format === 'string' ? out.format : 'mp4';
  if (c.background === 'transparent' && !(ALPHA_OUTPUTS as readonly string[]).includes(format)) {
    problems.push({
      pointer: '/background',
      detail: `is "transparent", but ${format} cannot store transparency: set output.format to "webm" (VP9 with alpha) or "mov" (ProRes 4444), or "png"/"gif", or give a colour`,
    });
  }
  if (isNum(out.scale)) {
    for (const [name, dflt] of [['width', 1280], ['height', 720]] as const) {
      const v = isNum(out[name]) ? out[name] : dflt;
      const scaled = Math.round(v * out.scale);
      if (scaled < 16 || scaled > 3840) {
        problems.push({ pointer: '/output/scale', detail: `makes the ${name} ${scaled} px (${v} × ${out.scale}); frames must be 16–3840 px: choose a scale between ${Math.ceil((16 / v) * 100) / 100} and ${Math.floor((3840 / v) * 100) / 100}` });
      }
    }
  }
  return problems;
};
