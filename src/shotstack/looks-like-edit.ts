/**
 * Telling a Shotstack Edit from a Montage composition, on its own so that `montage render` and
 * `montage validate` of a composition do not load the Edit importer (edit-to-composition.ts).
 */
import { isObject, type JsonObject } from './edit-problems.ts';

/** Does this JSON look like a Shotstack Edit rather than a Montage composition? */
export const looksLikeShotstackEdit = (v: unknown): boolean =>
  isObject(v) && isObject(v.timeline) && Array.isArray((v.timeline as JsonObject).tracks) && !('tracks' in v);
