/** One key or index as a JSON Pointer reference token (RFC 6901): `~` → `~0`, `/` → `~1`. */
export const pointerToken = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Whether a problem at `pointer` concerns a place some `open` entry stands at or inside (a template's
 * placeholder still without a value stands for a value not known yet: nothing there is judged).
 */
export const atOpenPlaceholder = (pointer: string, open: readonly { readonly pointer: string }[]): boolean =>
  open.some((o) => o.pointer === pointer || o.pointer.startsWith(`${pointer}/`));
