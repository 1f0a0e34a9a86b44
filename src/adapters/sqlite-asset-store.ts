/** AssetStore (upload metadata) on the embedded SQLite database. See src/ports/asset-store.ts. */
import { MontageError } from '../errors/registry.ts';
import type { AssetRecord, AssetStore } from '../ports/asset-store.ts';
import { isConstraintError, type SqliteDb } from './sqlite-database.ts';

interface Row {
  id: string; tenant: string; object_key: string; filename: string | null; content_type: string;
  bytes: number; sha256: string; probe: string | null; created_at: string;
}

const toRecord = (r: Row): AssetRecord => ({
  id: r.id, tenant: r.tenant, objectKey: r.object_key, filename: r.filename, contentType: r.content_type,
  bytes: r.bytes, sha256: r.sha256, probe: r.probe === null ? null : JSON.parse(r.probe), createdAt: r.created_at,
});

const COLUMNS = 'id, tenant, object_key, filename, content_type, bytes, sha256, probe, created_at';

export function createSqliteAssetStore(db: SqliteDb, opts: { readonly clock?: () => number } = {}): AssetStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const getRow = db.prepare(`SELECT ${COLUMNS} FROM assets WHERE tenant = ? AND id = ?`);
  return {
    async create(a) {
      try {
        db.prepare(`INSERT INTO assets (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(a.id, a.tenant, a.objectKey, a.filename, a.contentType, a.bytes, a.sha256, a.probe ? JSON.stringify(a.probe) : null, a.createdAt ?? now());
      } catch (e) {
        if (isConstraintError(e)) throw new MontageError('MONTAGE_E_CONFLICT', `An asset with id ${a.id} already exists.`, { cause: e });
        throw e;
      }
      return toRecord(getRow.get(a.tenant, a.id) as Row);
    },
    async get(tenant, id) {
      const row = getRow.get(tenant, id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async delete(tenant, id) {
      const row = db.prepare(`DELETE FROM assets WHERE tenant = ? AND id = ? RETURNING ${COLUMNS}`).get(tenant, id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
  };
}
