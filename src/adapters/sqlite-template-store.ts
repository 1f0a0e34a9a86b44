/** TemplateStore on the embedded SQLite database. See src/ports/template-store.ts. */
import { MontageError } from '../errors/registry.ts';
import type { Page } from '../ports/render-store.ts';
import type { TemplateRecord, TemplateStore } from '../ports/template-store.ts';
import { clampLimit, decodeCursor, encodeCursor } from './keyset-cursor.ts';
import { isConstraintError, type SqliteDb } from './sqlite-database.ts';

interface Row { id: string; tenant: string; name: string; composition: string; created_at: string; updated_at: string }

const toRecord = (r: Row): TemplateRecord => ({
  id: r.id, tenant: r.tenant, name: r.name, composition: JSON.parse(r.composition) as unknown,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

const COLUMNS = 'id, tenant, name, composition, created_at, updated_at';

export function createSqliteTemplateStore(db: SqliteDb, opts: { readonly clock?: () => number } = {}): TemplateStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const getRow = db.prepare(`SELECT ${COLUMNS} FROM templates WHERE tenant = ? AND id = ?`);
  return {
    async create(input) {
      const at = input.createdAt ?? now();
      try {
        db.prepare(`INSERT INTO templates (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
          .run(input.id, input.tenant, input.name, JSON.stringify(input.composition), at, at);
      } catch (e) {
        if (isConstraintError(e)) throw new MontageError('MONTAGE_E_CONFLICT', `A template with id ${input.id} already exists.`, { cause: e });
        throw e;
      }
      return toRecord(getRow.get(input.tenant, input.id) as Row);
    },
    async get(tenant, id) {
      const row = getRow.get(tenant, id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async list(tenant, query): Promise<Page<TemplateRecord>> {
      const limit = clampLimit(query.limit);
      const params: unknown[] = [tenant];
      let where = 'tenant = ?';
      if (query.cursor) {
        const c = decodeCursor(query.cursor);
        where += ' AND (created_at < ? OR (created_at = ? AND id < ?))';
        params.push(c.createdAt, c.createdAt, c.id);
      }
      const rows = db.prepare(`SELECT ${COLUMNS} FROM templates WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`)
        .all(...params, limit + 1) as Row[];
      const data = rows.slice(0, limit).map(toRecord);
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },
    async update(tenant, id, patch) {
      const row = db.prepare(`UPDATE templates SET name = coalesce(?, name), composition = coalesce(?, composition), updated_at = ?
        WHERE tenant = ? AND id = ? RETURNING ${COLUMNS}`).get(
        patch.name ?? null, patch.composition === undefined ? null : JSON.stringify(patch.composition), now(), tenant, id,
      ) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async delete(tenant, id) {
      return db.prepare('DELETE FROM templates WHERE tenant = ? AND id = ?').run(tenant, id).changes > 0;
    },
  };
}
