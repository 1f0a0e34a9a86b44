/**
 * ChunkStore on PostgreSQL. See src/ports/chunk-store.ts for the contract.
 * Workers on different machines complete pieces of one render at the same moment, so `complete`
 * locks the plan's rows before counting what is left: exactly one caller sees 0 and queues the join.
 */
import type { ChunkPlan, ChunkStore, NewPiece, PieceRecord } from '../ports/chunk-store.ts';
import { inTransaction, type PgPool, type PgQueryable } from './postgres-database.ts';

interface PieceRow {
  piece: string; start: number; length: number; frames: number; done: boolean; progress: number; object_key: string | null; reused: boolean | null;
}

const toPiece = (r: PieceRow): PieceRecord => ({
  piece: r.piece, start: r.start, length: r.length, frames: r.frames, done: r.done, progress: r.progress, key: r.object_key, reused: r.reused,
});

const aggregate = (plan: ChunkPlan): number => {
  const total = plan.pieces.reduce((a, p) => a + p.frames, 0);
  return total > 0 ? plan.pieces.reduce((a, p) => a + p.frames * p.progress, 0) / total : 0;
};

async function load(db: PgQueryable, tenant: string, renderId: string, lock = false): Promise<ChunkPlan | null> {
  const rows = (await db.query<PieceRow>(`SELECT piece, start, length, frames, done, progress, object_key, reused FROM render_pieces
    WHERE tenant = $1 AND render_id = $2 ORDER BY ord${lock ? ' FOR UPDATE' : ''}`, [tenant, renderId])).rows;
  return rows.length ? { tenant, renderId, pieces: rows.map(toPiece) } : null;
}

export function createPostgresChunkStore(pool: PgPool): ChunkStore {
  return {
    createPlan: (tenant, renderId, pieces: readonly NewPiece[]) => inTransaction(pool, async (c) => {
      // Two coordinators planning the same render at once: the second waits here, then finds the plan.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`render_pieces/${tenant}/${renderId}`]);
      const existing = await load(c, tenant, renderId);
      if (existing) return existing;
      for (const [i, p] of pieces.entries()) {
        await c.query(`INSERT INTO render_pieces (tenant, render_id, ord, piece, start, length, frames)
          VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, [tenant, renderId, i, p.piece, p.start, p.length, p.frames]);
      }
      return (await load(c, tenant, renderId))!;
    }),

    get: (tenant, renderId) => load(pool, tenant, renderId),

    async setProgress(tenant, renderId, piece, fraction) {
      const f = Math.max(0, Math.min(1, fraction));
      const r = await pool.query(`UPDATE render_pieces SET progress = greatest(progress, $1)
        WHERE tenant = $2 AND render_id = $3 AND piece = $4`, [f, tenant, renderId, piece]);
      if (!r.rowCount) return null;
      const plan = await load(pool, tenant, renderId);
      return plan ? aggregate(plan) : null;
    },

    complete: (tenant, renderId, piece, key, reused) => inTransaction(pool, async (c) => {
      if (!await load(c, tenant, renderId, true)) return null;
      const r = await c.query(`UPDATE render_pieces SET done = true, progress = 1, object_key = coalesce(object_key, $1),
          reused = CASE WHEN done THEN reused ELSE $5::boolean END
        WHERE tenant = $2 AND render_id = $3 AND piece = $4`, [key, tenant, renderId, piece, reused ?? null]);
      if (!r.rowCount) return null;
      const left = await c.query<{ left: string }>('SELECT count(*) AS left FROM render_pieces WHERE tenant = $1 AND render_id = $2 AND NOT done',
        [tenant, renderId]);
      return Number(left.rows[0]!.left);
    }),

    async remove(tenant, renderId) {
      return ((await pool.query('DELETE FROM render_pieces WHERE tenant = $1 AND render_id = $2', [tenant, renderId])).rowCount ?? 0) > 0;
    },

    async listPlans(limit) {
      const r = await pool.query<{ tenant: string; render_id: string }>('SELECT DISTINCT tenant, render_id FROM render_pieces ORDER BY render_id, tenant LIMIT $1',
        [Math.min(1000, Math.max(1, Math.trunc(limit) || 1))]);
      return r.rows.map((x) => ({ tenant: x.tenant, renderId: x.render_id }));
    },
  };
}
