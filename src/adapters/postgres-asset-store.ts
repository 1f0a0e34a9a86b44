/** AssetStore (upload metadata) on PostgreSQL. See src/ports/asset-store.ts. */
import { MontageError } from '../errors/registry.ts';
import type { AssetRecord, AssetStore } from '../ports/asset-store.ts';
import { isConstraintViolation, iso, type PgPool } from './postgres-database.ts';

interface Row {
  id: string; tenant: string; object_key: string; filename: string | null; content_type: string;
  /** bigint: pg returns it as a string, since it may exceed 2^53 in general (not for our sizes). */
  bytes: string; sha256: string; probe: AssetRecord['probe']; created_at: Date;
}

const toRecord = (r: Row): AssetRecord => ({
  id: r.id, tenant: r.tenant, objectKey: r.object_key, filename: r.filename, contentType: r.content_type,
  bytes: Number(r.bytes), sha256: r.sha256, probe: r.probe ?? null, createdAt: iso(r.created_at)!,
});

const COLUMNS = 'id, tenant, object_key, filename, content_type, bytes, sha256, probe, created_at';

export function createPostgresAssetStore(pool: PgPool, opts: { readonly clock?: () => number } = {}): AssetStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const one = async (sql: string, params: unknown[]) => {
    const r = (await pool.query<Row>(sql, params)).rows[0];
    return r ? toRecord(r) : null;
  };
  return {
    async create(a) {
      try {
        return (await one(`INSERT INTO assets (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
          [a.id, a.tenant, a.objectKey, a.filename, a.contentType, a.bytes, a.sha256, a.probe ? JSON.stringify(a.probe) : null, a.createdAt ?? now()]))!;
      } catch (e) {
        if (isConstraintViolation(e)) throw new MontageError('MONTAGE_E_CONFLICT', `An asset with id ${a.id} already exists.`, { cause: e });
        throw e;
      }
    },
    get: (tenant, id) => one(`SELECT ${COLUMNS} FROM assets WHERE tenant = $1 AND id = $2`, [tenant, id]),
    delete: (tenant, id) => one(`DELETE FROM assets WHERE tenant = $1 AND id = $2 RETURNING ${COLUMNS}`, [tenant, id]),
  };
}
