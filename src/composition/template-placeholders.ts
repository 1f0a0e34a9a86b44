/**
 * A template's `{{NAME}}` placeholders as the API lists them on a Template and the Studio builds
 * its form from them: one entry per name, with every JSON Pointer where it appears, the type of
 * field that edits it, and the composition's own `merge` value as the default. One function for
 * both, so the page and the API cannot disagree.
 */
import { pointerToken } from './json-pointer.ts';
import { placeholderNames, type MergeValue } from './apply-placeholders.ts';

/** `color` for a `#rrggbb` default; `text` for a string default or none. */
export type PlaceholderType = 'text' | 'number' | 'boolean' | 'color';

export interface TemplatePlaceholder {
  readonly name: string;
  /** Where it appears (outside `merge`), in document order. */
  readonly pointers: string[];
  readonly type: PlaceholderType;
  /** The composition's own `merge` value, or null when a render request must supply one. */
  readonly default: MergeValue | null;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const HEX6 = /^#[0-9a-f]{6}$/i;

export function templatePlaceholders(raw: unknown): TemplatePlaceholder[] {
  const pointers = new Map<string, string[]>(placeholderNames(raw).map((n) => [n, []]));
  const walk = (v: unknown, pointer: string, top: boolean) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(PLACEHOLDER)) {
        const list = pointers.get(m[1]!)!;
        if (list.at(-1) !== pointer) list.push(pointer);
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${pointer}/${i}`, false));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!(top && k === 'merge')) walk(x, `${pointer}/${pointerToken(k)}`, false);
    }
  };
  walk(raw, '', true);
  const own = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { merge?: unknown }).merge : undefined;
  const merge = own && typeof own === 'object' && !Array.isArray(own) ? own as Record<string, unknown> : {};
  return [...pointers].map(([name, at]) => {
    const d = Object.prototype.hasOwnProperty.call(merge, name) ? merge[name] : undefined;
    const def = typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean' ? d : null;
    const type: PlaceholderType = typeof def === 'boolean' ? 'boolean' : typeof def === 'number' ? 'number'
      : typeof def === 'string' && HEX6.test(def) ? 'color' : 'text';
    return { name, pointers: at, type, default: def };
  });
}
