/** One key or index as a JSON Pointer reference token (RFC 6901): `~` → `~0`, `/` → `~1`. */
export const pointerToken = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');
