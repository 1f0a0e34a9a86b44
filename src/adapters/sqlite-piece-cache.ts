/**
 * PieceCache with its index in the embedded SQLite database (table `piece_cache`) and the bytes in
 * an ObjectStore. See src/ports/piece-cache.ts for the contract.
 */
import type { ObjectStore } from '../ports/object-store.ts';
import type { CachedPiece, PieceCache } from '../ports/piece-cache.ts';
import { createIndexedPieceCache } from './indexed-piece-cache.ts';
import type { SqliteDb } from './sqlite-database.ts';

interface Row { tenant: string; key: string; ext: string; bytes: number; sha256: string; created_at: string; used_at: string }
const toPiece = (r: Row): CachedPiece => ({ tenant: r.tenant, key: r.key, ext: r.ext, bytes: r.bytes, sha256: r.sha256, createdAt: r.created_at, usedAt: r.used_at });

export function createSqlitePieceCache(db: SqliteDb, objects: ObjectStore, now?: () => Date): PieceCache {
  const one = db.prepare('SELECT * FROM piece_cache WHERE tenant = ? AND key = ?');
  const upsert = db.prepare(`INSERT INTO piece_cache (tenant, key, ext, bytes, sha256, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (tenant, key) DO UPDATE SET ext = excluded.ext, bytes = excluded.bytes, sha256 = excluded.sha256, created_at = excluded.created_at, used_at = excluded.used_at`);
  const touch = db.prepare('UPDATE piece_cache SET used_at = ? WHERE tenant = ? AND key = ?');
  const drop = db.prepare('DELETE FROM piece_cache WHERE tenant = ? AND key = ?');
  const byUse = db.prepare('SELECT * FROM piece_cache ORDER BY used_at ASC, key ASC');
  return createIndexedPieceCache({
    async get(tenant, key) { const r = one.get(tenant, key) as Row | undefined; return r ? toPiece(r) : null; },
    async upsert(p) { upsert.run(p.tenant, p.key, p.ext, p.bytes, p.sha256, p.createdAt, p.usedAt); },
    async touch(tenant, key, at) { touch.run(at, tenant, key); },
    async remove(tenant, key) { drop.run(tenant, key); },
    async byUse() { return (byUse.all() as Row[]).map(toPiece); },
  }, objects, now);
}
