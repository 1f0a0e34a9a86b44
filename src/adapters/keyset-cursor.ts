/**
 * Opaque cursors for newest-first keyset pagination on (createdAt, id). Base64url JSON, so clients
 * cannot rely on its shape; a cursor that does not decode is a 400, not a silent first page.
 */
import { MontageError } from '../errors/registry.ts';

export interface KeysetPosition {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeCursor(p: KeysetPosition): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      return { createdAt: v[0], id: v[1] };
    }
  } catch { /* reported below */ }
  throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'The cursor is not one this API returned.', {
    problems: [{ pointer: '/cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }],
  });
}

/** Clamps a page size to 1–100 (API.md: limit ≤ 100). */
export const clampLimit = (limit: number): number => Math.min(100, Math.max(1, Math.trunc(limit) || 1));
