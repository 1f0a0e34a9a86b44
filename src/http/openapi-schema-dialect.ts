/**
 * The OpenAPI 3.1 document's schemas in its own dialect, JSON Schema 2020-12. The composition
 * schema is written for Ajv's draft-07 validator (schema.ts), where a fixed-length array (a
 * cubic-bezier easing) is `items: [..]` with `additionalItems: false`; 2020-12 spells that
 * `prefixItems: [..]` with `items: false`, and rejects an array under `items` ("items value must be
 * object or boolean"), so 3.1 tooling (Ajv 2020, code generators) could not load the document.
 * Only the published document is rewritten; the validator keeps its schema as it is.
 */

/** Values that are data, not schemas: never rewritten. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'const', 'default']);

function rewrite(node: unknown): void {
  if (Array.isArray(node)) { for (const n of node) rewrite(n); return; }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (Array.isArray(o.items)) {
    o.prefixItems = o.items;
    if ('additionalItems' in o) o.items = o.additionalItems;
    else delete o.items;
    delete o.additionalItems;
  }
  for (const [k, v] of Object.entries(o)) if (!DATA_KEYS.has(k)) rewrite(v);
}

/** Rewrites draft-07 tuple schemas (`items: [..]`, `additionalItems`) as 2020-12's `prefixItems`, in place. */
export function useJsonSchema2020<T>(doc: T): T {
  const d = doc as { components?: unknown; paths?: unknown };
  rewrite(d.components);
  rewrite(d.paths);
  return doc;
}
