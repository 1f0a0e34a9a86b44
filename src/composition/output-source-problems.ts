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

/** `output.scale`'s own bounds (schema.ts). */
const SCALE_MIN = 0.1;
const SCALE_MAX = 4;

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
    const w = isNum(out.width) ? out.width : 1280;
    const h = isNum(out.height) ? out.height : 720;
    const off = ([['width', w], ['height', h]] as const).map(([name, v]) => [name, v, Math.round(v * (out.scale as number))] as const)
      .filter(([, , scaled]) => scaled < 16 || scaled > 3840);
    if (off.length > 0) {
      // One range that suits both sides and the field's own 0.1–4, so the advice is itself valid.
      const lo = Math.max(SCALE_MIN, Math.ceil((16 / Math.min(w, h)) * 100) / 100);
      const hi = Math.min(SCALE_MAX, Math.floor((3840 / Math.max(w, h)) * 100) / 100);
      const sizes = off.map(([name, v, scaled]) => `the ${name} ${scaled} px (${v} × ${out.scale})`).join(' and ');
      problems.push({ pointer: '/output/scale', detail: `makes ${sizes}; frames must be 16–3840 px: choose a scale between ${lo} and ${hi}` });
    }
  }
  return problems;
};
