/**
 * How deep a parsed JSON document nests, found without recursion: JSON.parse reads a document
 * nested a hundred thousand levels deep without complaint, but every recursive step after it
 * (placeholders, schema checks, copies) would run past the stack, a RangeError that became a 500.
 */

import { pointerToken } from './json-pointer.ts';

/**
 * Deepest nesting of any JSON document read, a request body or a file given to the CLI: a
 * composition's deepest field is 7 levels down and its own check stops at 64, so this one only
 * stops what no check after it could survive (a Shotstack Edit, a template, a merge, metadata).
 */
export const MAX_DOCUMENT_NESTING = 100;

/** The JSON Pointer of the first value found nested `max` levels deep in `root`, or undefined. */
export const pointerDeeperThan = (root: unknown, max: number): string | undefined => {
  const stack: [unknown, string, number][] = [[root, '', 0]];
  while (stack.length) {
    const [v, at, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth >= max) return at;
    for (const [k, x] of Object.entries(v)) stack.push([x, `${at}/${pointerToken(k)}`, depth + 1]);
  }
  return undefined;
};
