/**
 * PieceCache with its index in the embedded SQLite database and the bytes in an ObjectStore
 * (`piece-cache/<tenant>/<key>.<ext>`). See src/ports/piece-cache.ts for the contract.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../ports/object-store.ts';
import { pieceObjectKey, type CachedPiece, type PieceCache } from '../ports/piece-cache.ts';
import type { SqliteDb } from './sqlite-database.ts';

interface Row { tenant: string; key: string; ext: string; bytes: number; sha256: string; created_at: string; used_at: string }
const toPiece = (r: Row): CachedPiece => ({ tenant: r.tenant, key: r.key, ext: r.ext, bytes: r.bytes, sha256: r.sha256, createdAt: r.created_at, usedAt: r.used_at });

export function createSqlitePieceCache(db: SqliteDb, objects: ObjectStore, now: () => Date = () => new Date()): PieceCache {
  const one = db.prepare('SELECT * FROM piece_cache WHERE tenant = ? AND key = ?');
  const upsert = db.prepare(`INSERT INTO piece_cache (tenant, key, ext, bytes, sha256, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (tenant, key) DO UPDATE SET ext = excluded.ext, bytes = excluded.bytes, sha256 = excluded.sha256, created_at = excluded.created_at, used_at = excluded.used_at`);
  const touch = db.prepare('UPDATE piece_cache SET used_at = ? WHERE tenant = ? AND key = ?');
  const drop = db.prepare('DELETE FROM piece_cache WHERE tenant = ? AND key = ?');
  const byAge = db.prepare('SELECT * FROM piece_cache ORDER BY used_at ASC, key ASC');

  const forget = async (r: Pick<Row, 'tenant' | 'key' | 'ext'>) => {
    drop.run(r.tenant, r.key);
    await objects.delete(pieceObjectKey(r.tenant, r.key, r.ext)).catch(() => false);
  };

  return {
    async get(tenant, key) {
      const r = one.get(tenant, key) as Row | undefined;
      return r ? toPiece(r) : null;
    },

    async fetch(tenant, key, ext, destPath) {
      const r = one.get(tenant, key) as Row | undefined;
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
      touch.run(now().toISOString(), tenant, key);
      return true;
    },

    async record(tenant, key, ext, srcPath) {
      const stored = await objects.put(pieceObjectKey(tenant, key, ext), createReadStream(srcPath), { contentType: ext === 'mp4' ? 'video/mp4' : 'video/webm' });
      const at = now().toISOString();
      upsert.run(tenant, key, ext, stored.size, stored.sha256, at, at);
      return toPiece(one.get(tenant, key) as Row);
    },

    async evict({ maxBytes, maxAgeSeconds }) {
      const rows = byAge.all() as Row[];
      const cutoff = maxAgeSeconds === undefined ? undefined : new Date(now().getTime() - maxAgeSeconds * 1000).toISOString();
      let total = rows.reduce((a, r) => a + r.bytes, 0);
      let removed = 0;
      for (const r of rows) {
        const old = cutoff !== undefined && r.used_at < cutoff;
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
