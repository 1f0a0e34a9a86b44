/**
 * The gate every composition passes before anything is planned, queued or downloaded:
 * placeholders → JSON Schema (the TypeBox schema in schema.ts) → the rules a schema cannot say.
 * Every problem is reported at once, each with its JSON Pointer and an actionable sentence.
 */
import type { ErrorObject } from 'ajv';
import { MontageError, type FieldProblem } from '../errors/registry.ts';
import type { Composition } from './schema.ts';
import { applyPlaceholders, type MergeValues } from './apply-placeholders.ts';
import { pointerDeeperThan } from './nesting-depth.ts';
import { atOpenPlaceholder } from './json-pointer.ts';
import { schemaProblems } from './schema-problems.ts';
import { semanticProblems } from './semantic-problems.ts';
import { check } from './schema-check.ts';

export interface ValidComposition {
  readonly composition: Composition;
  /** Things that will not stop the render but that the author probably wants to know. */
  readonly warnings: readonly FieldProblem[];
}

export interface ValidateOptions {
  /**
   * A template's check: placeholders without a value are not an error (a render request supplies
   * them), and no problem is reported at a field that holds one, or inside it; every other problem
   * is. The composition returned then still holds those placeholders: it is not one to render.
   */
  readonly openPlaceholders?: boolean;
  /**
   * The composition's placeholders were filled already (a stored render's composition, checked
   * again by the worker that renders it): nothing is substituted, so text that a merge value
   * brought in and that reads like `{{NAME}}` stays as it is. Filling it again failed the
   * accepted render (no value for it) or drew the composition's own value of that name.
   */
  readonly filled?: boolean;
}

/** A whole-placeholder string from the command line, read as the number or boolean the field needs. */
const coerce = (s: string): number | boolean | undefined => {
  if (s === 'true') return true;
  if (s === 'false') return false;
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : undefined;
};

const setAt = (root: unknown, pointer: string, value: unknown) => {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * @param merge values for `{{NAME}}` placeholders; they override the composition's own `merge`.
 * @throws MontageError MONTAGE_E_LIMIT_EXCEEDED where filled placeholders would make a string (or
 *   the whole document) too long, MONTAGE_E_MISSING_PLACEHOLDER naming every placeholder without a
 *   value, or MONTAGE_E_INVALID_COMPOSITION listing every problem.
 */
export const validateComposition = (raw: unknown, merge?: MergeValues, opts: ValidateOptions = {}): ValidComposition => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', 'The composition must be a JSON object.', {
      problems: [{ pointer: '', detail: `must be a JSON object with "output" and "tracks", got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}` }],
    });
  }
  const deep = tooDeep(raw);
  if (deep !== undefined) {
    throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', 'The composition has 1 problem.', {
      problems: [{ pointer: deep, detail: `nests more than ${MAX_NESTING} levels deep here; no composition field is nested that far` }],
    });
  }
  const { value, missing, stringWholes, typedWholes, oversized } = opts.filled
    ? { value: structuredClone(raw), missing: [], stringWholes: new Set<string>(), typedWholes: new Set<string>(), oversized: [] }
    : applyPlaceholders(raw, merge);
  if (oversized.length) {
    throw new MontageError('MONTAGE_E_LIMIT_EXCEEDED', `${plural(oversized.length, 'string')} would grow too long once ${oversized.length === 1 ? 'its' : 'their'} placeholders are filled.`, { problems: oversized });
  }
  if (missing.length && !opts.openPlaceholders) {
    const names = [...new Set(missing.map((m) => /\{\{(.+?)\}\}/.exec(m.detail)?.[1]))].join(', ');
    throw new MontageError('MONTAGE_E_MISSING_PLACEHOLDER', `${plural(missing.length, 'placeholder')} without a value: ${names}.`, { problems: missing });
  }

  let errors: readonly ErrorObject[] = check(value) ? [] : [...(check.errors ?? [])];
  // A value typed on the command line arrives as a string; where a whole placeholder fills a
  // field that needs a number or boolean and the string reads as one, use it as such.
  let coerced = false;
  for (const pointer of stringWholes) {
    if (!errors.some((e) => e.instancePath === pointer)) continue;
    const read = coerce(String(pointerValue(value, pointer)));
    if (read !== undefined) { setAt(value, pointer, read); coerced = true; }
  }
  // The reverse: a number or boolean filling a field that needs a string (a text or caption that
  // is only `{{price}}`) is its digits, as it is inside a longer string. Kept only where the string
  // passes, so a bad number elsewhere is still reported as the number it is.
  const stringified = new Map<string, unknown>();
  for (const pointer of typedWholes) {
    if (!errors.some((e) => e.instancePath === pointer)) continue;
    const original = pointerValue(value, pointer);
    setAt(value, pointer, String(original));
    stringified.set(pointer, original);
    coerced = true;
  }
  if (coerced) errors = check(value) ? [] : [...(check.errors ?? [])];
  let reverted = false;
  for (const [pointer, original] of stringified) {
    if (errors.some((e) => e.instancePath === pointer)) { setAt(value, pointer, original); reverted = true; }
  }
  if (reverted) errors = check(value) ? [] : [...(check.errors ?? [])];

  const semantic = semanticProblems(value as Record<string, unknown>);
  // A template's open placeholder stands for a value not known yet: nothing at it, or inside it, is judged.
  const problems = [...schemaProblems(errors), ...semantic.problems].filter((p) => !atOpenPlaceholder(p.pointer, missing));
  if (problems.length) {
    throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', `The composition has ${plural(problems.length, 'problem')}.`, { problems });
  }
  return { composition: value as Composition, warnings: semantic.warnings };
};

/**
 * Deepest nesting looked at: the format's deepest field is 7 levels down. Checked without
 * recursion before the recursive steps (placeholders, the schema) run, which a document nested a
 * few thousand levels deep would otherwise take past the stack (a RangeError, a 500 over HTTP).
 */
const MAX_NESTING = 64;
const tooDeep = (root: unknown): string | undefined => pointerDeeperThan(root, MAX_NESTING);

const pointerValue = (root: unknown, pointer: string): unknown =>
  pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], root);
