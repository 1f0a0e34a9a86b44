/**
 * `Range: bytes=…` (RFC 9110 §14) for one range: `a-b`, `a-` and the suffix form `-n`. A header
 * this does not understand, or asking for several ranges, is ignored (the whole object is sent),
 * as the RFC allows; a range wholly past the end is unsatisfiable (416).
 */
import type { ByteRange } from '../ports/object-store.ts';

export type RangeResult =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly range: Required<ByteRange> }
  | { readonly kind: 'unsatisfiable' };

export function parseByteRange(header: string | undefined, size: number): RangeResult {
  const m = header === undefined ? null : /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'whole' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'whole' }; // syntactically invalid: ignore
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', range: { start, end } };
}
