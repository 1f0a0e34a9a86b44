/** RenderStore on the embedded SQLite database. See src/ports/render-store.ts for the contract. */
import { MontageError, type ErrorCode } from '../errors/registry.ts';
import {
  canTransition, type ListRendersQuery, type NewRender, type Page, type RenderRecord, type RenderStatus,
  type RenderStore, type TransitionRequest,
} from '../ports/render-store.ts';
import { clampLimit, decodeCursor, encodeCursor } from './keyset-cursor.ts';
import { isConstraintError, type SqliteDb } from './sqlite-database.ts';
import { insertSqliteDelivery } from './sqlite-webhook-outbox.ts';

interface RenderRow {
  id: string; tenant: string; status: string; progress: number; priority: string; composition: string;
  duration: number; format: string; webhook_url: string | null; metadata: string | null;
  error_code: string | null; error_message: string | null; outputs: string;
  created_at: string; updated_at: string; started_at: string | null; finished_at: string | null;
  pieces_total: number | null; pieces_reused: number | null;
}

const toRecord = (r: RenderRow): RenderRecord => ({
  id: r.id,
  tenant: r.tenant,
  status: r.status as RenderStatus,
  progress: r.progress,
  priority: r.priority as RenderRecord['priority'],
  composition: JSON.parse(r.composition) as unknown,
  duration: r.duration,
  format: r.format,
  webhookUrl: r.webhook_url,
  metadata: r.metadata === null ? null : JSON.parse(r.metadata) as Record<string, unknown>,
  error: r.error_code === null ? null : { code: r.error_code as ErrorCode, message: r.error_message ?? '' },
  outputs: JSON.parse(r.outputs) as RenderRecord['outputs'],
  pieces: r.pieces_total === null ? null : { total: r.pieces_total, reused: r.pieces_reused ?? 0 },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

const COLUMNS = `id, tenant, status, progress, priority, composition, duration, format, webhook_url, metadata,
  error_code, error_message, outputs, created_at, updated_at, started_at, finished_at, pieces_total, pieces_reused`;

export function createSqliteRenderStore(db: SqliteDb, opts: { readonly clock?: () => number } = {}): RenderStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const getRow = db.prepare(`SELECT ${COLUMNS} FROM renders WHERE tenant = ? AND id = ?`);

  return {
    async create(input: NewRender) {
      const at = input.createdAt ?? now();
      try {
        db.prepare(`INSERT INTO renders (id, tenant, status, progress, priority, composition, duration, format,
            webhook_url, metadata, outputs, created_at, updated_at)
          VALUES (?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`).run(
          input.id, input.tenant, input.priority, JSON.stringify(input.composition), input.duration, input.format,
          input.webhookUrl, input.metadata === null ? null : JSON.stringify(input.metadata), at, at,
        );
      } catch (e) {
        if (isConstraintError(e)) throw new MontageError('MONTAGE_E_CONFLICT', `A render with id ${input.id} already exists.`, { cause: e });
        throw e;
      }
      return toRecord(getRow.get(input.tenant, input.id) as RenderRow);
    },

    async get(tenant, id) {
      const row = getRow.get(tenant, id) as RenderRow | undefined;
      return row ? toRecord(row) : null;
    },

    async list(tenant, query: ListRendersQuery): Promise<Page<RenderRecord>> {
      const limit = clampLimit(query.limit);
      const where = ['tenant = ?'];
      const params: unknown[] = [tenant];
      if (query.status) { where.push('status = ?'); params.push(query.status); }
      if (query.cursor) {
        const c = decodeCursor(query.cursor);
        where.push('(created_at < ? OR (created_at = ? AND id < ?))');
        params.push(c.createdAt, c.createdAt, c.id);
      }
      const rows = db.prepare(`SELECT ${COLUMNS} FROM renders WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ?`).all(...params, limit + 1) as RenderRow[];
      const page = rows.slice(0, limit).map(toRecord);
      const last = page[page.length - 1];
      return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    async transition(tenant, id, req: TransitionRequest) {
      const from = (Array.isArray(req.from) ? req.from : [req.from]) as readonly RenderStatus[];
      for (const f of from) {
        if (!canTransition(f, req.to)) throw new MontageError('MONTAGE_E_INTERNAL', `Render status cannot go from ${f} to ${req.to}.`);
      }
      const at = now();
      const final = req.to === 'succeeded' || req.to === 'failed' || req.to === 'canceled';
      const progress = req.to === 'succeeded' ? 1 : req.progress;
      const sets = ['status = ?', 'updated_at = ?'];
      const params: unknown[] = [req.to, at];
      if (req.to === 'preparing') { sets.push('started_at = coalesce(started_at, ?)'); params.push(at); }
      if (final) { sets.push('finished_at = ?'); params.push(at); }
      if (progress !== undefined) { sets.push('progress = max(progress, ?)'); params.push(Math.min(1, Math.max(0, progress))); }
      if (req.error) { sets.push('error_code = ?', 'error_message = ?'); params.push(req.error.code, req.error.message); }
      if (req.outputs) { sets.push('outputs = ?'); params.push(JSON.stringify(req.outputs)); }
      if (req.duration !== undefined) { sets.push('duration = ?'); params.push(req.duration); }
      if (req.pieces) { sets.push('pieces_total = ?', 'pieces_reused = ?'); params.push(req.pieces.total, req.pieces.reused); }
      // One UPDATE with the status in its WHERE: the compare-and-set that makes claims exclusive;
      // the webhook delivery of the moved record, if asked for, commits with it (transactional outbox).
      return db.transaction(() => {
        const row = db.prepare(`UPDATE renders SET ${sets.join(', ')}
          WHERE tenant = ? AND id = ? AND status IN (${from.map(() => '?').join(', ')}) RETURNING ${COLUMNS}`)
          .get(...params, tenant, id, ...from) as RenderRow | undefined;
        if (!row) return null;
        const moved = toRecord(row);
        for (const delivery of [req.webhook?.(moved) ?? []].flat()) insertSqliteDelivery(db, delivery, Date.parse(at));
        return moved;
      })();
    },

    async setProgress(tenant, id, progress) {
      const p = Math.min(1, Math.max(0, Number.isFinite(progress) ? progress : 0));
      const r = db.prepare(`UPDATE renders SET progress = max(progress, ?), updated_at = ?
        WHERE tenant = ? AND id = ? AND status NOT IN ('succeeded', 'failed', 'canceled')`).run(p, now(), tenant, id);
      return r.changes > 0;
    },

    async listStale(query) {
      if (query.statuses.length === 0) return [];
      const rows = db.prepare(`SELECT ${COLUMNS} FROM renders
        WHERE status IN (${query.statuses.map(() => '?').join(', ')}) AND updated_at < ?
        ORDER BY updated_at, id LIMIT ?`).all(...query.statuses, query.updatedBefore, Math.min(1000, Math.max(1, Math.trunc(query.limit) || 1))) as RenderRow[];
      return rows.map(toRecord);
    },
  };
}
