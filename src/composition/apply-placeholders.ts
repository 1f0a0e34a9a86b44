/**
 * `{{NAME}}` placeholders (COMPOSITION.md § Placeholders). Substitution happens before validation:
 * every string value outside `merge` may hold placeholders; a string that is nothing but one
 * placeholder takes the value's type (`"length": "{{seconds}}"` becomes a number).
 */
import { pointerToken } from './json-pointer.ts';
import type { FieldProblem } from '../errors/registry.ts';

export type MergeValue = string | number | boolean;
export type MergeValues = Readonly<Record<string, MergeValue>>;

/** `{{ name }}`: letters, digits, `_`, `.` and `-`, spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/;

export interface Substituted {
  readonly value: unknown;
  /** Placeholders with no value: where they are and which name. */
  readonly missing: readonly FieldProblem[];
  /**
   * Pointers of whole-string placeholders that received a string value (from `--merge` on the
   * command line every value is a string). Validation may read such a string as the number or
   * boolean the schema expects there, and nowhere else.
   */
  readonly stringWholes: ReadonlySet<string>;
  /**
   * Pointers of whole-string placeholders that received a number or boolean. Validation may read
   * such a value as its digits (`"text": "{{price}}"`) where the schema needs a string, and nowhere
   * else.
   */
  readonly typedWholes: ReadonlySet<string>;
  /**
   * Strings that filled would pass {@link MAX_FILLED_STRING}, and the first string past
   * {@link MAX_FILLED_TOTAL}: left unfilled, each with the sentence that says so.
   */
  readonly oversized: readonly FieldProblem[];
}

/**
 * Longest string a placeholder may make, in characters. No field holds more than 10 000 (a text),
 * so anything longer is wrong anyway; refusing it before it is built keeps a 1 MiB request whose
 * `{{a}}` repeats a long value from growing a string past what V8 can hold (a RangeError, once a
 * 500) or the heap past its limit (the process aborted).
 */
export const MAX_FILLED_STRING = 100_000;
/**
 * Characters that placeholder values may add to a whole document, whole-string values included
 * (they are shared while substituting, but every later JSON copy spells them out): 16 Mi, sixteen
 * times what a 1 MiB request can carry, far above any real template.
 */
export const MAX_FILLED_TOTAL = 16 * 1024 * 1024;


/** Every placeholder name used in `raw` (outside `merge`), for template forms. */
export const placeholderNames = (raw: unknown): string[] => {
  const names = new Set<string>();
  const walk = (v: unknown, top: boolean) => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) names.add(m[1]);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, false));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!(top && k === 'merge')) walk(x, false);
  };
  walk(raw, true);
  return [...names];
};

/**
 * Replaces placeholders in a copy of `raw` with `merge` values (the request's `merge` over the
 * composition's own). Never throws; the caller reports `missing` and `oversized`.
 */
export const applyPlaceholders = (raw: unknown, merge: MergeValues = {}): Substituted => {
  const own = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).merge : undefined;
  const values: Record<string, MergeValue> = {};
  if (own && typeof own === 'object' && !Array.isArray(own)) {
    for (const [k, v] of Object.entries(own)) if (['string', 'number', 'boolean'].includes(typeof v)) values[k] = v as MergeValue;
  }
  for (const [k, v] of Object.entries(merge)) values[k] = v;
  const has = (name: string) => Object.prototype.hasOwnProperty.call(values, name);

  const missing: FieldProblem[] = [];
  const oversized: FieldProblem[] = [];
  const stringWholes = new Set<string>();
  const typedWholes = new Set<string>();
  let added = 0;
  let overBudget = false;
  /** Counts `n` more characters; false (with the problem said once) past the document's budget. */
  const spend = (n: number, pointer: string): boolean => {
    if (added + n <= MAX_FILLED_TOTAL) { added += n; return true; }
    if (!overBudget) {
      overBudget = true;
      oversized.push({ pointer, detail: `would take all placeholders of the composition past ${MAX_FILLED_TOTAL} characters once filled: use shorter merge values, or fewer places that repeat them` });
    }
    return false;
  };
  const walk = (v: unknown, pointer: string, top: boolean): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return v;
      const whole = WHOLE.exec(v);
      if (whole) {
        if (!has(whole[1])) {
          missing.push({ pointer, detail: `placeholder {{${whole[1]}}} has no value: add "${whole[1]}" to merge.` });
          return v;
        }
        const value = values[whole[1]];
        if (typeof value === 'string') {
          if (!spend(value.length, pointer)) return v;
          stringWholes.add(pointer);
        } else {
          typedWholes.add(pointer);
        }
        return value;
      }
      // The filled length, worked out before the string is built.
      let length = v.length;
      const used = new Set<string>();
      for (const m of v.matchAll(PLACEHOLDER)) {
        if (!has(m[1])) continue;
        length += String(values[m[1]]).length - m[0].length;
        used.add(m[1]);
      }
      if (length > MAX_FILLED_STRING) {
        // A hundred say enough; a request repeating the trick in every string gets no longer an answer.
        if (oversized.length < 100) oversized.push({ pointer, detail: `would be ${length} characters long once its placeholders (${[...used].map((n) => `{{${n}}}`).join(', ')}) are filled, more than ${MAX_FILLED_STRING}: use shorter merge values` });
        return v;
      }
      if (length > v.length && !spend(length - v.length, pointer)) return v;
      return v.replace(PLACEHOLDER, (all, name: string) => {
        if (has(name)) return String(values[name]);
        missing.push({ pointer, detail: `placeholder {{${name}}} has no value: add "${name}" to merge.` });
        return all;
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${pointer}/${i}`, false));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // defineProperty, not assignment: a "__proto__" key must stay an (unknown, reported) property.
        Object.defineProperty(out, k, {
          value: top && k === 'merge' ? x : walk(x, `${pointer}/${pointerToken(k)}`, false),
          enumerable: true, writable: true, configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return { value: walk(raw, '', true), missing, stringWholes, typedWholes, oversized };
};
