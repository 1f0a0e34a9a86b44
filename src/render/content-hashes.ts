/**
 * SHA-256 of the input files that key cached pieces (piece-key.ts), remembered by the file's
 * identity (fileIdentity). A template rendered again and again (the same background video for
 * every name) then reads its unchanged inputs once per engine, not once per render. A file
 * rewritten in place changes its change time (and mostly its size or mtime), so it is hashed
 * again; the memo never answers for a path whose stat differs.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

/** Hex SHA-256 of a file's bytes. */
export type HashFile = (path: string) => Promise<string>;

export const sha256File: HashFile = async (path) => {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
};

/**
 * A file's identity as the memos of its facts key it (here, and remembered-inputs.ts): path,
 * device, inode, size, and modification and change times in nanoseconds. Any write changes the
 * change time, which no call can set back.
 */
export const fileIdentity = (path: string, s: BigIntStats): string => `${path}\0${s.dev}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}`;

/** Entries kept at most (each a path and a digest; per-render rasters fill it, so it is bounded). */
export const CONTENT_HASH_ENTRIES = 2048;

/**
 * A HashFile that remembers digests by fileIdentity, the oldest entry dropped past
 * `max`. Concurrent asks for the same file share one read.
 */
export const createContentHashes = (max = CONTENT_HASH_ENTRIES, hash: HashFile = sha256File): HashFile => {
  const known = new Map<string, Promise<string>>();
  return async (path) => {
    const id = fileIdentity(path, await stat(path, { bigint: true }));
    let digest = known.get(id);
    if (!digest) {
      digest = hash(path);
      known.set(id, digest);
      digest.catch(() => known.delete(id));
      while (known.size > max) known.delete(known.keys().next().value!);
    }
    return digest;
  };
};
