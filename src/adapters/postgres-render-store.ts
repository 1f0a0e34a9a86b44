/** RenderStore on PostgreSQL. See src/ports/render-store.ts for the contract. */
import { MontageError, type ErrorCode } from '../errors/registry.ts';
import {
  canTransition, type ListRendersQuery, type NewRender, type Page, type RenderRecord, type RenderStatus,
  type RenderStore, type TransitionRequest,
} from '../ports/render-store.ts';
import { clampLimit, decodeCursor, encodeCursor } from './keyset-cursor.ts';
import { inTransaction, isConstraintViolation, iso, type PgPool } from './postgres-database.ts';
import { insertPostgresDelivery } from './postgres-webhook-outbox.ts';

interface RenderRow {
  id: string; tenant: string; status: string; progress: number; priority: string; composition: unknown;
  duration: number; format: string; webhook_url: string | null; metadata: Record<string, unknown> | null;
  error_code: string | null; error_message: string | null; outputs: RenderRecord['outputs'];
  created_at: Date; updated_at: Date; started_at: Date | null; finished_at: Date | null;
  pieces_total: number | null; pieces_reused: number | null;
}

const toRecord = (r: RenderRow): RenderRecord => ({
  id: r.id,
  tenant: r.tenant,
  status: r.status as RenderStatus,
  progress: r.progress,
  priority: r.priority as RenderRecord['priority'],
  composition: r.composition,
  duration: r.duration,
  format: r.format,
  webhookUrl: r.webhook_url,
  metadata: r.metadata,
  error: r.error_code === null ? null : { code: r.error_code as ErrorCode, message: r.error_message ?? '' },
  outputs: r.outputs,
  pieces: r.pieces_total === null ? null : { total: r.pieces_total, reused: r.pieces_reused ?? 0 },
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
});

const COLUMNS = `id, tenant, status, progress, priority, composition, duration, format, webhook_url, metadata,
  error_code, error_message, outputs, created_at, updated_at, started_at, finished_at, pieces_total, pieces_reused`;

export function createPostgresRenderStore(pool: PgPool, opts: { readonly clock?: () => number } = {}): RenderStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const one = async (sql: string, params: unknown[]): Promise<RenderRecord | null> => {
    const r = await pool.query<RenderRow>(sql, params);
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  };

  return {
    async create(input: NewRender) {
      const at = input.createdAt ?? now();
      try {
        return (await one(`INSERT INTO renders (id, tenant, status, progress, priority, composition, duration, format,
            webhook_url, metadata, outputs, created_at, updated_at)
          VALUES ($1, $2, 'queued', 0, $3, $4, $5, $6, $7, $8, '{}', $9, $9) RETURNING ${COLUMNS}`, [
          input.id, input.tenant, input.priority, JSON.stringify(input.composition), input.duration, input.format,
          input.webhookUrl, input.metadata === null ? null : JSON.stringify(input.metadata), at,
        ]))!;
      } catch (e) {
        if (isConstraintViolation(e)) throw new MontageError('MONTAGE_E_CONFLICT', `A render with id ${input.id} already exists.`, { cause: e });
        throw e;
      }
    },

    get: (tenant, id) => one(`SELECT ${COLUMNS} FROM renders WHERE tenant = $1 AND id = $2`, [tenant, id]),

    async list(tenant, query: ListRendersQuery): Promise<Page<RenderRecord>> {
      const limit = clampLimit(query.limit);
      const params: unknown[] = [tenant];
      const where = ['tenant = $1'];
      if (query.status) { params.push(query.status); where.push(`status = $${params.length}`); }
      if (query.cursor) {
        const c = decodeCursor(query.cursor);
        params.push(c.createdAt, c.id);
        where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      params.push(limit + 1);
      const rows = (await pool.query<RenderRow>(`SELECT ${COLUMNS} FROM renders WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params)).rows;
      const page = rows.slice(0, limit).map(toRecord);
      const last = page[page.length - 1];
      return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    async transition(tenant, id, req: TransitionRequest) {
      const from = (Array.isArray(req.from) ? req.from : [req.from]) as readonly RenderStatus[];
      for (const f of from) {
        if (!canTransition(f, req.to)) throw new MontageError('MONTAGE_E_INTERNAL', `Render status cannot go from ${f} to ${req.to}.`);
      }
      const final = req.to === 'succeeded' || req.to === 'failed' || req.to === 'canceled';
      const progress = req.to === 'succeeded' ? 1 : req.progress;
      const params: unknown[] = [req.to, now()];
      const sets = ['status = $1', 'updated_at = $2'];
      if (req.to === 'preparing') sets.push('started_at = coalesce(started_at, $2)');
      if (final) sets.push('finished_at = $2');
      if (progress !== undefined) { params.push(Math.min(1, Math.max(0, progress))); sets.push(`progress = greatest(progress, $${params.length})`); }
      if (req.error) { params.push(req.error.code, req.error.message); sets.push(`error_code = $${params.length - 1}`, `error_message = $${params.length}`); }
      if (req.outputs) { params.push(JSON.stringify(req.outputs)); sets.push(`outputs = $${params.length}`); }
      if (req.duration !== undefined) { params.push(req.duration); sets.push(`duration = $${params.length}`); }
      if (req.pieces) { params.push(req.pieces.total, req.pieces.reused); sets.push(`pieces_total = $${params.length - 1}`, `pieces_reused = $${params.length}`); }
      params.push(tenant, id, from);
      // One UPDATE with the status in its WHERE: under READ COMMITTED a concurrent updater waits for
      // the row lock and re-checks the WHERE on the new version, so exactly one claimer wins.
      const sql = `UPDATE renders SET ${sets.join(', ')}
        WHERE tenant = $${params.length - 2} AND id = $${params.length - 1} AND status = ANY($${params.length})
        RETURNING ${COLUMNS}`;
      if (!req.webhook) return one(sql, params);
      // Transactional outbox: the status and the webhook delivery of the moved record commit together.
      return inTransaction(pool, async (c) => {
        const row = (await c.query<RenderRow>(sql, params)).rows[0];
        if (!row) return null;
        const moved = toRecord(row);
        for (const delivery of [req.webhook!(moved) ?? []].flat()) await insertPostgresDelivery(c, delivery, Date.parse(params[1] as string));
        return moved;
      });
    },

    async setProgress(tenant, id, progress) {
      const p = Math.min(1, Math.max(0, Number.isFinite(progress) ? progress : 0));
      const r = await pool.query(`UPDATE renders SET progress = greatest(progress, $1), updated_at = $2
        WHERE tenant = $3 AND id = $4 AND status NOT IN ('succeeded', 'failed', 'canceled')`, [p, now(), tenant, id]);
      return (r.rowCount ?? 0) > 0;
    },

    async listStale(query) {
      const r = await pool.query<RenderRow>(`SELECT ${COLUMNS} FROM renders WHERE status = ANY($1) AND updated_at < $2
        ORDER BY updated_at, id LIMIT $3`, [query.statuses, query.updatedBefore, Math.min(1000, Math.max(1, Math.trunc(query.limit) || 1))]);
      return r.rows.map(toRecord);
    },
  };
}
