/**
 * Removes what a distributed render's pieces left in storage once the render has ended: the join
 * deletes them itself, but a worker killed after the final move and before that clean-up, a piece
 * rendered again after its render ended, or a piece upload cut off mid-way can leave objects under
 * `<render prefix>/pieces/` and the plan behind. Every plan whose render ended at least
 * `retentionMs` ago (or no longer exists) is swept: the object of every piece, done or not (the
 * keys are fixed by the render and the piece), then the plan. Idempotent; safe on many workers.
 */
import type { ChunkStore } from '../ports/chunk-store.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import { isFinalStatus, type RenderStore } from '../ports/render-store.ts';
import { pieceFile } from './distributed-render.ts';
import { renderPrefix } from './store-render-outputs.ts';

export interface SweepOrphanPiecesDeps {
  readonly chunks: ChunkStore;
  readonly renders: Pick<RenderStore, 'get'>;
  readonly objects: Pick<ObjectStore, 'delete'>;
  /** Ms after a render's end before its leftovers are swept (a late piece job may still be running). */
  readonly retentionMs: number;
  readonly clock?: () => number;
  /** Plans looked at per pass (default 500). */
  readonly batch?: number;
}

/** One pass; resolves with the ids of the renders whose leftovers were swept. */
export function createSweepOrphanPieces(deps: SweepOrphanPiecesDeps): () => Promise<string[]> {
  const clock = deps.clock ?? Date.now;
  return async () => {
    const swept: string[] = [];
    for (const { tenant, renderId } of await deps.chunks.listPlans(deps.batch ?? 500)) {
      const render = await deps.renders.get(tenant, renderId);
      if (render && !(isFinalStatus(render.status) && Date.parse(render.finishedAt ?? render.updatedAt) <= clock() - deps.retentionMs)) continue;
      const plan = await deps.chunks.get(tenant, renderId);
      const keys = new Set<string>();
      for (const p of plan?.pieces ?? []) {
        if (p.key) keys.add(p.key);
        if (render) keys.add(`${renderPrefix(render)}/pieces/${pieceFile(render.format, p.piece)}`);
      }
      for (const key of keys) await deps.objects.delete(key).catch(() => false);
      await deps.chunks.remove(tenant, renderId);
      swept.push(renderId);
    }
    return swept;
  };
}
