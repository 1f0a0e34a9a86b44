/**
 * (1.1) The rules of a clip's look that a JSON Schema cannot say: a crop must leave some of each
 * axis, and look fields and keyframes on assets they do not apply to (volume on a clip without
 * sound, picture keyframes on audio) are pointed out (warnings, not errors).
 */
import type { FieldProblem } from '../errors/registry.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const BOXED = new Set(['video', 'image', 'color']);
const KEYED = new Set(['video', 'image']);

export const lookProblems = (clip: Obj, at: string, problems: FieldProblem[], warnings: FieldProblem[]): void => {
  const type = isObj(clip.asset) ? clip.asset.type : undefined;
  if (isObj(clip.crop)) {
    const side = (k: string) => (isNum((clip.crop as Obj)[k]) ? (clip.crop as Obj)[k] as number : 0);
    for (const [a, b, axis] of [['top', 'bottom', 'height'], ['left', 'right', 'width']] as const) {
      const sum = side(a) + side(b);
      const inRange = [side(a), side(b)].every((v) => v >= 0 && v <= 1); // else the schema has said so
      if (inRange && sum >= 1 - 1e-9) {
        problems.push({
          pointer: `${at}/crop/${clip.crop[b] !== undefined ? b : a}`,
          detail: `cuts away the whole ${axis} (${a} ${side(a)} + ${b} ${side(b)} = ${Math.round(sum * 1000) / 1000}): keep ${a} + ${b} below 1`,
        });
      }
    }
  }
  const keys = isObj(clip.keyframes) ? Object.keys(clip.keyframes) : [];
  if (type === 'audio') {
    for (const k of ['flip', 'crop', 'chromaKey', 'mask', 'blend', 'radius', 'border', 'shadow']) {
      if (clip[k] !== undefined) warnings.push({ pointer: `${at}/${k}`, detail: 'is ignored: an audio clip has no picture' });
    }
    for (const k of keys.filter((k) => k !== 'volume')) {
      warnings.push({ pointer: `${at}/keyframes/${k}`, detail: 'is ignored: an audio clip has no picture (only volume keyframes apply)' });
    }
    return;
  }
  if (typeof type === 'string' && type !== 'video' && keys.includes('volume')) {
    warnings.push({ pointer: `${at}/keyframes/volume`, detail: `is ignored for ${type} clips: they have no sound (volume keyframes apply to video and audio clips)` });
  }
  if (typeof type === 'string' && !BOXED.has(type)) {
    for (const k of ['radius', 'border']) {
      if (clip[k] !== undefined) warnings.push({ pointer: `${at}/${k}`, detail: `is ignored for ${type} clips: it applies to video, image and color clips (a shape has its own radius and stroke)` });
    }
  }
  if (typeof type === 'string' && !KEYED.has(type) && clip.chromaKey !== undefined) {
    warnings.push({ pointer: `${at}/chromaKey`, detail: `is ignored for ${type} clips: it keys video and image clips` });
  }
};
