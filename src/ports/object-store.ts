/**
 * The ObjectStore port: bytes by key (uploaded assets, render outputs). Implemented by files under
 * the data dir (`serve`) and later S3. Everything streams: no method holds a whole object in memory.
 *
 * Keys are `/`-separated relative paths of segments made of `[A-Za-z0-9._-]`, no segment `.` or
 * `..`, at most 512 characters, e.g. `assets/ten_1/ast_2`. Adapters reject any other key with
 * MONTAGE_E_INVALID_REQUEST, so a key can never escape the store.
 */
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  readonly modifiedAt: string;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. `end` omitted = to the last byte. */
export interface ByteRange {
  readonly start: number;
  readonly end?: number;
}

export interface ObjectBody {
  readonly body: Readable;
  /** Size of the whole object in bytes (for `Content-Range: bytes a-b/size`). */
  readonly size: number;
  /** The inclusive range actually served; the whole object when no range was asked. */
  readonly start: number;
  readonly end: number;
}

export interface PutOptions {
  /**
   * Refuse objects larger than this many bytes: the write stops as soon as the limit is passed,
   * nothing is stored, and MONTAGE_E_ASSET_TOO_LARGE is thrown.
   */
  readonly maxBytes?: number;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface ObjectStore {
  /**
   * Stores the stream under `key`, replacing any object there. Atomic: readers see the old object
   * or the whole new one, never part of it; a failed put leaves nothing behind.
   * Returns the stored size and the hex sha256 of the bytes.
   */
  put(key: string, body: AsyncIterable<Uint8Array>, opts?: PutOptions): Promise<ObjectInfo & { readonly sha256: string }>;
  /**
   * Streams the object, or the part in `range`. Throws MONTAGE_E_NOT_FOUND when absent and
   * MONTAGE_E_INVALID_REQUEST when the range starts beyond the end (HTTP 416 territory).
   * An `end` beyond the last byte is clamped.
   */
  get(key: string, opts?: { readonly range?: ByteRange }): Promise<ObjectBody>;
  stat(key: string): Promise<ObjectInfo | null>;
  /** True when an object was removed. */
  delete(key: string): Promise<boolean>;
  /** A URL that serves the object without credentials for `ttlSeconds`. Absent = serve the bytes. */
  signedUrl?(key: string, ttlSeconds: number): Promise<string>;
  /**
   * A local file path holding the object, when the store is a local filesystem. Workers use it to
   * hand uploads to ffmpeg without copying; absent = download into the job's work dir.
   */
  localPath?(key: string): Promise<string | null>;
}
