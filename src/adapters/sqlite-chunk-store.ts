/** ChunkStore on the embedded SQLite database. See src/ports/chunk-store.ts for the contract. */
import type { ChunkPlan, ChunkStore, NewPiece, PieceRecord } from '../ports/chunk-store.ts';
import type { SqliteDb } from './sqlite-database.ts';

interface PieceRow {
  piece: string; start: number; length: number; frames: number; done: number; progress: number; object_key: string | null; reused: number | null;
}

const toPiece = (r: PieceRow): PieceRecord => ({
  piece: r.piece, start: r.start, length: r.length, frames: r.frames, done: r.done === 1, progress: r.progress, key: r.object_key,
  reused: r.reused === null ? null : r.reused === 1,
});

export function createSqliteChunkStore(db: SqliteDb): ChunkStore {
  const rows = db.prepare(`SELECT piece, start, length, frames, done, progress, object_key, reused FROM render_pieces
    WHERE tenant = ? AND render_id = ? ORDER BY ord`);
  const insert = db.prepare(`INSERT OR IGNORE INTO render_pieces (tenant, render_id, ord, piece, start, length, frames)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const load = (tenant: string, renderId: string): ChunkPlan | null => {
    const found = rows.all(tenant, renderId) as PieceRow[];
    return found.length ? { tenant, renderId, pieces: found.map(toPiece) } : null;
  };
  const aggregate = (plan: ChunkPlan): number => {
    const total = plan.pieces.reduce((a, p) => a + p.frames, 0);
    return total > 0 ? plan.pieces.reduce((a, p) => a + p.frames * p.progress, 0) / total : 0;
  };

  return {
    async createPlan(tenant, renderId, pieces: readonly NewPiece[]) {
      db.transaction(() => {
        if (load(tenant, renderId)) return;
        pieces.forEach((p, i) => insert.run(tenant, renderId, i, p.piece, p.start, p.length, p.frames));
      })();
      return load(tenant, renderId)!;
    },

    async get(tenant, renderId) {
      return load(tenant, renderId);
    },

    async setProgress(tenant, renderId, piece, fraction) {
      const f = Math.max(0, Math.min(1, fraction));
      const changed = db.prepare(`UPDATE render_pieces SET progress = MAX(progress, ?)
        WHERE tenant = ? AND render_id = ? AND piece = ?`).run(f, tenant, renderId, piece).changes;
      if (!changed) return null;
      return aggregate(load(tenant, renderId)!);
    },

    async complete(tenant, renderId, piece, key, reused) {
      return db.transaction(() => {
        const changed = db.prepare(`UPDATE render_pieces SET done = 1, progress = 1, object_key = COALESCE(object_key, ?),
            reused = CASE WHEN done = 1 THEN reused ELSE ? END
          WHERE tenant = ? AND render_id = ? AND piece = ?`).run(key, reused === undefined ? null : reused ? 1 : 0, tenant, renderId, piece).changes;
        if (!changed) return null;
        const { left } = db.prepare('SELECT COUNT(*) AS left FROM render_pieces WHERE tenant = ? AND render_id = ? AND done = 0')
          .get(tenant, renderId) as { left: number };
        return left;
      })();
    },

    async remove(tenant, renderId) {
      return db.prepare('DELETE FROM render_pieces WHERE tenant = ? AND render_id = ?').run(tenant, renderId).changes > 0;
    },

    async listPlans(limit) {
      const rows = db.prepare('SELECT DISTINCT tenant, render_id FROM render_pieces ORDER BY render_id, tenant LIMIT ?')
        .all(Math.min(1000, Math.max(1, Math.trunc(limit) || 1))) as { tenant: string; render_id: string }[];
      return rows.map((r) => ({ tenant: r.tenant, renderId: r.render_id }));
    },
  };
}
