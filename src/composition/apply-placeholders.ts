/**
 * `{{NAME}}` placeholders (COMPOSITION.md § Placeholders). Substitution happens before validation:
 * every string value outside `merge` may hold placeholders; a string that is nothing but one
 * placeholder takes the value's type (`"length": "{{seconds}}"` becomes a number).
 */
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
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

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
 * composition's own). Never throws; the caller reports `missing`.
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
  const stringWholes = new Set<string>();
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
        if (typeof value === 'string') stringWholes.add(pointer);
        return value;
      }
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
          value: top && k === 'merge' ? x : walk(x, `${pointer}/${escapePointer(k)}`, false),
          enumerable: true, writable: true, configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return { value: walk(raw, '', true), missing, stringWholes };
};
