/**
 * Turns the JSON Schema validator's raw errors into Montage's field problems: one JSON Pointer and
 * one sentence a person can act on per problem ("unknown property "lenght": did you mean "length"?").
 */
import { pointerToken } from './json-pointer.ts';
import type { ErrorObject } from 'ajv';
import type { FieldProblem } from '../errors/registry.ts';
import { didYouMean, listWords } from './did-you-mean.ts';

interface SchemaNode {
  readonly description?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly type?: string;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly pattern?: string;
  readonly patternProperties?: Record<string, SchemaNode>;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly items?: SchemaNode | readonly SchemaNode[];
}

const show = (v: unknown): string => {
  // JSON reads 1e400 as Infinity, which JSON.stringify would write back as null: say what came.
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : `a ${v < 0 ? 'negative ' : ''}number too large to represent`;
  if (typeof v === 'string' && v.length > 60) return `${JSON.stringify(v.slice(0, 57))}...`; // not a copy of a long text first
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};
const got = (e: ErrorObject) => (e.data === undefined ? '' : `, got ${show(e.data)}`);
/**
 * The field's description in brackets, its own brackets flattened: "(size in output pixels, default
 * 48)". The schema's "(1.1)" version marks are left out: "(, 1.1 replaces the curve…)" told a user nothing.
 */
const hint = (node: SchemaNode | undefined) =>
  (node?.description ? ` (${node.description.replace(/\s*\(1\.1\)\s*/g, ' ').trim().replace(/\s*\(([^()]*)\)/g, ', $1')})` : '');
const TYPE_WORDS: Record<string, string> = {
  number: 'a number', integer: 'a whole number', string: 'a string', boolean: 'true or false',
  object: 'an object', array: 'an array', null: 'null',
};

/** One union member in words: `a number`, `"auto"`, `one of "normal", "bold"`. */
const describeBranch = (b: SchemaNode): string => {
  if (b.const !== undefined) return show(b.const);
  if (b.enum) return `one of ${listWords(b.enum.map(String))}`;
  if (b.pattern && b.description?.includes('colour')) return 'a CSS hex colour such as "#ff8800" (#rgb, #rrggbb or #rrggbbaa)';
  return TYPE_WORDS[b.type ?? ''] ?? 'a valid value';
};

/** The bound of a union's number branch that `v` breaks, in words (`≥ 0`), if any. */
const numberLimit = (branches: readonly SchemaNode[], v: number): string | undefined => {
  const n = branches.find((b) => b.type === 'number' || b.type === 'integer') as (SchemaNode & Record<string, number | undefined>) | undefined;
  if (!n) return undefined;
  if (n.minimum !== undefined && v < n.minimum) return `≥ ${n.minimum}`;
  if (n.exclusiveMinimum !== undefined && v <= n.exclusiveMinimum) return `> ${n.exclusiveMinimum}`;
  if (n.maximum !== undefined && v > n.maximum) return `≤ ${n.maximum}`;
  if (n.exclusiveMaximum !== undefined && v >= n.exclusiveMaximum) return `< ${n.exclusiveMaximum}`;
  return undefined;
};

/**
 * The length limit of a union's one string branch that `v` breaks, in words, if any: a text of
 * 12 000 characters is a string, and hearing that it "must be a string or an array" told its
 * author nothing. Lengths are counted in code points, as the validator counts them.
 */
const stringLength = (branches: readonly SchemaNode[], v: string): string | undefined => {
  const strings = branches.filter((b) => b.type === 'string' && b.enum === undefined && b.const === undefined && b.pattern === undefined);
  if (strings.length !== 1) return undefined;
  const [b] = strings;
  const n = [...v].length;
  if (b.maxLength !== undefined && n > b.maxLength) return `is too long: at most ${b.maxLength} characters (it holds ${n})`;
  if (b.minLength !== undefined && n < b.minLength) return b.minLength === 1 ? 'must not be empty' : `must be at least ${b.minLength} characters long (it holds ${n})`;
  return undefined;
};

