/**
 * Canceling a render (POST /v1/renders/{id}/cancel). Idempotent: a canceled render is returned as
 * it is; a succeeded or failed one is a conflict. The move to `canceled` is a compare-and-set from
 * whatever non-final status the render has, so it races safely with a worker. A running worker
 * learns of it from the status event at once, or from its own poll of the store within a second
 * (see watch-cancel.ts), and stops ffmpeg.
 */
import { MontageError } from '../errors/registry.ts';
import { FINAL_STATUSES, RENDER_STATUSES, type RenderRecord, type RenderStore } from '../ports/render-store.ts';
import type { NotifyFinalStatus } from './notify-final-status.ts';

const NON_FINAL = RENDER_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

export function createCancelRender(deps: { readonly renders: RenderStore; readonly notify: NotifyFinalStatus }) {
  return async (tenant: string, id: string): Promise<RenderRecord> => {
    for (let tries = 0; tries < 10; tries++) {
      const current = await deps.renders.get(tenant, id);
      if (!current) throw new MontageError('MONTAGE_E_NOT_FOUND', `No render ${id}.`);
      if (current.status === 'canceled') return current;
      if (current.status === 'succeeded' || current.status === 'failed') {
        throw new MontageError('MONTAGE_E_CONFLICT', `The render already ${current.status}; only a queued or running render can be canceled.`);
      }
      const moved = await deps.renders.transition(tenant, id, {
        from: NON_FINAL, to: 'canceled', error: { code: 'MONTAGE_E_RENDER_CANCELED', message: 'The render was canceled on request.' },
        webhook: deps.notify.webhookFor,
      });
      if (moved) {
        await deps.notify(moved);
        return moved;
      }
      // A worker finished it between our read and our write: read again and answer accordingly.
    }
    throw new MontageError('MONTAGE_E_IN_PROGRESS', 'The render changed too often to be canceled; try again.');
  };
}
