/**
 * PieceCache with its index in PostgreSQL (table `piece_cache`) and the bytes in the ObjectStore
 * (S3 in scale-out), so any worker reuses any piece of its tenant. See src/ports/piece-cache.ts.
 */
import type { ObjectStore } from '../ports/object-store.ts';
import type { CachedPiece, PieceCache } from '../ports/piece-cache.ts';
import { createIndexedPieceCache } from './indexed-piece-cache.ts';
import type { PgPool } from './postgres-database.ts';

interface Row { tenant: string; key: string; ext: string; bytes: string | number; sha256: string; created_at: string; used_at: string }
const toPiece = (r: Row): CachedPiece => ({ tenant: r.tenant, key: r.key, ext: r.ext, bytes: Number(r.bytes), sha256: r.sha256, createdAt: r.created_at, usedAt: r.used_at });

export function createPostgresPieceCache(pool: PgPool, objects: ObjectStore, now?: () => Date): PieceCache {
  return createIndexedPieceCache({
    async get(tenant, key) {
      const r = (await pool.query<Row>('SELECT * FROM piece_cache WHERE tenant = $1 AND key = $2', [tenant, key])).rows[0];
      return r ? toPiece(r) : null;
    },
    async upsert(p) {
      await pool.query(`INSERT INTO piece_cache (tenant, key, ext, bytes, sha256, created_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (tenant, key) DO UPDATE SET ext = excluded.ext, bytes = excluded.bytes, sha256 = excluded.sha256, created_at = excluded.created_at, used_at = excluded.used_at`,
      [p.tenant, p.key, p.ext, p.bytes, p.sha256, p.createdAt, p.usedAt]);
    },
    async touch(tenant, key, at) { await pool.query('UPDATE piece_cache SET used_at = $1 WHERE tenant = $2 AND key = $3', [at, tenant, key]); },
    async remove(tenant, key) { await pool.query('DELETE FROM piece_cache WHERE tenant = $1 AND key = $2', [tenant, key]); },
    async byUse() { return (await pool.query<Row>('SELECT * FROM piece_cache ORDER BY used_at ASC, key ASC')).rows.map(toPiece); },
  }, objects, now);
}