const explain = (e: ErrorObject): FieldProblem | undefined => {
  const parent = e.parentSchema as SchemaNode | undefined;
  const at = e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      if (!known.length && parent?.patternProperties) {
        return { pointer: `${at}/${pointerToken(name)}`, detail: `"${name}" is not an allowed name here: use letters, digits, "_", "." and "-" only` };
      }
      const guess = didYouMean(name, known);
      return {
        pointer: `${at}/${pointerToken(name)}`,
        detail: guess
          ? `unknown property "${name}": did you mean "${guess}"?`
          : `unknown property "${name}": remove it; allowed here: ${listWords(known)}`,
      };
    }
    case 'required': {
      const name = String(p.missingProperty);
      return { pointer: `${at}/${name}`, detail: `is required${hint(parent?.properties?.[name])}: add "${name}"` };
    }
    case 'type':
      return { pointer: at, detail: `must be ${TYPE_WORDS[String(p.type)] ?? p.type}${hint(parent)}${got(e)}` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return { pointer: at, detail: `must be one of ${listWords(allowed)}${got(e)}${guess ? `: did you mean "${guess}"?` : ''}` };
    }
    case 'const':
      return { pointer: at, detail: `must be ${show(p.allowedValue)}${got(e)}` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': {
      const op = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      return { pointer: at, detail: `must be ${op} ${p.limit}${hint(parent)}${got(e)}` };
    }
    case 'pattern':
      if (parent?.description?.includes('colour')) {
        return { pointer: at, detail: `must be a CSS hex colour such as "#ff8800" (#rgb, #rrggbb or #rrggbbaa)${got(e)}` };
      }
      return { pointer: at, detail: `must match ${p.pattern}${hint(parent)}${got(e)}` };
    case 'minLength':
      return { pointer: at, detail: Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long` };
    case 'maxLength':
      return { pointer: at, detail: `is too long: at most ${p.limit} characters` };
    case 'minItems':
      return { pointer: at, detail: `needs at least ${p.limit} item${Number(p.limit) === 1 ? '' : 's'}${hint(parent)}` };
    case 'maxItems':
      return { pointer: at, detail: `has too many items: at most ${p.limit}` };
    case 'discriminator': {
      const branches = (parent?.oneOf ?? []).map((b) => String(b.properties?.type?.const ?? '')).filter(Boolean);
      if (p.error === 'mapping') {
        const guess = typeof p.tagValue === 'string' ? didYouMean(p.tagValue, branches) : undefined;
        return {
          pointer: `${at}/${String(p.tag)}`,
          detail: `must be one of ${listWords(branches)}, got ${show(p.tagValue)}${guess ? `: did you mean "${guess}"?` : ''}`,
        };
      }
      return { pointer: `${at}/${String(p.tag)}`, detail: `is required and must be one of ${listWords(branches)}` };
    }
    case 'anyOf': case 'oneOf': {
      const branches = (parent?.[e.keyword] ?? []) as SchemaNode[];
      // An array where a union takes a fixed-length one (a cubic-bezier easing) is told what that
      // array must be, not the whole list of names.
      const tuple = Array.isArray(e.data) ? branches.find((b) => b.type === 'array' && b.description && b.minItems !== undefined && b.minItems === b.maxItems) : undefined;
      if (tuple) {
        const item = Array.isArray(tuple.items) ? tuple.items[0] : tuple.items;
        return { pointer: at, detail: `must be an array of ${tuple.minItems} ${item?.type === 'number' ? 'numbers' : 'items'}: ${tuple.description}${got(e)}` };
      }
      const length = typeof e.data === 'string' ? stringLength(branches, e.data) : undefined;
      if (length) return { pointer: at, detail: length };
      const words = branches.map(describeBranch);
      // A misspelt name in a union with a list of names (an easing) still gets its "did you mean".
      const names = branches.flatMap((b) => (b.enum ?? []).map(String));
      const guess = typeof e.data === 'string' && names.length ? didYouMean(e.data, names) : undefined;
      // A number in a seconds-or-"auto" union that breaks the number's limit is told the limit too.
      const limit = typeof e.data === 'number' ? numberLimit(branches, e.data) : undefined;
      return { pointer: at, detail: `must be ${words.length ? words.join(' or ') : 'a valid value'}${hint(parent)}${got(e)}${guess ? `: did you mean "${guess}"?` : ''}${limit ? `: a number here must be ${limit}` : ''}` };
    }
    case 'propertyNames':
      return undefined; // ajv reports the offending name through a nested error too
    default:
      return { pointer: at, detail: `${e.message ?? 'is invalid'}${got(e)}` };
  }
};

/**
 * Every schema error as a field problem, once. Union (anyOf/oneOf) failures speak for their
 * branches: the branch errors at the same place are dropped in favour of one sentence.
 */
export const schemaProblems = (errors: readonly ErrorObject[]): FieldProblem[] => {
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  // A missing property that an unknown one was probably meant to be is said once, by the typo.
  const guessed = new Set(errors.filter((e) => e.keyword === 'additionalProperties').map((e) => {
    const known = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? {});
    const guess = didYouMean(String((e.params as Record<string, unknown>).additionalProperty), known);
    return guess ? `${e.instancePath}/${guess}` : '';
  }));
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (unions.has(e.instancePath) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    // An array of the right length in a union, with an item out of range: the item's own problem says it all.
    if (e.keyword === 'anyOf' && Array.isArray(e.data) && errors.some((x) => x.instancePath.startsWith(`${e.instancePath}/`))) {
      const list = (e.parentSchema as SchemaNode | undefined)?.anyOf?.find((b) => b.type === 'array');
      if (list && e.data.length >= (list.minItems ?? 0) && e.data.length <= (list.maxItems ?? Infinity)) continue;
    }
    if (e.keyword === 'required' && guessed.has(`${e.instancePath}/${String((e.params as Record<string, unknown>).missingProperty)}`)) continue;
    const problem = explain(e);
    if (!problem) continue;
    const key = `${problem.pointer}\u0000${problem.detail}`;
    if (!seen.has(key)) { seen.add(key); out.push(problem); }
  }
  return out;
};
