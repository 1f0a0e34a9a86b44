/**
 * The PieceCache over any index (a table in the central store) and an ObjectStore holding the
 * bytes under `piece-cache/<tenant>/<key>.<ext>`. See src/ports/piece-cache.ts for the contract;
 * sqlite-piece-cache.ts and postgres-piece-cache.ts provide the index.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../ports/object-store.ts';
import { pieceObjectKey, type CachedPiece, type PieceCache } from '../ports/piece-cache.ts';

/** The index rows of the cache, in the central store. */
export interface PieceIndex {
  get(tenant: string, key: string): Promise<CachedPiece | null>;
  upsert(p: CachedPiece): Promise<void>;
  touch(tenant: string, key: string, at: string): Promise<void>;
  remove(tenant: string, key: string): Promise<void>;
  /** Every entry, least recently used first. */
  byUse(): Promise<readonly CachedPiece[]>;
}

export function createIndexedPieceCache(index: PieceIndex, objects: ObjectStore, now: () => Date = () => new Date()): PieceCache {
  const forget = async (p: Pick<CachedPiece, 'tenant' | 'key' | 'ext'>) => {
    await index.remove(p.tenant, p.key);
    await objects.delete(pieceObjectKey(p.tenant, p.key, p.ext)).catch(() => false);
  };

  return {
    get: (tenant, key) => index.get(tenant, key),

    async fetch(tenant, key, ext, destPath, held) {
      const r = held && held.tenant === tenant && held.key === key && held.ext === ext ? held : await index.get(tenant, key);
      if (!r || r.ext !== ext) return false;
      const hash = createHash('sha256');
      let size = 0;
      try {
        const { body } = await objects.get(pieceObjectKey(tenant, key, ext));
        const meter = new Transform({ transform(chunk: Buffer, _e, cb) { size += chunk.length; hash.update(chunk); cb(null, chunk); } });
        await pipeline(body, meter, createWriteStream(destPath));
      } catch {
        await rm(destPath, { force: true });
        await forget(r);
        return false;
      }
      if (size !== r.bytes || hash.digest('hex') !== r.sha256) {
        await rm(destPath, { force: true });
        await forget(r);
        return false;
      }
      await index.touch(tenant, key, now().toISOString());
      return true;
    },

    async record(tenant, key, ext, srcPath) {
      const stored = await objects.put(pieceObjectKey(tenant, key, ext), createReadStream(srcPath), { contentType: ext === 'mp4' ? 'video/mp4' : 'video/webm' });
      const at = now().toISOString();
      const piece: CachedPiece = { tenant, key, ext, bytes: stored.size, sha256: stored.sha256, createdAt: at, usedAt: at };
      await index.upsert(piece);
      return piece;
    },

    async evict({ maxBytes, maxAgeSeconds }) {
      const rows = await index.byUse();
      const cutoff = maxAgeSeconds === undefined ? undefined : new Date(now().getTime() - maxAgeSeconds * 1000).toISOString();
      let total = rows.reduce((a, r) => a + r.bytes, 0);
      let removed = 0;
      for (const r of rows) {
        const old = cutoff !== undefined && r.usedAt < cutoff;
        const over = maxBytes !== undefined && total > maxBytes;
        if (!old && !over) continue;
        await forget(r);
        total -= r.bytes;
        removed++;
      }
      return removed;
    },
  };
}
