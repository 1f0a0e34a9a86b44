/**
 * ObjectStore on the local filesystem under a root directory (the data dir's `objects/`).
 * See src/ports/object-store.ts. Writes go to a temp file in the same directory tree and are
 * renamed into place, so readers never see part of an object and a crash leaves only a temp file
 * (cleaned on the next start). Keys are checked before any path is built, so none can escape root.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MontageError } from '../errors/registry.ts';
import type { ByteRange, ObjectInfo, ObjectStore, PutOptions } from '../ports/object-store.ts';

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Throws unless `key` is a safe relative key as defined by the ObjectStore port. */
export function assertObjectKey(key: string): void {
  const ok = typeof key === 'string' && key.length > 0 && key.length <= 512
    && key.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!ok) throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Invalid object key: ${JSON.stringify(key).slice(0, 80)}`);
}

const notFound = (key: string, cause?: unknown) => new MontageError('MONTAGE_E_NOT_FOUND', `No object ${key}.`, { cause });
const isNoEnt = (e: unknown) => (e as { code?: string })?.code === 'ENOENT';

export function createFileObjectStore(root: string): ObjectStore {
  const base = resolve(root);
  const tmpDir = join(base, '.tmp');
  mkdirSync(base, { recursive: true });
  // Leftovers of puts interrupted by a crash.
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });

  const pathOf = (key: string): string => {
    assertObjectKey(key);
    const p = resolve(base, ...key.split('/'));
    // Belt and braces: the key grammar already forbids escaping.
    if (!p.startsWith(base + sep) || p.startsWith(tmpDir + sep)) throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'Invalid object key.');
    return p;
  };

  const info = async (key: string): Promise<ObjectInfo | null> => {
    try {
      const s = await stat(pathOf(key));
      return s.isFile() ? { key, size: s.size, modifiedAt: s.mtime.toISOString() } : null;
    } catch (e) {
      if (isNoEnt(e)) return null;
      throw e;
    }
  };

  return {
    async put(key, body, opts: PutOptions = {}) {
      const dest = pathOf(key);
      const tmp = join(tmpDir, `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (opts.maxBytes !== undefined && size > opts.maxBytes) {
            cb(new MontageError('MONTAGE_E_ASSET_TOO_LARGE', `The object is larger than the limit of ${opts.maxBytes} bytes.`));
            return;
          }
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(tmp, { flags: 'wx' }), { signal: opts.signal });
        await mkdir(dirname(dest), { recursive: true });
        await rename(tmp, dest);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      const s = await stat(dest);
      return { key, size, sha256: hash.digest('hex'), modifiedAt: s.mtime.toISOString() };
    },

    async get(key, opts: { readonly range?: ByteRange } = {}) {
      const p = pathOf(key);
      const s = await info(key);
      if (!s) throw notFound(key);
      const start = opts.range?.start ?? 0;
      const end = Math.min(opts.range?.end ?? s.size - 1, s.size - 1);
      if (!Number.isInteger(start) || start < 0 || (s.size > 0 && start > end) || (s.size === 0 && start > 0)) {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Range ${start}-${opts.range?.end ?? ''} is outside ${s.size} bytes.`);
      }
      // An empty object streams nothing; createReadStream's `end` is inclusive.
      const body = createReadStream(p, s.size === 0 ? { start: 0, end: -1 } : { start, end });
      return { body, size: s.size, start, end: s.size === 0 ? -1 : end };
    },

    stat: info,

    async delete(key) {
      try {
        await unlink(pathOf(key));
        return true;
      } catch (e) {
        if (isNoEnt(e)) return false;
        throw e;
      }
    },

    async localPath(key) {
      return (await info(key)) ? pathOf(key) : null;
    },
  };
}
