/**
 * A problem Montage's composition checks find (after the import: a rule the importer does not
 * repeat, such as an odd mp4 width or an `auto` start after an `end` clip) names a pointer into
 * the composition, whose tracks are reversed, whose luma clips are masks and whose field names are
 * Montage's. A Shotstack user needs the path in the Edit they sent: this maps the pointer back
 * (the clip's Edit path, then the Edit's name of the field where one exists) and keeps Montage's
 * pointer in the message.
 */
import { pointerToken } from '../composition/json-pointer.ts';
import { MontageError, type FieldProblem } from '../errors/registry.ts';
import type { EditPath } from './edit-problems.ts';

const segments = (pointer: string) => pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
const toPointer = (path: EditPath) => `/${path.map(pointerToken).join('/')}`;

/** Clip fields whose Edit name differs: Montage's name → the Edit's path under the clip. */
const CLIP_FIELDS: Record<string, EditPath> = {
  rotate: ['transform', 'rotate', 'angle'], flip: ['transform', 'flip'], crop: ['asset', 'crop'], chromaKey: ['asset', 'chromaKey'],
};
/** Keyframed properties → the Edit's tweened field. */
const KEYFRAMED: Record<string, EditPath> = {
  opacity: ['opacity'], scale: ['scale'], x: ['offset', 'x'], y: ['offset', 'y'], rotate: ['transform', 'rotate', 'angle'], volume: ['asset', 'volume'],
};
const SAME_NAME = new Set(['asset', 'start', 'length', 'fit', 'scale', 'position', 'offset', 'opacity', 'transition', 'effect', 'filter']);
const OUTPUT_FIELDS: Record<string, EditPath> = {
  width: ['size', 'width'], height: ['size', 'height'], scale: ['scaleTo'], poster: ['poster', 'capture'], thumbnail: ['thumbnail'],
};

/** The Edit path of a composition pointer; `clipOrigins[track][clip]` from the import. */
export function editPathOf(pointer: string, clipOrigins: readonly (readonly EditPath[])[]): EditPath | undefined {
  const [head, ...rest] = segments(pointer);
  switch (head) {
    case 'tracks': {
      const [t, clipsKey, c, field, ...more] = rest;
      const clip = clipsKey === 'clips' ? clipOrigins[Number(t)]?.[Number(c)] : undefined;
      if (!clip) return ['timeline', 'tracks'];
      if (field === undefined) return clip;
      if (field === 'keyframes') return KEYFRAMED[more[0]] ? [...clip, ...KEYFRAMED[more[0]]] : clip;
      if (CLIP_FIELDS[field]) return [...clip, ...CLIP_FIELDS[field]];
      return SAME_NAME.has(field) ? [...clip, field, ...more] : clip;
    }
    case 'output': {
      const field = rest[0];
      if (field === undefined) return ['output'];
      return ['output', ...(OUTPUT_FIELDS[field] ?? (['fps', 'format', 'quality', 'range'].includes(field) ? rest : []))];
    }
    case 'soundtrack': return ['timeline', 'soundtrack', ...rest];
    case 'background': return ['timeline', 'background'];
    case 'fonts': return rest.length ? ['timeline', 'fonts', rest[0], 'src'] : ['timeline', 'fonts'];
    case 'merge': return ['merge'];
    default: return undefined;
  }
}

/** The error with each problem's pointer moved into the Edit, and Montage's own pointer in its message. */
export function inEditTerms(e: unknown, clipOrigins: readonly (readonly EditPath[])[]): unknown {
  if (!(e instanceof MontageError) || e.problems.length === 0) return e;
  const problems: FieldProblem[] = e.problems.map((p) => {
    const path = editPathOf(p.pointer, clipOrigins);
    return path ? { ...p, pointer: toPointer(path), detail: `${p.detail} (Montage's composition field ${p.pointer || '/'})` } : p;
  });
  // The sentence too (Shotstack's `response.error`): a line that begins with a composition pointer
  // (`/tracks/0/clips/0/asset/src: Refused …`) named another clip of the Edit, its tracks reversed.
  const message = e.message.split('\n').map((line) => inEditMessage(line, clipOrigins)).join('\n');
  return new MontageError(e.code, message, { problems, cause: e.cause });
}

/** A warning about the composition an Edit became, at its path in the Edit (Montage's pointer in its sentence). */
export function inEditWarning(w: FieldProblem, clipOrigins: readonly (readonly EditPath[])[]): FieldProblem {
  const path = editPathOf(w.pointer, clipOrigins);
  return path ? { pointer: toPointer(path), detail: `${w.detail} (Montage's composition field ${w.pointer || '/'})` } : w;
}

/** A failed render's message that begins with a composition pointer (`/tracks/0/clips/1/asset/src: …`), begun with the Edit's path instead. */
export function inEditMessage(message: string, clipOrigins: readonly (readonly EditPath[])[]): string {
  const m = /^(\/[^\s:]*):\s/.exec(message);
  const path = m ? editPathOf(m[1], clipOrigins) : undefined;
  return m && path ? `${toPointer(path)}: ${message.slice(m[0].length)} (Montage's composition field ${m[1]})` : message;
}
