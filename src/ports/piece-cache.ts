/**
 * The PieceCache port: rendered pieces (video-only time ranges of a chunked render) kept by their
 * key (src/render/piece-key.ts), so a render reuses every piece whose inputs are unchanged. The
 * index lives in the central store (SQLite for `serve` and the CLI); the bytes live in the
 * ObjectStore under `piece-cache/<tenant>/<key>.<ext>`.
 *
 * Every call is scoped by tenant: pieces are never shared between tenants, so reuse cannot let
 * one tenant learn what another rendered.
 */

export interface CachedPiece {
  readonly tenant: string;
  readonly key: string;
  /** File extension of the piece (`mp4`, `webm`). */
  readonly ext: string;
  readonly bytes: number;
  /** Hex SHA-256 of the piece's bytes, checked on every reuse. */
  readonly sha256: string;
  readonly createdAt: string;
  readonly usedAt: string;
}

export interface EvictBounds {
  /** Keep at most this many bytes of pieces (all tenants), dropping the least recently used first. */
  readonly maxBytes?: number;
  /** Drop pieces not used for this many seconds. */
  readonly maxAgeSeconds?: number;
}

export interface PieceCache {
  /**
   * Copies the piece to `destPath` when it is cached and its bytes are intact (size and SHA-256 as
   * recorded), marks it used, and returns true. A piece missing or corrupt in storage is forgotten
   * and false is returned: the caller renders it again, never joins it.
   * `held`: the index entry the caller already read with `get` (a re-render looks every key up
   * before it fetches the hits), so the index is read once a piece; the bytes are checked against
   * it. An entry of another tenant, key or extension is ignored and the index is read.
   */
  fetch(tenant: string, key: string, ext: string, destPath: string, held?: CachedPiece): Promise<boolean>;
  /** Stores the file at `srcPath` as the piece `key` (replacing any). Returns its record. */
  record(tenant: string, key: string, ext: string, srcPath: string): Promise<CachedPiece>;
  /** The index entry, or null (no I/O on the bytes). */
  get(tenant: string, key: string): Promise<CachedPiece | null>;
  /** Drops least-recently-used pieces past `maxBytes` and those older than `maxAgeSeconds`; returns how many. */
  evict(bounds: EvictBounds): Promise<number>;
}

/** Object store key of a piece. */
export const pieceObjectKey = (tenant: string, key: string, ext: string): string => `piece-cache/${tenant}/${key}.${ext}`;
