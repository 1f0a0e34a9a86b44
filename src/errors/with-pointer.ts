import { isMontageError, MontageError } from './registry.ts';

/**
 * The same error, naming the field it is about: a fetch or probe failure deep in the I/O knows the
 * URL but not the composition, so whoever does know the pointer adds it. An error that already
 * lists problems, or is not a MontageError, is returned as it is.
 */
export function withPointer(e: unknown, pointer: string): unknown {
  if (!isMontageError(e) || e.problems.length > 0 || e.code === 'MONTAGE_E_RENDER_CANCELED') return e;
  return new MontageError(e.code, `${pointer}: ${e.message}`, { problems: [{ pointer, detail: e.message }], cause: e.cause ?? e });
}
