/** TemplateStore on PostgreSQL. See src/ports/template-store.ts. */
import { MontageError } from '../errors/registry.ts';
import type { Page } from '../ports/render-store.ts';
import type { TemplateRecord, TemplateStore } from '../ports/template-store.ts';
import { clampLimit, decodeCursor, encodeCursor } from './keyset-cursor.ts';
import { isConstraintViolation, iso, type PgPool } from './postgres-database.ts';

interface Row { id: string; tenant: string; name: string; composition: unknown; created_at: Date; updated_at: Date }

const toRecord = (r: Row): TemplateRecord => ({
  id: r.id, tenant: r.tenant, name: r.name, composition: r.composition, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
});

const COLUMNS = 'id, tenant, name, composition, created_at, updated_at';

export function createPostgresTemplateStore(pool: PgPool, opts: { readonly clock?: () => number } = {}): TemplateStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const one = async (sql: string, params: unknown[]) => {
    const r = (await pool.query<Row>(sql, params)).rows[0];
    return r ? toRecord(r) : null;
  };
  return {
    async create(input) {
      const at = input.createdAt ?? now();
      try {
        return (await one(`INSERT INTO templates (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${COLUMNS}`,
          [input.id, input.tenant, input.name, JSON.stringify(input.composition), at]))!;
      } catch (e) {
        if (isConstraintViolation(e)) throw new MontageError('MONTAGE_E_CONFLICT', `A template with id ${input.id} already exists.`, { cause: e });
        throw e;
      }
    },
    get: (tenant, id) => one(`SELECT ${COLUMNS} FROM templates WHERE tenant = $1 AND id = $2`, [tenant, id]),
    async list(tenant, query): Promise<Page<TemplateRecord>> {
      const limit = clampLimit(query.limit);
      const params: unknown[] = [tenant];
      let where = 'tenant = $1';
      if (query.cursor) {
        const c = decodeCursor(query.cursor);
        params.push(c.createdAt, c.id);
        where += ' AND (created_at, id) < ($2::timestamptz, $3)';
      }
      params.push(limit + 1);
      const rows = (await pool.query<Row>(`SELECT ${COLUMNS} FROM templates WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params)).rows;
      const data = rows.slice(0, limit).map(toRecord);
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },
    update: (tenant, id, patch) => one(`UPDATE templates SET name = coalesce($1, name), composition = coalesce($2::jsonb, composition),
        updated_at = $3 WHERE tenant = $4 AND id = $5 RETURNING ${COLUMNS}`,
      [patch.name ?? null, patch.composition === undefined ? null : JSON.stringify(patch.composition), now(), tenant, id]),
    async delete(tenant, id) {
      return ((await pool.query('DELETE FROM templates WHERE tenant = $1 AND id = $2', [tenant, id])).rowCount ?? 0) > 0;
    },
  };
}
